//! The pairing rules as plain functions: a mentor's capacity by honour, the grade-band check, the
//! default duties and status changes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use entities::enums::{GradeBand, HonourTitle, MentorshipStatus, RuleEnforcement};

use crate::validate::Checks;

/// The duties a pair takes on when none are given (seed 000: "每周师傅必须要听徒弟一节课",
/// "一学期要指导徒弟上一节有价值的研究课", "每学期至少相互随堂听课2节以上", and the mentee's 汇报课
/// with a pair summary at semester end).
pub const DEFAULT_DUTIES: [&str; 4] = [
    "师傅每周听徒弟一节课",
    "每学期指导徒弟上一节有价值的研究课",
    "师徒每学期相互随堂听课2节以上",
    "学期末徒弟上汇报课并写结对总结",
];

/// Highest capacity a policy may give (a guard against typos such as 200).
pub const MAX_CAPACITY: i32 = 20;

/// Capacity and grade-band rules with their values filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub capacities: BTreeMap<HonourTitle, i32>,
    pub default_capacity: i32,
    pub grade_band_rule: RuleEnforcement,
}

impl Default for Rules {
    /// Seed 000: "每位名师要带好两个徒弟；骨干、教坛新秀一个徒弟"; any other mentor takes one
    /// mentee; "结对教师原则上是本学段教师" is a principle (原则上), so a mismatch only warns.
    fn default() -> Self {
        Rules {
            capacities: BTreeMap::from([
                (HonourTitle::RenownedTeacher, 2),
                (HonourTitle::BackboneTeacher, 1),
                (HonourTitle::RisingStar, 1),
            ]),
            default_capacity: 1,
            grade_band_rule: RuleEnforcement::Warn,
        }
    }
}

/// How many mentees a mentor may have at once, and the honour that decides it (`None` when the
/// default capacity applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub limit: i32,
    pub by: Option<HonourTitle>,
}

/// The largest capacity among the honours the mentor holds (any level), else the default.
pub fn capacity_of(rules: &Rules, honours: &[HonourTitle]) -> Capacity {
    honours
        .iter()
        .filter_map(|h| rules.capacities.get(h).map(|n| Capacity { limit: *n, by: Some(*h) }))
        .max_by_key(|c| c.limit)
        .unwrap_or(Capacity { limit: rules.default_capacity, by: None })
}

/// The Chinese name of an honour, for messages.
pub fn honour_name(h: HonourTitle) -> &'static str {
    match h {
        HonourTitle::RenownedTeacher => "名师",
        HonourTitle::SubjectLeader => "学科带头人",
        HonourTitle::BackboneTeacher => "骨干教师",
        HonourTitle::RisingStar => "教坛新秀",
        HonourTitle::TeachingExpert => "教学能手",
    }
}

/// `None` while the mentor has room, else why not (for the 422 on `mentor_teacher_id`).
pub fn capacity_refusal(capacity: Capacity, current: u64) -> Option<String> {
    if current < capacity.limit.max(0) as u64 {
        return None;
    }
    let who = match capacity.by {
        Some(h) => format!("as {} ({}) the mentor", honour_name(h), h.code()),
        None => "a mentor without a listed honour".to_string(),
    };
    Some(format!(
        "{who} may mentor {} at a time, and already has {current} active pair(s) in these semesters",
        capacity.limit
    ))
}

/// The grade bands of the grades a teacher teaches.
pub fn bands_of(grades: &[i32]) -> BTreeSet<GradeBand> {
    grades.iter().filter_map(|g| GradeBand::of_grade(*g)).collect()
}

/// Mentor and mentee teach in different bands: both teach some grade and they share no band.
/// A teacher without grades is not held against the rule (nothing to compare).
pub fn grade_bands_differ(mentor_grades: &[i32], mentee_grades: &[i32]) -> bool {
    let (mentor, mentee) = (bands_of(mentor_grades), bands_of(mentee_grades));
    !mentor.is_empty() && !mentee.is_empty() && mentor.is_disjoint(&mentee)
}

/// The warning shown for a pair across grade bands.
pub const GRADE_BAND_WARNING: &str =
    "mentor and mentee teach in different grade bands (结对教师原则上是本学段教师, seed 000)";

/// A pair's status may go from active to completed or terminated, and stays there.
pub fn status_change_allowed(from: MentorshipStatus, to: MentorshipStatus) -> bool {
    from == to || from == MentorshipStatus::Active
}

/// Checks a pair's days against the span of its semesters (`first` semester's first day to the
/// `last` one's last day): both inside, the end not before the start.
pub fn check_days(checks: &mut Checks, start: NaiveDate, end: NaiveDate, span: (NaiveDate, NaiveDate)) {
    let inside = |day: NaiveDate| span.0 <= day && day <= span.1;
    let message = format!("must be inside the pair's semesters ({} to {})", span.0, span.1);
    checks.ensure(inside(start), "start_date", message.clone());
    if !inside(end) {
        checks.fail("end_date", message);
    } else {
        checks.ensure(start <= end, "end_date", "must not be before start_date");
    }
}

/// The last day of a pair that ends early on `today`: today, within its days.
pub fn ended_on(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> NaiveDate {
    today.clamp(start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use HonourTitle::*;

    #[test]
    fn seed_000_capacities() {
        let rules = Rules::default();
        assert_eq!(capacity_of(&rules, &[RenownedTeacher]).limit, 2);
        assert_eq!(capacity_of(&rules, &[BackboneTeacher]), Capacity { limit: 1, by: Some(BackboneTeacher) });
        assert_eq!(capacity_of(&rules, &[RisingStar]).limit, 1);
        assert_eq!(capacity_of(&rules, &[]), Capacity { limit: 1, by: None });
        assert_eq!(capacity_of(&rules, &[TeachingExpert]), Capacity { limit: 1, by: None });
    }

    #[test]
    fn the_largest_honour_capacity_wins() {
        let rules = Rules::default();
        assert_eq!(capacity_of(&rules, &[BackboneTeacher, RenownedTeacher]).by, Some(RenownedTeacher));
        let mut raised = Rules::default();
        raised.capacities.insert(BackboneTeacher, 3);
        assert_eq!(capacity_of(&raised, &[RenownedTeacher, BackboneTeacher]).limit, 3);
    }

    #[test]
    fn refusal_says_capacity_and_why() {
        let backbone = Capacity { limit: 1, by: Some(BackboneTeacher) };
        assert_eq!(capacity_refusal(backbone, 0), None);
        let message = capacity_refusal(backbone, 1).unwrap();
        assert!(message.contains("骨干教师") && message.contains("may mentor 1 at a time"), "{message}");
        let none = Capacity { limit: 0, by: None };
        assert!(capacity_refusal(none, 0).unwrap().contains("without a listed honour"));
    }

    #[test]
    fn grade_bands() {
        assert!(!grade_bands_differ(&[1, 2], &[2, 3]));
        assert!(grade_bands_differ(&[1, 2], &[5, 6]));
        assert!(!grade_bands_differ(&[], &[5]));
        assert!(!grade_bands_differ(&[3, 5], &[6]));
    }

    #[test]
    fn an_ended_pair_stays_ended() {
        assert!(status_change_allowed(MentorshipStatus::Active, MentorshipStatus::Completed));
        assert!(!status_change_allowed(MentorshipStatus::Terminated, MentorshipStatus::Active));
        assert!(status_change_allowed(MentorshipStatus::Completed, MentorshipStatus::Completed));
    }

    #[test]
    fn a_pairs_days_lie_inside_its_semesters() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let span = (d(9, 1), d(12, 31));
        let mut checks = Checks::new();
        check_days(&mut checks, d(10, 12), d(12, 4), span);
        assert!(checks.finish().is_ok());
        let mut checks = Checks::new();
        check_days(&mut checks, d(8, 31), d(10, 1), span);
        let err = format!("{:?}", checks.finish().unwrap_err());
        assert!(err.contains("start_date") && !err.contains("end_date"), "{err}");
        let mut checks = Checks::new();
        check_days(&mut checks, d(11, 1), d(10, 1), span);
        assert!(format!("{:?}", checks.finish().unwrap_err()).contains("end_date"));
        assert_eq!(ended_on(d(10, 12), d(12, 31), d(11, 20)), d(11, 20));
        assert_eq!(ended_on(d(10, 12), d(12, 31), d(10, 1)), d(10, 12));
        assert_eq!(ended_on(d(10, 12), d(12, 31), d(12, 31) + chrono::Days::new(9)), d(12, 31));
    }
}
