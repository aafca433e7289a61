//! The county's organisation, built in memory first (it is small: 6,000 teachers at full size):
//! zones, schools, teachers with their profiles, groups with their memberships, mentorship pairs.
//! Ids are the 1-based positions in the vectors.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entities::enums::{
    Degree, EmploymentType, Gender, GradeBand, GroupKind, HonourTitle, Level, MemberRole, Post, ProfessionalTitle,
    SchoolTier, TeacherStatus,
};

use super::calendar::Semester;
use crate::rng::{Rng, RngExt};

pub const SUBJECTS: &[&str] = &["语文", "数学", "英语", "科学", "音乐", "体育", "美术", "道德与法治", "信息技术"];

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

fn research_subject(subject: &str) -> &'static str {
    match subject {
        "语文" => "语文",
        "数学" => "数学",
        "英语" => "英语",
        _ => "综合",
    }
}

fn band_name(band: GradeBand) -> &'static str {
    match band {
        GradeBand::Lower => "低段",
        GradeBand::Middle => "中段",
        GradeBand::Upper => "高段",
        GradeBand::All => "全段",
    }
}

pub fn grade_name(grade: i32) -> &'static str {
    ["一", "二", "三", "四", "五", "六"][(grade - 1).clamp(0, 5) as usize]
}

/// The lesson-prep groups of a school: (name, subjects it gathers, band, grade).
fn prep_specs() -> Vec<(String, &'static [&'static str], GradeBand, Option<i32>)> {
    let mut specs = Vec::new();
    for g in 1..=6 {
        specs.push((
            format!("{}年级语文备课组", grade_name(g)),
            &["语文"][..],
            GradeBand::of_grade(g).expect("grades 1-6"),
            Some(g),
        ));
    }
    for band in [GradeBand::Lower, GradeBand::Middle, GradeBand::Upper] {
        specs.push((format!("{}数学备课组", band_name(band)), &["数学"][..], band, None));
    }
    specs.push(("英语备课组".into(), &["英语"][..], GradeBand::All, None));
    specs.push(("科学备课组".into(), &["科学", "信息技术"][..], GradeBand::All, None));
    specs.push(("艺体备课组".into(), &["音乐", "体育", "美术"][..], GradeBand::All, None));
    specs.push(("道德与法治备课组".into(), &["道德与法治"][..], GradeBand::All, None));
    specs
}

fn prep_fits(spec: &(String, &'static [&'static str], GradeBand, Option<i32>), subject: &str, grade: i32) -> bool {
    spec.1.contains(&subject)
        && match (spec.3, spec.2) {
            (Some(g), _) => g == grade,
            (None, GradeBand::All) => true,
            (None, band) => GradeBand::of_grade(grade) == Some(band),
        }
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

    fn teacher(&mut self, school: usize, index: usize) -> Teacher {
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
        let title = match years {
            0..=1 => ProfessionalTitle::Unranked,
            2..=4 => *r.weighted(&[(ProfessionalTitle::Third, 40), (ProfessionalTitle::Second, 60)]),
            5..=12 => *r.weighted(&[(ProfessionalTitle::Second, 55), (ProfessionalTitle::First, 45)]),
            13..=22 => *r.weighted(&[(ProfessionalTitle::First, 70), (ProfessionalTitle::Senior, 30)]),
            _ => *r.weighted(&[
                (ProfessionalTitle::First, 40),
                (ProfessionalTitle::Senior, 57),
                (ProfessionalTitle::FullSenior, 3),
            ]),
        };
        let status = if r.chance(97) { TeacherStatus::Active } else { TeacherStatus::OnLeave };
        // Every school has a teacher of each research group's subjects.
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
        let count = *r.weighted(&[(1usize, 30), (2, 45), (3, 25)]);
        let first = r.between(1, 7 - count as i32);
        let grades: Vec<i32> = (first..first + count as i32).collect();
        let mut posts = BTreeSet::new();
        match index {
            0 => drop(posts.insert(Post::Principal)),
            1 => drop(posts.insert(Post::SupervisingLeader)),
            2 => drop(posts.insert(Post::AcademicDirector)),
            3 | 4 => drop(posts.insert(Post::MiddleManager)),
            _ => {}
        }
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

    fn member(&mut self, teacher: usize, role: MemberRole) -> Member {
        self.membership_id += 1;
        let (mut since, mut until) = (self.semester.start, None);
        if role == MemberRole::Member && !self.mid_days.is_empty() {
            if self.rng.chance(2) {
                since = *self.rng.pick(&self.mid_days);
            } else if self.rng.chance(2) {
                until = Some(*self.rng.pick(&self.mid_days));
            }
        }
        Member { id: self.membership_id, teacher, role, since, until }
    }

    /// Adds a group whose members are `members` (teacher indexes, without repeats), the leader
    /// chosen by `leader_of` among them, a deputy when `deputy`.
    #[allow(clippy::too_many_arguments)]
    fn group(
        &mut self,
        school: Option<usize>,
        kind: GroupKind,
        name: String,
        subject: Option<&'static str>,
        band: Option<GradeBand>,
        grade: Option<i32>,
        parent: Option<i64>,
        members: Vec<usize>,
        deputy: bool,
        leader_post: Option<Post>,
    ) -> Option<i64> {
        if members.is_empty() {
            return None;
        }
        // The leader: the most experienced member who does not lead the school, ties by order.
        let leader = *members
            .iter()
            .max_by_key(|i| {
                let t = &self.roster.teachers[**i];
                let busy = t.posts.contains(&Post::Principal) || t.posts.contains(&Post::SupervisingLeader);
                (!busy, t.posts.is_empty() || kind == GroupKind::Research, t.teaching_years().min(25), usize::MAX - **i)
            })
            .expect("members");
        if let Some(post) = leader_post {
            self.roster.teachers[leader].posts.insert(post);
        }
        let deputy_of = if deputy { members.iter().copied().find(|t| *t != leader) } else { None };
        let mut rows = Vec::with_capacity(members.len());
        for t in members {
            let role = if t == leader {
                MemberRole::Leader
            } else if Some(t) == deputy_of {
                MemberRole::DeputyLeader
            } else {
                MemberRole::Member
            };
            rows.push(self.member(t, role));
        }
        let id = self.roster.groups.len() as i64 + 1;
        self.roster.groups.push(Group {
            id,
            school,
            kind,
            name,
            subject,
            band,
            grade,
            parent,
            leader: Some(leader),
            members: rows,
        });
        Some(id)
    }

    fn school_groups(&mut self, s: usize) {
        let range = self.roster.schools[s].teachers.clone();
        let teachers: Vec<usize> = range.collect();
        // 教研组 per main subject; a teacher of two subjects sits in both research groups.
        let mut research: Vec<(&'static str, Option<i64>)> = Vec::new();
        for subject in ["语文", "数学", "英语", "综合"] {
            let members: Vec<usize> = teachers
                .iter()
                .copied()
                .filter(|t| self.roster.teachers[*t].subjects.iter().any(|x| research_subject(x) == subject))
                .collect();
            let id = self.group(
                Some(s),
                GroupKind::Research,
                format!("{subject}教研组"),
                Some(if subject == "综合" { "综合" } else { subject }),
                Some(GradeBand::All),
                None,
                None,
                members,
                true,
                Some(Post::ResearchGroupLeader),
            );
            research.push((subject, id));
        }
        // 备课组: each teacher in at most two, by subject and grade.
        let specs = prep_specs();
        let mut prep_members: Vec<Vec<usize>> = vec![Vec::new(); specs.len()];
        for &t in &teachers {
            let teacher = &self.roster.teachers[t];
            let mut joined = Vec::new();
            for subject in &teacher.subjects {
                for grade in &teacher.grades {
                    if let Some(i) = specs.iter().position(|spec| prep_fits(spec, subject, *grade)) {
                        if !joined.contains(&i) && joined.len() < 2 {
                            joined.push(i);
                        }
                    }
                }
            }
            for i in joined {
                prep_members[i].push(t);
            }
        }
        for (spec, members) in specs.into_iter().zip(prep_members) {
            let parent = research.iter().find(|r| r.0 == research_subject(spec.1[0])).and_then(|r| r.1);
            // A group of several subjects (科学备课组: 科学, 信息技术) is named after its first.
            let subject = Some(spec.1[0]);
            self.group(
                Some(s),
                GroupKind::LessonPrep,
                spec.0,
                subject,
                Some(spec.2),
                spec.3,
                parent,
                members,
                false,
                Some(Post::PrepGroupLeader),
            );
        }
        // 年级组: each teacher in the groups of (at most) their first two grades.
        for g in 1..=6 {
            let members: Vec<usize> = teachers
                .iter()
                .copied()
                .filter(|t| self.roster.teachers[*t].grades.iter().take(2).any(|x| *x == g))
                .collect();
            self.group(
                Some(s),
                GroupKind::Grade,
                format!("{}年级组", grade_name(g)),
                None,
                GradeBand::of_grade(g),
                Some(g),
                None,
                members,
                false,
                None,
            );
        }
        // 课题组: two per school, about a third of the staff each.
        for (k, title) in ["“双减”背景下作业设计研究课题组", "大单元教学实践研究课题组"].iter().enumerate()
        {
            let mut pool = teachers.clone();
            self.rng.shuffle(&mut pool);
            let n = (teachers.len() / 3).max(1);
            let mut members: Vec<usize> = pool.into_iter().take(n).collect();
            members.sort_unstable();
            let subject = if k == 0 { Some("数学") } else { Some("语文") };
            self.group(
                Some(s),
                GroupKind::Project,
                (*title).into(),
                subject,
                Some(GradeBand::All),
                None,
                None,
                members,
                false,
                None,
            );
        }
    }

    fn district_teams(&mut self) {
        let schools = self.roster.schools.len();
        let teams = if schools >= 20 { 10 } else { (schools / 2).max(1) };
        let subjects = ["语文", "数学", "英语", "科学", "音乐", "体育", "美术", "道德与法治", "信息技术", "语文"];
        for (k, subject) in subjects.iter().take(teams).enumerate() {
            let (name, band) = if k == 9 {
                (format!("县小学{subject}低段中心组"), GradeBand::Lower)
            } else {
                (format!("县小学{subject}中心组"), GradeBand::All)
            };
            let mut candidates: Vec<usize> = (0..self.roster.teachers.len())
                .filter(|t| {
                    let t = &self.roster.teachers[*t];
                    t.main_subject() == *subject && t.status == TeacherStatus::Active && t.teaching_years() >= 5
                })
                .collect();
            self.rng.shuffle(&mut candidates);
            let mut seen_schools = BTreeSet::new();
            let mut members = Vec::new();
            for t in candidates {
                if members.len() >= 15 {
                    break;
                }
                if seen_schools.insert(self.roster.teachers[t].school) {
                    members.push(t);
                }
            }
            members.sort_unstable();
            self.group(None, GroupKind::DistrictTeam, name, Some(subject), Some(band), None, None, members, true, None);
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
