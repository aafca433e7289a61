//! The county's organisation, built in memory first (it is small: 6,000 teachers at full size):
//! zones, schools, teachers with their profiles, groups with their memberships, mentorship pairs.
//! Ids are the 1-based positions in the vectors.

mod groups;
mod teacher;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entities::enums::{
    Degree, EmploymentType, Gender, GradeBand, GroupKind, HonourTitle, Level, MemberRole, Post, ProfessionalTitle,
    SchoolTier, TeacherStatus,
};

use super::calendar::Semester;
use crate::rng::{Rng, RngExt};

pub const SUBJECTS: &[&str] = &["语文", "数学", "英语", "科学", "音乐", "体育", "美术", "道德与法治", "信息技术"];

const TOWNS: &[&str] = &[
    "凤山",
    "大河岸",
    "九资河",
    "白庙河",
    "胜利",
    "河铺",
    "平湖",
    "大崎",
    "三里畈",
    "匡河",
    "白莲河",
    "骆驼坳",
    "天堂寨",
    "七道河",
    "观音桥",
    "汪家河",
    "黄土岗",
    "錾字石",
    "古庙河",
    "落梅河",
];
const VILLAGES: &[&str] = &["桃园", "桂花", "罗家畈", "石桥", "杨柳", "新屋", "松林", "枫树", "塘湾", "黄泥"];

#[derive(Debug, Clone)]
pub struct School {
    pub id: i64,
    pub zone: usize,
    pub name: String,
    pub tier: SchoolTier,
    pub address: String,
    /// Indexes into [`Roster::teachers`].
    pub teachers: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Teacher {
    pub id: i64,
    pub school: usize,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub teaching_start_year: i32,
    pub degree: Degree,
    pub employment_type: EmploymentType,
    pub title: ProfessionalTitle,
    pub status: TeacherStatus,
    pub subjects: Vec<&'static str>,
    pub grades: Vec<i32>,
    pub posts: BTreeSet<Post>,
    pub honours: Vec<(HonourTitle, Level, i32)>,
}

impl Teacher {
    pub fn main_subject(&self) -> &'static str {
        self.subjects[0]
    }

    pub fn teaching_years(&self) -> i32 {
        2026 - self.teaching_start_year
    }

    /// A school leader or research-group leader: observes more (and more lessons unannounced).
    pub fn is_leader(&self) -> bool {
        self.posts.iter().any(|p| *p != Post::PrepGroupLeader)
    }
}

#[derive(Debug, Clone)]
pub struct Member {
    pub id: i64,
    pub teacher: usize,
    pub role: MemberRole,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: i64,
    pub school: Option<usize>,
    pub kind: GroupKind,
    pub name: String,
    pub subject: Option<&'static str>,
    pub band: Option<GradeBand>,
    /// The grade of a one-grade lesson-prep or grade group.
    pub grade: Option<i32>,
    pub parent: Option<i64>,
    pub leader: Option<usize>,
    pub members: Vec<Member>,
}

impl Group {
    /// Members on `day` (joined on or before it, not left before it).
    pub fn members_on(&self, day: NaiveDate) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(move |m| m.since <= day && m.until.is_none_or(|u| u >= day))
    }
}

#[derive(Debug, Clone)]
pub struct Pair {
    pub id: i64,
    pub school: usize,
    pub mentor: usize,
    pub mentee: usize,
    /// Ends with the spring semester rather than the autumn one.
    pub whole_year: bool,
    pub band_mismatch: bool,
    /// A pair whose mentor observes only now and then.
    pub sparse: bool,
}

#[derive(Debug, Clone)]
pub struct Roster {
    pub zones: Vec<(String, usize)>,
    pub schools: Vec<School>,
    pub teachers: Vec<Teacher>,
    pub groups: Vec<Group>,
    pub pairs: Vec<Pair>,
}

pub fn grade_name(grade: i32) -> &'static str {
    ["一", "二", "三", "四", "五", "六"][(grade - 1).clamp(0, 5) as usize]
}

struct Builder<'a> {
    rng: Rng,
    semester: &'a Semester,
    /// Teaching days of October and November: mid-semester joins and departures.
    mid_days: Vec<NaiveDate>,
    roster: Roster,
    membership_id: i64,
}

pub fn build(seed: u64, schools: usize, per_school: usize, semester: &Semester) -> Roster {
    let mid_days: Vec<NaiveDate> = semester
        .teaching_days()
        .into_iter()
        .filter(|d| *d >= super::calendar::date(2026, 10, 8) && *d <= super::calendar::date(2026, 12, 18))
        .collect();
    let mut b = Builder {
        rng: Rng::stream(seed, 1),
        semester,
        mid_days,
        roster: Roster {
            zones: Vec::new(),
            schools: Vec::new(),
            teachers: Vec::new(),
            groups: Vec::new(),
            pairs: Vec::new(),
        },
        membership_id: 0,
    };
    b.schools(schools, per_school);
    for s in 0..schools {
        b.school_groups(s);
    }
    b.district_teams();
    for s in 0..schools {
        b.pairs(s);
    }
    b.roster
}

impl Builder<'_> {
    fn schools(&mut self, n: usize, per_school: usize) {
        let zones = n.div_ceil(20).clamp(1, 5);
        let zone_names = ["东片", "西片", "南片", "北片", "中片"];
        let mut names = BTreeSet::new();
        for i in 0..n {
            let zone = i * zones / n;
            let first_of_zone = i == 0 || (i - 1) * zones / n != zone;
            if first_of_zone {
                self.roster.zones.push((format!("{}片区", zone_names[zone].trim_end_matches('片')), i));
            }
            let town = TOWNS[i % TOWNS.len()];
            let tier = if first_of_zone {
                SchoolTier::TownshipCentral
            } else {
                *self.rng.weighted(&[
                    (SchoolTier::CountyDirect, 10),
                    (SchoolTier::TownshipCentral, 40),
                    (SchoolTier::Village, 50),
                ])
            };
            let base = match tier {
                SchoolTier::CountyDirect => format!("罗田县第{}实验小学", i + 1),
                SchoolTier::TownshipCentral => format!("{town}镇中心小学"),
                SchoolTier::Village => format!("{town}镇{}村小学", self.rng.pick(VILLAGES)),
            };
            let mut name = base.clone();
            let mut k = 2;
            while !names.insert(name.clone()) {
                name = format!("{base}{k}部");
                k += 1;
            }
            let start = self.roster.teachers.len();
            let school = School {
                id: i as i64 + 1,
                zone,
                name,
                tier,
                address: format!("罗田县{town}镇"),
                teachers: start..start + per_school,
            };
            self.roster.schools.push(school);
            for t in 0..per_school {
                let teacher = self.teacher(i, t);
                self.roster.teachers.push(teacher);
            }
        }
    }

    fn pairs(&mut self, s: usize) {
        let teachers: Vec<usize> = self.roster.schools[s].teachers.clone().collect();
        let mut mentees: Vec<usize> = teachers.clone();
        mentees.sort_by_key(|t| (std::cmp::Reverse(self.roster.teachers[*t].teaching_start_year), *t));
        let mut used = BTreeSet::new();
        let mut mentor_load: Vec<(usize, usize)> = Vec::new();
        for &mentee in mentees.iter().take(4) {
            used.insert(mentee);
        }
        for &mentee in mentees.iter().take(4.min(teachers.len() / 2)) {
            let me = &self.roster.teachers[mentee];
            let capacity = |t: &Teacher| {
                if t.honours.iter().any(|h| h.0 == HonourTitle::RenownedTeacher) {
                    2
                } else {
                    1
                }
            };
            let mentor = teachers
                .iter()
                .copied()
                .filter(|t| {
                    !used.contains(t)
                        || mentor_load.iter().any(|(m, n)| m == t && *n < capacity(&self.roster.teachers[*t]))
                })
                .filter(|t| !mentees.iter().take(4).any(|m| m == t))
                .max_by_key(|t| {
                    let t = &self.roster.teachers[*t];
                    (
                        t.main_subject() == me.main_subject(),
                        !t.honours.is_empty(),
                        t.grades.iter().any(|g| GradeBand::of_grade(*g) == GradeBand::of_grade(me.grades[0])),
                        t.teaching_years().min(20),
                        usize::MAX - t.id as usize,
                    )
                });
            let Some(mentor) = mentor else { continue };
            used.insert(mentor);
            match mentor_load.iter_mut().find(|(m, _)| *m == mentor) {
                Some(load) => load.1 += 1,
                None => mentor_load.push((mentor, 1)),
            }
            let band = |t: &Teacher| t.grades.iter().filter_map(|g| GradeBand::of_grade(*g)).collect::<BTreeSet<_>>();
            let band_mismatch = band(&self.roster.teachers[mentor]).is_disjoint(&band(me));
            let id = self.roster.pairs.len() as i64 + 1;
            let whole_year = self.rng.chance(25);
            let sparse = self.rng.chance(20);
            self.roster.pairs.push(Pair { id, school: s, mentor, mentee, whole_year, band_mismatch, sparse });
        }
    }
}
