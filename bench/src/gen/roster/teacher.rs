//! Drawing a teacher: a name, an age and a career, subjects and grades, posts by position in
//! the school's staff list, and honours by experience.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entities::enums::{Degree, EmploymentType, Gender, HonourTitle, Level, Post, ProfessionalTitle, TeacherStatus};

use super::{Builder, Teacher, SUBJECTS};
use crate::rng::{Rng, RngExt};

/// How often each subject is a teacher's main one.
const SUBJECT_WEIGHTS: &[(&str, u32)] = &[
    ("语文", 32),
    ("数学", 28),
    ("英语", 10),
    ("科学", 7),
    ("体育", 7),
    ("音乐", 5),
    ("美术", 5),
    ("道德与法治", 4),
    ("信息技术", 2),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",
];
const GIVEN: &[&str] = &[
    "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚",
    "桂", "英", "华", "玲", "红", "建", "文", "晓", "燕", "慧", "婷", "雪", "琳", "鹏", "辉", "宇", "欣", "萍", "志",
    "海", "春",
];

impl Builder<'_> {
    /// The `index`-th teacher of school `school` (the first five hold the school's posts).
    pub(super) fn teacher(&mut self, school: usize, index: usize) -> Teacher {
        let r = &mut self.rng;
        let id = self.roster.teachers.len() as i64 + 1;
        let gender = if r.chance(72) { Gender::Female } else { Gender::Male };
        let name = format!("{}{}{}", r.pick(SURNAMES), r.pick(GIVEN), if r.chance(75) { *r.pick(GIVEN) } else { "" });
        let birth_year = r.between(1965, 2002);
        let birth_date =
            NaiveDate::from_ymd_opt(birth_year, 1, 1).expect("a year") + chrono::Days::new(r.below(365) as u64);
        let teaching_start_year = (birth_year + r.between(19, 24)).min(2026);
        let years = 2026 - teaching_start_year;
        let degree = if birth_year < 1975 && r.chance(40) {
            Degree::Secondary
        } else {
            *r.weighted(&[(Degree::Associate, 25), (Degree::Bachelor, 63), (Degree::Master, 9), (Degree::Secondary, 3)])
        };
        let employment_type = *r.weighted(&[
            (EmploymentType::Permanent, 88),
            (EmploymentType::Contract, 7),
            (EmploymentType::Support, 3),
            (EmploymentType::PartTime, 2),
        ]);
        let title = title(r, years);
        let status = if r.chance(97) { TeacherStatus::Active } else { TeacherStatus::OnLeave };
        let subjects = subjects(r, index);
        let count = *r.weighted(&[(1usize, 30), (2, 45), (3, 25)]);
        let first = r.between(1, 7 - count as i32);
        let grades: Vec<i32> = (first..first + count as i32).collect();
        let posts = posts(index);
        let honours = honours(r, years);
        Teacher {
            id,
            school,
            name,
            gender,
            birth_date,
            teaching_start_year,
            degree,
            employment_type,
            title,
            status,
            subjects,
            grades,
            posts,
            honours,
        }
    }
}

/// A professional title fitting `years` of teaching.
fn title(r: &mut Rng, years: i32) -> ProfessionalTitle {
    match years {
        0..=1 => ProfessionalTitle::Unranked,
        2..=4 => *r.weighted(&[(ProfessionalTitle::Third, 40), (ProfessionalTitle::Second, 60)]),
        5..=12 => *r.weighted(&[(ProfessionalTitle::Second, 55), (ProfessionalTitle::First, 45)]),
        13..=22 => *r.weighted(&[(ProfessionalTitle::First, 70), (ProfessionalTitle::Senior, 30)]),
        _ => *r.weighted(&[
            (ProfessionalTitle::First, 40),
            (ProfessionalTitle::Senior, 57),
            (ProfessionalTitle::FullSenior, 3),
        ]),
    }
}

/// The main subject (every school has a teacher of each research group's subjects: its first
/// four teachers) and now and then a second.
fn subjects(r: &mut Rng, index: usize) -> Vec<&'static str> {
    let main = match index {
        0 => "语文",
        1 => "数学",
        2 => "英语",
        3 => "科学",
        _ => *r.weighted(SUBJECT_WEIGHTS),
    };
    let mut subjects = vec![main];
    if r.chance(25) {
        let second = match main {
            "语文" => "道德与法治",
            "数学" => *r.pick(&["科学", "信息技术"]),
            _ => *r.pick(&SUBJECTS[3..]),
        };
        if second != main {
            subjects.push(second);
        }
    }
    subjects
}

/// The school's posts go to its first five teachers.
fn posts(index: usize) -> BTreeSet<Post> {
    let post = match index {
        0 => Post::Principal,
        1 => Post::SupervisingLeader,
        2 => Post::AcademicDirector,
        3 | 4 => Post::MiddleManager,
        _ => return BTreeSet::new(),
    };
    BTreeSet::from([post])
}

/// Honours, the more likely the longer the career (a rising star is a young one).
fn honours(r: &mut Rng, years: i32) -> Vec<(HonourTitle, Level, i32)> {
    let mut honours = Vec::new();
    if years >= 15 && r.chance(12) {
        honours.push((
            HonourTitle::RenownedTeacher,
            *r.pick(&[Level::County, Level::City, Level::Province]),
            r.between(2015, 2025),
        ));
    }
    if years >= 6 && r.chance(20) {
        honours.push((
            HonourTitle::BackboneTeacher,
            *r.pick(&[Level::School, Level::County, Level::City]),
            r.between(2016, 2026),
        ));
    }
    if years >= 10 && r.chance(6) {
        honours.push((HonourTitle::SubjectLeader, *r.pick(&[Level::School, Level::County]), r.between(2018, 2026)));
    }
    if years <= 8 && r.chance(15) {
        honours.push((HonourTitle::RisingStar, *r.pick(&[Level::School, Level::County]), r.between(2022, 2026)));
    }
    if r.chance(4) {
        honours.push((
            HonourTitle::TeachingExpert,
            *r.pick(&[Level::School, Level::County, Level::City]),
            r.between(2012, 2026),
        ));
    }
    honours
}
