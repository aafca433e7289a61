//! The quota rule model: who a rule applies to, what it counts, per which period, and the
//! minimum — all of it data, nothing about a particular rule in code (docs/DOMAIN.md, "Quota rules seen in
//! the sources").
//!
//! Families: rules that share a `family` are alternatives, and each subject is measured against
//! only the highest-`priority` one that applies to it. That is how seed 004's "主管领导每期不少于
//! 30节；其余领导15；教研组长15；教师10" is four rules of one family.

use std::collections::BTreeMap;

use crate::vocab::{
    ActivityType, EmploymentType, GroupKind, HonourTitle, LessonKind, LessonPlanForm, Modality, Post, RecordKind,
};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::evaluate::Shape;
use crate::periods::PeriodKind;

/// What a rule measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    /// 教师
    Teacher,
    /// 教研组/备课组/中心组
    Group,
    /// 师徒结对
    Mentorship,
    /// 学校
    School,
}

/// How binding a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 不少于/至少/必须: a hard minimum.
    Required,
    /// 力争: a target.
    Target,
}

/// Who a rule applies to. Every list that is not empty must match (any of its values); empty
/// lists and absent bounds match everyone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Applicability {
    /// Holds any of these leadership posts (职务).
    pub posts: Vec<Post>,
    /// Holds any of these honours (any level).
    pub honours: Vec<HonourTitle>,
    /// For group rules: the group is of one of these kinds; for teacher rules: the teacher is a
    /// live member of a group of one of these kinds.
    pub group_kinds: Vec<GroupKind>,
    /// Teaching years (教龄) at least / at most, on the reference date.
    pub min_teaching_years: Option<i32>,
    pub max_teaching_years: Option<i32>,
    /// Age at least / at most, on the reference date.
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    /// The day ages and teaching years are taken on; default: the semester's first day.
    pub reference_date: Option<NaiveDate>,
    /// Teaches any of these subjects (for group rules: the group's subject).
    pub subjects: Vec<String>,
    pub employment_types: Vec<EmploymentType>,
    /// Is (for group rules) or belongs to (for teacher rules) one of these groups.
    pub group_ids: Vec<i64>,
}

/// What is counted. Every filter is optional; an empty list means "any".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Metric {
    /// 听课: lesson observations the teacher made.
    Observations {
        #[serde(default)]
        lesson_kinds: Vec<LessonKind>,
        /// Only lessons of a subject the observer teaches (本学科).
        #[serde(default)]
        same_subject: bool,
        /// Only teachers of the observer's own school.
        #[serde(default)]
        same_school: bool,
        /// Only observations with a critique (评课) given.
        #[serde(default)]
        critique_given: bool,
        /// Only observations whose feedback has at least one strength, weakness and suggestion
        /// (三个一).
        #[serde(default)]
        feedback_complete: bool,
    },
    /// Research records the teacher wrote (or co-wrote, with `include_coauthored`).
    Records {
        #[serde(default)]
        kinds: Vec<RecordKind>,
        /// Each record must have at least this many 字 ("论文字数不少于500字").
        #[serde(default)]
        min_words: Option<i32>,
        /// Late answers to dated tasks do not count ("过时不候").
        #[serde(default)]
        on_time_only: bool,
        #[serde(default)]
        lesson_plan_form: Option<LessonPlanForm>,
        /// Records the teacher co-authored count too (课题 joined).
        #[serde(default)]
        include_coauthored: bool,
    },
    /// The sum of 字 over such records ("学习笔记5000字").
    RecordWords {
        #[serde(default)]
        kinds: Vec<RecordKind>,
        #[serde(default)]
        on_time_only: bool,
    },
    /// The sum of hours over such records (培训学时).
    RecordHours {
        #[serde(default)]
        kinds: Vec<RecordKind>,
    },
    /// Lessons the teacher gave at activities (上公开课/研究课), by lesson kind.
    LessonsGiven {
        #[serde(default)]
        lesson_kinds: Vec<LessonKind>,
    },
    /// Activities the group organised and held, by type and modality.
    ActivitiesHeld {
        #[serde(default)]
        activity_types: Vec<ActivityType>,
        #[serde(default)]
        modality: Option<Modality>,
    },
    /// Activities the teacher attended (present or late).
    ActivitiesAttended {
        #[serde(default)]
        activity_types: Vec<ActivityType>,
    },
    /// Attendance rate at held activities (0–1), as the attendance module defines it.
    AttendanceRate,
    /// For a pair: the mentor's observations of the mentee ("师傅每周听徒弟一节课").
    MentorObservesMentee {
        #[serde(default)]
        lesson_kinds: Vec<LessonKind>,
    },
    /// For a pair: the mentee's observations of the mentor.
    MenteeObservesMentor {
        #[serde(default)]
        lesson_kinds: Vec<LessonKind>,
    },
    /// Share (0–1) of the teacher's lesson plans written in full (精备/详案, seed 002).
    FullLessonPlanShare,
    /// 集体备课: drafts (初备) the teacher submitted as lead preparer (主备) by their due day
    /// ("主备教师要提前三天把主备教案发到组内教师手中", seed 003), dated by the day submitted.
    PrepDraftsOnTime,
    /// 集体备课: revision notes (一度调整) the teacher wrote on others' drafts as co-preparer (副备),
    /// dated by the day written.
    PrepNotesGiven,
    /// 集体备课: share (0–1) of the group's preparations completed through all three stages
    /// (一度、二度、三度调整), over the preparations whose session falls in the period.
    PrepCompletionShare,
}

impl Metric {
    /// The subject types this metric can measure.
    pub fn measures(&self) -> &'static [SubjectType] {
        use SubjectType::*;
        match self {
            Metric::Observations { .. }
            | Metric::Records { .. }
            | Metric::RecordWords { .. }
            | Metric::RecordHours { .. }
            | Metric::LessonsGiven { .. }
            | Metric::ActivitiesAttended { .. }
            | Metric::FullLessonPlanShare
            | Metric::PrepDraftsOnTime
            | Metric::PrepNotesGiven => &[Teacher],
            Metric::PrepCompletionShare => &[Group],
            Metric::ActivitiesHeld { .. } => &[Group, School],
            Metric::AttendanceRate => &[Teacher, Group],
            Metric::MentorObservesMentee { .. } | Metric::MenteeObservesMentor { .. } => &[Mentorship],
        }
    }

    pub fn shape(&self) -> Shape {
        match self {
            Metric::AttendanceRate | Metric::FullLessonPlanShare | Metric::PrepCompletionShare => Shape::Ratio,
            _ => Shape::Count,
        }
    }

    /// The code of the metric, as in `kind`.
    pub fn code(&self) -> &'static str {
        match self {
            Metric::Observations { .. } => "observations",
            Metric::Records { .. } => "records",
            Metric::RecordWords { .. } => "record_words",
            Metric::RecordHours { .. } => "record_hours",
            Metric::LessonsGiven { .. } => "lessons_given",
            Metric::ActivitiesHeld { .. } => "activities_held",
            Metric::ActivitiesAttended { .. } => "activities_attended",
            Metric::AttendanceRate => "attendance_rate",
            Metric::MentorObservesMentee { .. } => "mentor_observes_mentee",
            Metric::MenteeObservesMentor { .. } => "mentee_observes_mentor",
            Metric::FullLessonPlanShare => "full_lesson_plan_share",
            Metric::PrepDraftsOnTime => "prep_drafts_on_time",
            Metric::PrepNotesGiven => "prep_notes_given",
            Metric::PrepCompletionShare => "prep_completion_share",
        }
    }
}

/// A rule as data: everything but its owner, semesters and id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub name: String,
    pub subject_type: SubjectType,
    #[serde(default)]
    pub applies_to: Applicability,
    pub metric: Metric,
    pub period: PeriodKind,
    /// The minimum per period (a count, or a ratio 0–1 for rates and shares).
    pub min: f64,
    pub max: Option<f64>,
    pub severity: Severity,
    /// Rules sharing a family are alternatives: a subject is measured against the applicable one
    /// with the highest priority.
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub priority: i32,
    /// Where the rule comes from, quoted ("教师每月听课不少于4节", seed 000).
    #[serde(default)]
    pub source: Option<String>,
}

/// A problem of a rule: the field it is in (`metric.kind`, `applies_to.max_age` ...) and what is
/// wrong with it. The api turns it into its own field error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub field: String,
    pub message: String,
}

impl RuleError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        RuleError { field: field.into(), message: message.into() }
    }
}

/// Every problem of a rule, each naming its field (`metric.kind`, `min` ...).
pub fn check(spec: &RuleSpec) -> Vec<RuleError> {
    let mut errors = Vec::new();
    let name = spec.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(RuleError::new("name", "must be 1 to 200 characters"));
    }
    if !spec.metric.measures().contains(&spec.subject_type) {
        let allowed: Vec<&str> = spec.metric.measures().iter().map(|s| subject_code(*s)).collect();
        errors.push(RuleError::new(
            "metric.kind",
            format!(
                "{} measures {}, not a {} rule",
                spec.metric.code(),
                allowed.join(" or "),
                subject_code(spec.subject_type)
            ),
        ));
    }
    if !spec.min.is_finite() || spec.min < 0.0 {
        errors.push(RuleError::new("min", "must be a number ≥ 0"));
    }
    if spec.metric.shape() == Shape::Ratio && spec.min > 1.0 {
        errors.push(RuleError::new("min", "is a share: 0 to 1 (0.98 for 98%)"));
    }
    if let Some(max) = spec.max {
        if !max.is_finite() || max < spec.min {
            errors.push(RuleError::new("max", "must not be below min"));
        }
    }
    if spec.metric.shape() == Shape::Ratio && !matches!(spec.period, PeriodKind::Semester | PeriodKind::SchoolYear) {
        errors.push(RuleError::new("period", "a rate or share is measured per semester or school year"));
    }
    let a = &spec.applies_to;
    for (field, low, high) in [
        ("applies_to.max_teaching_years", a.min_teaching_years, a.max_teaching_years),
        ("applies_to.max_age", a.min_age, a.max_age),
    ] {
        if let (Some(low), Some(high)) = (low, high) {
            if high < low {
                errors.push(RuleError::new(field, "must not be below the minimum"));
            }
        }
    }
    if spec.subject_type == SubjectType::Mentorship && *a != Applicability::default() {
        errors.push(RuleError::new("applies_to", "a mentorship rule applies to every pair"));
    }
    if let Some(family) = &spec.family {
        if family.trim().is_empty() || family.chars().count() > 64 {
            errors.push(RuleError::new("family", "must be 1 to 64 characters"));
        }
    }
    errors
}

fn subject_code(s: SubjectType) -> &'static str {
    match s {
        SubjectType::Teacher => "teacher",
        SubjectType::Group => "group",
        SubjectType::Mentorship => "mentorship",
        SubjectType::School => "school",
    }
}

/// What the applicability filters look at, for one teacher (or, for group rules, one group:
/// its kind, subject and id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub posts: Vec<Post>,
    pub honours: Vec<HonourTitle>,
    pub group_kinds: Vec<GroupKind>,
    pub group_ids: Vec<i64>,
    pub subjects: Vec<String>,
    pub employment_type: Option<EmploymentType>,
    pub birth_date: Option<NaiveDate>,
    pub teaching_start_year: Option<i32>,
    /// A teacher's memberships over the checked days, with the days of each (a member who
    /// joined or left is judged by a group rule only over the days they belonged:
    /// [`crate::assign::presence_for`]). Empty: not known, present all along.
    pub memberships: Vec<Membership>,
}

/// A teacher's membership of a group over some days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Membership {
    pub group_id: i64,
    pub kind: GroupKind,
    pub presence: crate::presence::Presence,
}

/// Whole years from `from` to `on`.
fn years_between(from: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - from.year();
    if (on.month(), on.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

fn any_of<T: PartialEq>(wanted: &[T], held: &[T]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| held.contains(w))
}

/// Whether a rule's filters match `p`, ages and teaching years taken on `reference` (the rule's
/// own `reference_date` wins). A bound on something the profile does not know (no birth date)
/// does not match: the rule is for people we know to be in range.
pub fn applies(a: &Applicability, p: &Profile, reference: NaiveDate) -> bool {
    let on = a.reference_date.unwrap_or(reference);
    let in_range = |value: Option<i32>, low: Option<i32>, high: Option<i32>| match (low, high) {
        (None, None) => true,
        _ => value.is_some_and(|v| low.is_none_or(|l| v >= l) && high.is_none_or(|h| v <= h)),
    };
    let age = p.birth_date.map(|b| years_between(b, on));
    let teaching_years = p.teaching_start_year.map(|y| on.year() - y);
    any_of(&a.posts, &p.posts)
        && any_of(&a.honours, &p.honours)
        && any_of(&a.group_kinds, &p.group_kinds)
        && any_of(&a.group_ids, &p.group_ids)
        && any_of(&a.subjects, &p.subjects)
        && (a.employment_types.is_empty() || p.employment_type.is_some_and(|e| a.employment_types.contains(&e)))
        && in_range(age, a.min_age, a.max_age)
        && in_range(teaching_years, a.min_teaching_years, a.max_teaching_years)
}

/// The rules a subject is measured against: every applicable rule without a family, and of each
/// family the applicable rule with the highest priority (the lower index on a tie, so the order
/// the rules were given decides, never chance).
pub fn select<'a, R>(rules: &'a [R], spec: impl Fn(&R) -> &RuleSpec, p: &Profile, reference: NaiveDate) -> Vec<&'a R> {
    let mut best: BTreeMap<&str, (usize, i32)> = BTreeMap::new();
    let mut chosen = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let s = spec(rule);
        if !applies(&s.applies_to, p, reference) {
            continue;
        }
        match s.family.as_deref() {
            None => chosen.push(i),
            Some(family) => match best.get(family) {
                Some((_, priority)) if *priority >= s.priority => {}
                _ => {
                    best.insert(family, (i, s.priority));
                }
            },
        }
    }
    chosen.extend(best.values().map(|(i, _)| *i));
    chosen.sort();
    chosen.into_iter().map(|i| &rules[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn observations(name: &str, min: f64) -> RuleSpec {
        RuleSpec {
            name: name.into(),
            subject_type: SubjectType::Teacher,
            applies_to: Applicability::default(),
            metric: Metric::Observations {
                lesson_kinds: vec![],
                same_subject: false,
                same_school: false,
                critique_given: false,
                feedback_complete: false,
            },
            period: PeriodKind::Semester,
            min,
            max: None,
            severity: Severity::Required,
            family: None,
            priority: 0,
            source: None,
        }
    }

    /// Seed 004: 主管领导30, 其余领导15, 教研组长15, 教师10, as one family.
    fn seed_004_family() -> Vec<RuleSpec> {
        let with = |name: &str, min: f64, posts: Vec<Post>, priority: i32| RuleSpec {
            applies_to: Applicability { posts, ..Default::default() },
            family: Some("听课节数".into()),
            priority,
            ..observations(name, min)
        };
        vec![
            with("主管领导听课", 30.0, vec![Post::SupervisingLeader], 4),
            with("其余领导听课", 15.0, vec![Post::Principal, Post::AcademicDirector, Post::MiddleManager], 3),
            with("教研组长听课", 15.0, vec![Post::ResearchGroupLeader], 2),
            with("教师听课", 10.0, vec![], 1),
        ]
    }

    fn names(chosen: Vec<&RuleSpec>) -> Vec<&str> {
        chosen.into_iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn each_teacher_gets_the_highest_priority_rule_of_a_family() {
        let rules = seed_004_family();
        let on = day(2026, 9, 1);
        let pick = |posts: Vec<Post>| names(select(&rules, |r| r, &Profile { posts, ..Default::default() }, on));
        assert_eq!(pick(vec![Post::SupervisingLeader, Post::MiddleManager]), vec!["主管领导听课"]);
        assert_eq!(pick(vec![Post::AcademicDirector]), vec!["其余领导听课"]);
        assert_eq!(pick(vec![Post::ResearchGroupLeader]), vec!["教研组长听课"]);
        assert_eq!(pick(vec![]), vec!["教师听课"]);
    }

    #[test]
    fn rules_without_a_family_all_apply_and_keep_their_order() {
        let mut rules = seed_004_family();
        rules.insert(0, observations("每学期听课15节", 15.0));
        rules.push(RuleSpec { period: PeriodKind::Month, ..observations("每月听课4节", 4.0) });
        let chosen = names(select(&rules, |r| r, &Profile::default(), day(2026, 9, 1)));
        assert_eq!(chosen, vec!["每学期听课15节", "教师听课", "每月听课4节"]);
    }

    #[test]
    fn a_tie_in_priority_goes_to_the_rule_given_first() {
        let mut rules = seed_004_family();
        rules[1].priority = 4;
        let p = Profile { posts: vec![Post::SupervisingLeader, Post::Principal], ..Default::default() };
        assert_eq!(names(select(&rules, |r| r, &p, day(2026, 9, 1))), vec!["主管领导听课"]);
    }

    #[test]
    fn teaching_years_bands_follow_seed_002() {
        // 5年内教龄精备; 5—10年精备3/5; 10年以上精备1/2 (seed 002).
        let band = |low: Option<i32>, high: Option<i32>| Applicability {
            min_teaching_years: low,
            max_teaching_years: high,
            ..Default::default()
        };
        let on = day(2026, 9, 1);
        let teacher = |start: i32| Profile { teaching_start_year: Some(start), ..Default::default() };
        assert!(applies(&band(None, Some(4)), &teacher(2023), on));
        assert!(!applies(&band(None, Some(4)), &teacher(2021), on));
        assert!(applies(&band(Some(5), Some(10)), &teacher(2021), on));
        assert!(applies(&band(Some(11), None), &teacher(2010), on));
        assert!(!applies(&band(Some(11), None), &Profile::default(), on), "unknown teaching years match no band");
    }

    #[test]
    fn ages_are_whole_years_on_the_reference_date() {
        let under_35 = Applicability { max_age: Some(34), ..Default::default() };
        let born = |y, m, d| Profile { birth_date: Some(day(y, m, d)), ..Default::default() };
        // 35 on 2026-09-02: still 34 on 09-01.
        assert!(applies(&under_35, &born(1991, 9, 2), day(2026, 9, 1)));
        assert!(!applies(&under_35, &born(1991, 9, 1), day(2026, 9, 1)));
        let fixed = Applicability { reference_date: Some(day(2026, 12, 31)), ..under_35 };
        assert!(!applies(&fixed, &born(1991, 9, 2), day(2026, 9, 1)), "the rule's own reference date wins");
    }

    #[test]
    fn lists_match_any_of_their_values_and_all_lists_must_match() {
        let a = Applicability {
            honours: vec![HonourTitle::BackboneTeacher, HonourTitle::RenownedTeacher],
            subjects: vec!["语文".into()],
            ..Default::default()
        };
        let on = day(2026, 9, 1);
        let p = |honours: Vec<HonourTitle>, subject: &str| Profile {
            honours,
            subjects: vec![subject.into(), "书法".into()],
            ..Default::default()
        };
        assert!(applies(&a, &p(vec![HonourTitle::BackboneTeacher], "语文"), on));
        assert!(!applies(&a, &p(vec![HonourTitle::BackboneTeacher], "数学"), on));
        assert!(!applies(&a, &p(vec![HonourTitle::RisingStar], "语文"), on));
        let contract = Applicability { employment_types: vec![EmploymentType::Contract], ..Default::default() };
        assert!(!applies(&contract, &Profile::default(), on));
    }

    #[test]
    fn invalid_rules_name_their_fields() {
        let fields = |spec: &RuleSpec| check(spec).into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert!(fields(&observations("每学期听课15节", 15.0)).is_empty());
        let pair_metric =
            RuleSpec { metric: Metric::MentorObservesMentee { lesson_kinds: vec![] }, ..observations("x", 1.0) };
        assert_eq!(fields(&pair_metric), vec!["metric.kind"]);
        assert_eq!(fields(&observations("x", -1.0)), vec!["min"]);
        assert_eq!(fields(&RuleSpec { max: Some(2.0), ..observations("x", 3.0) }), vec!["max"]);
        let rate = RuleSpec { metric: Metric::AttendanceRate, period: PeriodKind::Month, ..observations("x", 98.0) };
        assert_eq!(fields(&rate), vec!["min", "period"]);
        let band = RuleSpec {
            applies_to: Applicability { min_age: Some(40), max_age: Some(30), ..Default::default() },
            ..observations(" ", 1.0)
        };
        assert_eq!(fields(&band), vec!["name", "applies_to.max_age"]);
    }

    #[test]
    fn rules_read_from_json_refuse_unknown_fields_and_kinds() {
        let ok: RuleSpec = serde_json::from_value(serde_json::json!({
            "name": "每月听课不少于4节", "subject_type": "teacher", "period": "month", "min": 4, "severity": "required",
            "metric": {"kind": "observations", "same_subject": true, "lesson_kinds": ["ordinary"]},
            "applies_to": {"posts": ["research_group_leader"]}
        }))
        .unwrap();
        assert_eq!(ok.metric.code(), "observations");
        let unknown_kind = serde_json::json!({"name": "x", "subject_type": "teacher", "period": "month", "min": 4,
            "severity": "required", "metric": {"kind": "coffee"}});
        assert!(serde_json::from_value::<RuleSpec>(unknown_kind).is_err());
        let unknown_filter = serde_json::json!({"name": "x", "subject_type": "teacher", "period": "month", "min": 4,
            "severity": "required", "metric": {"kind": "observations"}, "applies_to": {"ages": 3}});
        assert!(serde_json::from_value::<RuleSpec>(unknown_filter).is_err());
    }
}
