//! Teachers of the demo: names, ages, degrees, titles and honours, generated deterministically.
//!
//! The flagship school's 60 teachers are a fixed table ([`super::flagship`]); every other school
//! gets a plausible staff from [`school_staff`], driven by a fixed-seed [`Rng`].

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use entities::enums::{Degree, EmploymentType, Gender, HonourTitle, Level, Post, ProfessionalTitle, SchoolTier};

use super::rng::Rng;

/// The day the staff statistics of seed 004 hold (ages are counted on it).
pub fn census_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a valid date")
}

/// The latest year a demo teacher can have started teaching (the demo's first semester).
pub const LAST_START_YEAR: i32 = 2026;

/// An honour held (荣誉称号): title, level and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HonourSpec {
    pub title: HonourTitle,
    pub level: Level,
    pub year: i32,
}

/// One teacher to create.
#[derive(Debug, Clone)]
pub struct TeacherSpec {
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub teaching_start_year: i32,
    pub degree: Degree,
    pub title: ProfessionalTitle,
    pub employment: EmploymentType,
    /// The subject taught (语文, 数学, 英语, 体育 ...).
    pub subject: &'static str,
    /// Grades taught (1–6).
    pub grades: Vec<i32>,
    pub posts: Vec<Post>,
    pub honours: Vec<HonourSpec>,
}

impl TeacherSpec {
    pub fn age(&self) -> i32 {
        age_on(self.birth_date, census_date())
    }

    pub fn has_post(&self, post: Post) -> bool {
        self.posts.contains(&post)
    }
}

/// Age in full years on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let before_birthday = (day.month(), day.day()) < (birth.month(), birth.day());
    day.year() - birth.year() - i32::from(before_birthday)
}

/// A birth date that makes someone exactly `age` on the census date; `n` varies month and day.
/// Months stay within January–October, so the birthday has always passed by 23 November.
pub fn birth_date_for(age: i32, n: usize) -> NaiveDate {
    let year = census_date().year() - age;
    let month = 1 + (n * 7 % 10) as u32;
    let day = 1 + (n * 11 % 28) as u32;
    NaiveDate::from_ymd_opt(year, month, day).expect("days 1–28 exist in every month")
}

/// The year someone with this degree started teaching: right after graduating (中师 at 20, 大专
/// at 21, 本科 at 22, 硕士 at 25), never after [`LAST_START_YEAR`].
pub fn start_year(birth_year: i32, degree: Degree) -> i32 {
    let at = match degree {
        Degree::Secondary => 20,
        Degree::Associate => 21,
        Degree::Bachelor => 22,
        Degree::Master => 25,
        Degree::Doctorate => 28,
    };
    (birth_year + at).min(LAST_START_YEAR)
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "周", "吴", "徐", "胡", "方", "汪", "余", "肖", "詹", "晏", "蔡", "熊",
    "程", "邓", "彭", "罗", "夏", "叶", "郑", "潘", "童", "丁", "袁", "姚", "万", "甘", "易", "雷", "朱", "何", "高",
    "林", "段",
];
const FEMALE_OLDER: &[&str] = &[
    "秀英", "桂兰", "红梅", "海燕", "玉兰", "春华", "丽娟", "小红", "建萍", "慧芳", "金凤", "翠萍", "美玲", "晓燕",
    "艳", "霞", "芳", "敏", "琴", "娟", "静", "莉", "萍", "红", "英", "丽华", "淑珍", "爱华",
];
const FEMALE_YOUNGER: &[&str] = &[
    "婷婷", "思雨", "佳慧", "梦瑶", "雨晴", "欣然", "诗琪", "佳怡", "雅琴", "文静", "晓彤", "子涵", "若曦", "可欣",
    "嘉怡", "梦琪", "雪", "璐", "瑶", "琳", "倩", "颖", "悦", "晨", "蕾", "丹", "萌", "甜甜",
];
const MALE_OLDER: &[&str] = &[
    "建国", "志强", "国华", "德明", "卫东", "永红", "建军", "新华", "光明", "文斌", "军", "平", "勇", "涛", "刚", "斌",
    "国庆", "春生", "明华", "振华",
];
const MALE_YOUNGER: &[&str] = &[
    "浩", "宇航", "俊杰", "子豪", "鹏", "磊", "晨阳", "博文", "家豪", "一鸣", "浩然", "凯", "昊", "帆", "文轩", "志远",
    "天宇", "旭", "超", "亮",
];

/// Chinese names, deterministic and never repeated (within the whole demo district, hence
/// within every school).
pub struct Names {
    rng: Rng,
    used: HashSet<String>,
}

impl Names {
    pub fn new(seed: u64) -> Names {
        Names { rng: Rng::new(seed), used: HashSet::new() }
    }

    /// A fresh name fitting the gender and generation (names given before and after 1988 differ).
    pub fn next(&mut self, gender: Gender, birth_year: i32) -> String {
        let given = match (gender, birth_year < 1988) {
            (Gender::Female, true) => FEMALE_OLDER,
            (Gender::Female, false) => FEMALE_YOUNGER,
            (Gender::Male, true) => MALE_OLDER,
            (Gender::Male, false) => MALE_YOUNGER,
        };
        for _ in 0..10_000 {
            let name = format!("{}{}", self.rng.pick(SURNAMES), self.rng.pick(given));
            if self.used.insert(name.clone()) {
                return name;
            }
        }
        panic!("the demo name lists are exhausted");
    }
}

/// A plausible staff of `count` teachers for a school of the given tier. The first teacher is the
/// principal. Subjects: about 40 % 语文, 35 % 数学, one 英语 teacher, the rest 综合 subjects.
pub fn school_staff(rng: &mut Rng, names: &mut Names, count: usize, tier: SchoolTier) -> Vec<TeacherSpec> {
    let yuwen = (count * 2).div_ceil(5);
    let shuxue = (count * 35).div_ceil(100);
    let mut subjects: Vec<&'static str> = Vec::with_capacity(count);
    subjects.extend(std::iter::repeat_n("语文", yuwen));
    subjects.extend(std::iter::repeat_n("数学", shuxue));
    subjects.push("英语");
    for other in ["体育", "科学", "音乐", "美术"].iter().cycle().take(count.saturating_sub(subjects.len())) {
        subjects.push(other);
    }
    subjects.truncate(count);
    let mut staff: Vec<TeacherSpec> = Vec::with_capacity(count);
    for (i, subject) in subjects.iter().enumerate() {
        let same_subject = subjects.iter().filter(|s| *s == subject).count();
        let position = subjects[..i].iter().filter(|s| *s == subject).count();
        let grades = spread_grades(subject, position, same_subject);
        staff.push(random_teacher(rng, names, tier, subject, grades, i));
    }
    // The principal: the most senior teacher by age.
    if let Some(oldest) = (0..staff.len()).min_by_key(|&i| (staff[i].birth_date, i)) {
        staff[oldest].posts.push(Post::Principal);
    }
    staff
}

/// The grades the `position`-th of `of` teachers of a subject teaches: 1–6 dealt round robin
/// (英语 is taught from grade 3 on).
fn spread_grades(subject: &str, position: usize, of: usize) -> Vec<i32> {
    let first = if subject == "英语" { 3 } else { 1 };
    (first..=6).filter(|g| (*g as usize - first as usize) % of == position).collect()
}

fn random_teacher(
    rng: &mut Rng,
    names: &mut Names,
    tier: SchoolTier,
    subject: &'static str,
    grades: Vec<i32>,
    n: usize,
) -> TeacherSpec {
    let gender = if rng.chance(70) { Gender::Female } else { Gender::Male };
    let retirement = if gender == Gender::Female { 54 } else { 59 };
    // Village schools keep older teachers plus a few young ones on special posts (特岗).
    let young_share = match tier {
        SchoolTier::CountyDirect => 55,
        SchoolTier::TownshipCentral => 50,
        SchoolTier::Village => 30,
    };
    let age = if rng.chance(young_share) {
        rng.between(23, 34)
    } else if tier == SchoolTier::Village {
        rng.between(38, retirement)
    } else if rng.chance(85) {
        rng.between(35, 49)
    } else {
        rng.between(50, retirement)
    };
    let roll = rng.below(100);
    let degree = match age {
        ..30 if roll < 5 => Degree::Master,
        ..30 if roll < 80 => Degree::Bachelor,
        ..30 => Degree::Associate,
        30..45 if roll < 50 => Degree::Bachelor,
        30..45 if roll < 95 => Degree::Associate,
        30..45 => Degree::Secondary,
        _ if roll < 10 => Degree::Bachelor,
        _ if roll < 65 => Degree::Associate,
        _ => Degree::Secondary,
    };
    let roll = rng.below(100);
    let title = match age {
        ..25 => ProfessionalTitle::Unranked,
        25..29 if roll < 70 => ProfessionalTitle::Third,
        25..29 => ProfessionalTitle::Unranked,
        29..36 => ProfessionalTitle::Second,
        36..45 if roll < 50 => ProfessionalTitle::Second,
        36..45 => ProfessionalTitle::First,
        _ if roll < 10 && tier != SchoolTier::Village => ProfessionalTitle::Senior,
        _ if roll < 85 => ProfessionalTitle::First,
        _ => ProfessionalTitle::Second,
    };
    let employment = if age < 30 && rng.chance(25) { EmploymentType::Contract } else { EmploymentType::Permanent };
    let birth_date = birth_date_for(age, n + rng.below(10));
    let started = start_year(birth_date.year(), degree);
    let mut honours = Vec::new();
    if (35..=50).contains(&age) && title >= ProfessionalTitle::First && rng.chance(30) {
        let year = rng.between(2018, 2025).max(started + 5);
        honours.push(HonourSpec { title: HonourTitle::BackboneTeacher, level: Level::County, year });
    } else if (26..35).contains(&age) && rng.chance(12) {
        let year = rng.between(2021, 2025).max(started + 3).min(LAST_START_YEAR);
        honours.push(HonourSpec { title: HonourTitle::RisingStar, level: Level::County, year });
    }
    TeacherSpec {
        name: names.next(gender, birth_date.year()),
        gender,
        birth_date,
        teaching_start_year: started,
        degree,
        title,
        employment,
        subject,
        grades,
        posts: Vec::new(),
        honours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn age_counts_full_years() {
        assert_eq!(age_on(day(1991, 11, 23), day(2026, 11, 23)), 35);
        assert_eq!(age_on(day(1991, 11, 24), day(2026, 11, 23)), 34);
        assert_eq!(age_on(day(1992, 2, 29), day(2026, 2, 28)), 33);
        assert_eq!(age_on(day(1992, 2, 29), day(2026, 3, 1)), 34);
    }

    #[test]
    fn birth_dates_give_the_asked_age_on_the_census_date() {
        for age in 20..65 {
            for n in 0..40 {
                assert_eq!(age_on(birth_date_for(age, n), census_date()), age, "age {age}, n {n}");
            }
        }
    }

    #[test]
    fn teaching_starts_at_twenty_or_later_and_not_in_the_future() {
        for degree in [Degree::Secondary, Degree::Associate, Degree::Bachelor, Degree::Master] {
            for birth_year in 1960..=2004 {
                let start = start_year(birth_year, degree);
                assert!(start - birth_year >= 20 && start <= LAST_START_YEAR, "{degree:?} {birth_year}");
            }
        }
    }

    #[test]
    fn names_never_repeat_and_look_chinese() {
        let mut names = Names::new(1);
        let mut seen = HashSet::new();
        for i in 0..600 {
            let gender = if i % 3 == 0 { Gender::Male } else { Gender::Female };
            let name = names.next(gender, 1965 + i % 40);
            assert!((2..=3).contains(&name.chars().count()), "{name}");
            assert!(seen.insert(name));
        }
    }

    #[test]
    fn names_are_deterministic() {
        let (mut a, mut b) = (Names::new(9), Names::new(9));
        for _ in 0..50 {
            assert_eq!(a.next(Gender::Female, 1990), b.next(Gender::Female, 1990));
        }
    }

    #[test]
    fn a_generated_staff_is_plausible() {
        let (mut rng, mut names) = (Rng::new(3), Names::new(3));
        for (count, tier) in
            [(8, SchoolTier::Village), (12, SchoolTier::TownshipCentral), (15, SchoolTier::CountyDirect)]
        {
            let staff = school_staff(&mut rng, &mut names, count, tier);
            assert_eq!(staff.len(), count);
            assert_eq!(staff.iter().filter(|t| t.has_post(Post::Principal)).count(), 1);
            for subject in ["语文", "数学"] {
                let grades: HashSet<i32> =
                    staff.iter().filter(|t| t.subject == subject).flat_map(|t| t.grades.clone()).collect();
                assert_eq!(grades, (1..=6).collect(), "{subject} covers every grade at a school of {count}");
            }
            for t in &staff {
                assert!((22..60).contains(&t.age()), "{t:?}");
                assert!(t.teaching_start_year - t.birth_date.year() >= 20, "{t:?}");
                assert!(!t.grades.is_empty(), "{t:?}");
                for h in &t.honours {
                    assert!(h.year >= t.teaching_start_year && h.year <= LAST_START_YEAR, "{t:?}");
                }
            }
        }
    }
}
