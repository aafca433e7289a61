//! The groups of a school (research, lesson-prep, grade and project groups) and the county's
//! district teams, with their leaders and memberships (some joining or leaving mid-semester).

use std::collections::BTreeSet;

use entities::enums::{GradeBand, GroupKind, MemberRole, Post, TeacherStatus};

use super::{grade_name, Builder, Group, Member};
use crate::rng::RngExt;

/// A group to add: everything but its members.
struct NewGroup {
    school: Option<usize>,
    kind: GroupKind,
    name: String,
    subject: Option<&'static str>,
    band: Option<GradeBand>,
    /// The grade of a one-grade lesson-prep or grade group.
    grade: Option<i32>,
    parent: Option<i64>,
    /// Whether a deputy leader is named.
    deputy: bool,
    /// The post the leader takes.
    leader_post: Option<Post>,
}

impl NewGroup {
    fn of_school(
        s: usize,
        kind: GroupKind,
        name: String,
        subject: Option<&'static str>,
        band: Option<GradeBand>,
    ) -> Self {
        NewGroup {
            school: Some(s),
            kind,
            name,
            subject,
            band,
            grade: None,
            parent: None,
            deputy: false,
            leader_post: None,
        }
    }
}

/// A lesson-prep group of a school: its name, the subjects it gathers, its band and its grade.
struct PrepSpec {
    name: String,
    subjects: &'static [&'static str],
    band: GradeBand,
    grade: Option<i32>,
}

impl PrepSpec {
    /// Whether a teacher of `subject` in `grade` belongs here.
    fn fits(&self, subject: &str, grade: i32) -> bool {
        self.subjects.contains(&subject)
            && match (self.grade, self.band) {
                (Some(g), _) => g == grade,
                (None, GradeBand::All) => true,
                (None, band) => GradeBand::of_grade(grade) == Some(band),
            }
    }
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

/// The lesson-prep groups of a school.
fn prep_specs() -> Vec<PrepSpec> {
    let mut specs = Vec::new();
    for g in 1..=6 {
        // Grades 1 to 6 each have a band.
        let band = GradeBand::of_grade(g).unwrap_or(GradeBand::All);
        specs.push(PrepSpec {
            name: format!("{}年级语文备课组", grade_name(g)),
            subjects: &["语文"],
            band,
            grade: Some(g),
        });
    }
    for band in [GradeBand::Lower, GradeBand::Middle, GradeBand::Upper] {
        specs.push(PrepSpec {
            name: format!("{}数学备课组", band_name(band)), subjects: &["数学"], band, grade: None
        });
    }
    for (name, subjects) in [
        ("英语备课组", &["英语"][..]),
        ("科学备课组", &["科学", "信息技术"][..]),
        ("艺体备课组", &["音乐", "体育", "美术"][..]),
        ("道德与法治备课组", &["道德与法治"][..]),
    ] {
        specs.push(PrepSpec { name: name.into(), subjects, band: GradeBand::All, grade: None });
    }
    specs
}

impl Builder<'_> {
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

    /// Adds group `new` whose members are `members` (teacher indexes, without repeats), the
    /// leader the most experienced member who does not lead the school (ties by order), a deputy
    /// when `new.deputy`. Answers its id, or none for a group without members.
    fn group(&mut self, new: NewGroup, members: Vec<usize>) -> Option<i64> {
        let leader = *members.iter().max_by_key(|i| {
            let t = &self.roster.teachers[**i];
            let busy = t.posts.contains(&Post::Principal) || t.posts.contains(&Post::SupervisingLeader);
            (!busy, t.posts.is_empty() || new.kind == GroupKind::Research, t.teaching_years().min(25), usize::MAX - **i)
        })?;
        if let Some(post) = new.leader_post {
            self.roster.teachers[leader].posts.insert(post);
        }
        let deputy_of = if new.deputy { members.iter().copied().find(|t| *t != leader) } else { None };
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
            school: new.school,
            kind: new.kind,
            name: new.name,
            subject: new.subject,
            band: new.band,
            grade: new.grade,
            parent: new.parent,
            leader: Some(leader),
            members: rows,
        });
        Some(id)
    }

    pub(super) fn school_groups(&mut self, s: usize) {
        let teachers: Vec<usize> = self.roster.schools[s].teachers.clone().collect();
        let research = self.research_groups(s, &teachers);
        self.prep_groups(s, &teachers, &research);
        // 年级组: each teacher in the groups of (at most) their first two grades.
        for g in 1..=6 {
            let members: Vec<usize> = teachers
                .iter()
                .copied()
                .filter(|t| self.roster.teachers[*t].grades.iter().take(2).any(|x| *x == g))
                .collect();
            let name = format!("{}年级组", grade_name(g));
            let new = NewGroup {
                grade: Some(g),
                ..NewGroup::of_school(s, GroupKind::Grade, name, None, GradeBand::of_grade(g))
            };
            self.group(new, members);
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
                NewGroup::of_school(s, GroupKind::Project, (*title).into(), subject, Some(GradeBand::All)),
                members,
            );
        }
    }

    /// 教研组 per main subject; a teacher of two subjects sits in both research groups. Answers
    /// (subject, group id) of each.
    fn research_groups(&mut self, s: usize, teachers: &[usize]) -> Vec<(&'static str, Option<i64>)> {
        let mut research = Vec::new();
        for subject in ["语文", "数学", "英语", "综合"] {
            let members: Vec<usize> = teachers
                .iter()
                .copied()
                .filter(|t| self.roster.teachers[*t].subjects.iter().any(|x| research_subject(x) == subject))
                .collect();
            let new = NewGroup {
                deputy: true,
                leader_post: Some(Post::ResearchGroupLeader),
                ..NewGroup::of_school(
                    s,
                    GroupKind::Research,
                    format!("{subject}教研组"),
                    Some(subject),
                    Some(GradeBand::All),
                )
            };
            research.push((subject, self.group(new, members)));
        }
        research
    }

    /// 备课组: each teacher in at most two, by subject and grade, under the research group of
    /// its subject.
    fn prep_groups(&mut self, s: usize, teachers: &[usize], research: &[(&'static str, Option<i64>)]) {
        let specs = prep_specs();
        let mut prep_members: Vec<Vec<usize>> = vec![Vec::new(); specs.len()];
        for &t in teachers {
            let teacher = &self.roster.teachers[t];
            let mut joined = Vec::new();
            for subject in &teacher.subjects {
                for grade in &teacher.grades {
                    if let Some(i) = specs.iter().position(|spec| spec.fits(subject, *grade)) {
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
            let parent = research.iter().find(|r| r.0 == research_subject(spec.subjects[0])).and_then(|r| r.1);
            // A group of several subjects (科学备课组: 科学, 信息技术) is named after its first.
            let subject = Some(spec.subjects[0]);
            let new = NewGroup {
                grade: spec.grade,
                parent,
                leader_post: Some(Post::PrepGroupLeader),
                ..NewGroup::of_school(s, GroupKind::LessonPrep, spec.name, subject, Some(spec.band))
            };
            self.group(new, members);
        }
    }

    /// The county's district teams (中心组): up to 15 experienced teachers of a subject, one a
    /// school.
    pub(super) fn district_teams(&mut self) {
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
            let new = NewGroup {
                school: None,
                deputy: true,
                ..NewGroup::of_school(0, GroupKind::DistrictTeam, name, Some(subject), Some(band))
            };
            self.group(new, members);
        }
    }
}
