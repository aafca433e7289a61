//! The pairing rules as plain functions: a mentor's capacity by honour, the grade-band check, the
//! default duties and status changes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use entities::enums::{GradeBand, HonourTitle, MentorshipStatus, RuleEnforcement};
use entities::{mentorship, semester};
use sea_orm::{IntoActiveModel, Set};
use serde_json::Value;

use super::views::{Assessment, MentorshipPatch};
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

pub const AGREEMENT_MAX: usize = 5000;
const DUTY_MAX: usize = 200;
const DUTIES_MAX: usize = 20;
const COMMENT_MAX: usize = 5000;
const REWARD_MAX: usize = 200;

/// The duties, each trimmed and bounded, at most [`DUTIES_MAX`] (problems go to `checks`).
pub fn clean_duties(checks: &mut Checks, duties: &[String]) -> Vec<String> {
    checks.ensure(duties.len() <= DUTIES_MAX, "duties", format!("at most {DUTIES_MAX} duties"));
    duties.iter().enumerate().map(|(i, d)| checks.text(&format!("duties[{i}]"), d, DUTY_MAX)).collect()
}

/// An assessment made on a day (default `today`) from `earliest` to `today`, its texts bounded.
fn check_assessment(checks: &mut Checks, a: &Assessment, earliest: NaiveDate, today: NaiveDate) -> Assessment {
    let assessed_on = a.assessed_on.unwrap_or(today);
    checks.ensure(assessed_on <= today, "assessment.assessed_on", "must not be in the future");
    checks.ensure(assessed_on >= earliest, "assessment.assessed_on", "must not be before the pair's first semester");
    Assessment {
        grade: a.grade,
        comment: checks.optional_text("assessment.comment", a.comment.as_deref(), COMMENT_MAX),
        reward: checks.optional_text("assessment.reward", a.reward.as_deref(), REWARD_MAX),
        assessed_on: Some(assessed_on),
    }
}

/// The semesters a PATCH of a pair is checked against, as the database has them.
#[derive(Debug, Clone, Copy)]
pub struct PatchSemesters<'a> {
    /// The pair's start semester.
    pub start: &'a semester::Model,
    /// When the PATCH names another end semester: that one, if the district has it live.
    pub new_end: Option<Option<&'a semester::Model>>,
    /// The pair's end semester as stored.
    pub stored_end: Option<&'a semester::Model>,
}

/// A stored pair with a PATCH applied, before the capacity check (which needs the database): an
/// absent field keeps the stored value, `null` clears it, a value replaces it. A new end semester
/// must not be before the start one and brings its last day as the default `end_date`; a pair
/// becoming `terminated` ends today by default (within its days); the days stay inside the
/// pair's semesters; an ended pair stays ended. Every problem is recorded in `checks`, in the
/// order the 422 lists them.
pub fn merge_patch(
    checks: &mut Checks,
    current: &mentorship::Model,
    patch: &MentorshipPatch,
    semesters: PatchSemesters,
    today: NaiveDate,
) -> mentorship::ActiveModel {
    let start = semesters.start;
    let new_end = match semesters.new_end {
        Some(None) => {
            checks.fail("end_semester_id", "no such semester in the school's district");
            None
        }
        Some(Some(end)) => {
            checks.ensure(
                end.start_date >= start.start_date,
                "end_semester_id",
                "must not be before start_semester_id",
            );
            Some(end)
        }
        None => None,
    };
    let start_date = patch.start_date.unwrap_or(current.start_date);
    let end_date = patch.end_date.unwrap_or(match (new_end, patch.status) {
        (Some(e), _) => e.end_date,
        (None, Some(MentorshipStatus::Terminated)) if current.status != MentorshipStatus::Terminated => {
            ended_on(start_date, current.end_date, today)
        }
        _ => current.end_date,
    });
    if let Some(last) = new_end.or(semesters.stored_end).filter(|l| l.start_date >= start.start_date) {
        check_days(checks, start_date, end_date, (start.start_date, last.end_date));
    }
    if let Some(to) = patch.status {
        checks.ensure(
            status_change_allowed(current.status, to),
            "status",
            format!("an ended pair ({}) cannot become {}", current.status.code(), to.code()),
        );
    }
    let agreement = patch.agreement.as_ref().map(|a| checks.optional_text("agreement", a.as_deref(), AGREEMENT_MAX));
    let duties = patch.duties.as_ref().map(|d| clean_duties(checks, d.as_deref().unwrap_or_default()));
    let assessment =
        patch.assessment.as_ref().map(|a| a.as_ref().map(|a| check_assessment(checks, a, start.start_date, today)));

    let mut active = current.clone().into_active_model();
    if let Some(end) = new_end {
        active.end_semester_id = Set(end.id);
    }
    active.start_date = Set(start_date);
    active.end_date = Set(end_date);
    active.status = Set(patch.status.unwrap_or(current.status));
    if let Some(agreement) = agreement {
        active.agreement = Set(agreement);
    }
    if let Some(duties) = duties {
        active.duties = Set(Value::from(duties));
    }
    if let Some(assessment) = assessment {
        active.assessment_grade = Set(assessment.as_ref().map(|a| a.grade));
        active.assessment_comment = Set(assessment.as_ref().and_then(|a| a.comment.clone()));
        active.reward = Set(assessment.as_ref().and_then(|a| a.reward.clone()));
        active.assessed_on = Set(assessment.as_ref().and_then(|a| a.assessed_on));
    }
    active
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

    fn day(m: u32, d: u32) -> NaiveDate {
        let year = if m >= 8 { 2026 } else { 2027 };
        NaiveDate::from_ymd_opt(year, m, d).unwrap()
    }

    fn term(id: i64, start: NaiveDate, end: NaiveDate) -> semester::Model {
        let at = chrono::Utc::now();
        semester::Model {
            id,
            district_id: 1,
            name: format!("学期{id}"),
            school_year: "2026-2027".into(),
            start_date: start,
            end_date: end,
            week1_start: start,
            holidays: serde_json::json!([]),
            sourced_id: None,
            created_at: at,
            updated_at: at,
            archived_at: None,
        }
    }

    fn pair() -> mentorship::Model {
        let at = chrono::Utc::now();
        mentorship::Model {
            id: 9,
            district_id: 1,
            school_id: 3,
            mentor_teacher_id: 12,
            mentee_teacher_id: 27,
            start_semester_id: 1,
            end_semester_id: 1,
            start_date: day(9, 1),
            end_date: day(1, 20),
            agreement: Some("结对协议".into()),
            duties: Value::from(vec!["师傅每周听徒弟一节课"]),
            status: MentorshipStatus::Active,
            grade_band_mismatch: false,
            assessment_grade: None,
            assessment_comment: None,
            reward: None,
            assessed_on: None,
            created_at: at,
            updated_at: at,
            archived_at: None,
        }
    }

    fn merged(body: serde_json::Value, new_end: Option<Option<&semester::Model>>) -> (mentorship::Model, Vec<String>) {
        let first = term(1, day(9, 1), day(1, 20));
        let patch: MentorshipPatch = serde_json::from_value(body).unwrap();
        let semesters = PatchSemesters { start: &first, new_end, stored_end: Some(&first) };
        let mut checks = Checks::new();
        let active = merge_patch(&mut checks, &pair(), &patch, semesters, day(11, 2));
        let fields = match checks.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.problem().errors.unwrap_or_default().into_iter().map(|e| e.field).collect(),
        };
        let mut m = pair();
        let a = active;
        m.end_semester_id = a.end_semester_id.unwrap();
        m.start_date = a.start_date.unwrap();
        m.end_date = a.end_date.unwrap();
        m.status = a.status.unwrap();
        m.agreement = a.agreement.unwrap();
        m.duties = a.duties.unwrap();
        m.assessment_grade = a.assessment_grade.unwrap();
        m.assessed_on = a.assessed_on.unwrap();
        (m, fields)
    }

    #[test]
    fn a_patch_keeps_what_is_absent_clears_what_is_null_and_replaces_the_rest() {
        let (m, errors) = merged(serde_json::json!({"agreement": null, "duties": ["每学期互相听课2节"]}), None);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((m.agreement, m.duties), (None, Value::from(vec!["每学期互相听课2节"])));
        assert_eq!((m.start_date, m.end_date, m.status), (day(9, 1), day(1, 20), MentorshipStatus::Active));
        let (m, _) = merged(serde_json::json!({"duties": null}), None);
        assert_eq!(m.duties, Value::from(Vec::<String>::new()));
        let (m, _) = merged(serde_json::json!({"assessment": {"grade": "excellent"}}), None);
        assert_eq!(m.assessed_on, Some(day(11, 2)), "assessed today by default");
        assert!(m.assessment_grade.is_some());
    }

    #[test]
    fn a_new_end_semester_brings_its_last_day_and_terminating_ends_today() {
        let second = term(2, day(2, 20), day(7, 2));
        let (m, errors) = merged(serde_json::json!({"end_semester_id": 2}), Some(Some(&second)));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((m.end_semester_id, m.end_date), (2, day(7, 2)));
        let (m, errors) = merged(serde_json::json!({"status": "terminated"}), None);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((m.status, m.end_date), (MentorshipStatus::Terminated, day(11, 2)));
    }

    #[test]
    fn bad_semesters_days_and_ended_pairs_are_named_in_order() {
        let earlier = term(0, day(2, 20), day(7, 2));
        let before = NaiveDate::from_ymd_opt(2026, 2, 20).unwrap();
        let earlier = semester::Model { start_date: before, ..earlier };
        let (_, errors) = merged(serde_json::json!({"end_semester_id": 0}), Some(Some(&earlier)));
        assert_eq!(errors, ["end_semester_id"]);
        let (_, errors) = merged(serde_json::json!({"end_semester_id": 5, "start_date": "2026-08-01"}), Some(None));
        assert_eq!(errors, ["end_semester_id", "start_date"]);
        let (_, errors) =
            merged(serde_json::json!({"assessment": {"grade": "excellent", "assessed_on": "2026-12-01"}}), None);
        assert_eq!(errors, ["assessment.assessed_on"], "not in the future");
    }
}
