//! Running rules over subjects: which rule measures whom (owner, subject type, applicability,
//! families), one aggregate count per rule over the whole target, then the pure evaluation per
//! subject. The number of queries grows with the number of rules, never with the number of
//! teachers.

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::semester;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use super::subjects::{Subject, SubjectRef, Target};
use crate::error::ApiResult;
use crate::org::calendar::Calendar;
use crate::org::semesters::calendar_of;
use crate::quota::counting::{count, no_data, Population};
use crate::quota::evaluate::{evaluate, PeriodStatus, Status};
use crate::quota::periods::{periods, Period, PeriodKind};
use crate::quota::rules::{select, RuleSpec, Severity};

/// A rule as a check runs it: saved (`id`) or a draft being simulated (`index`).
#[derive(Debug, Clone)]
pub struct CheckRule {
    pub id: Option<i64>,
    pub index: usize,
    /// The owning school; `None`: a district rule (or a draft), for every school.
    pub owner_school_id: Option<i64>,
    pub spec: RuleSpec,
}

/// The rule as a check result names it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "index": null, "name": "教师每月听课不少于4节", "severity": "required",
    "metric": "observations", "period": "month", "min": 4.0, "family": null}))]
pub struct RuleRef {
    /// The saved rule; `null` for a simulated draft.
    pub id: Option<i64>,
    /// A simulated draft's position in the request's `rules`; `null` for a saved rule.
    pub index: Option<usize>,
    pub name: String,
    pub severity: Severity,
    /// The metric's `kind`.
    pub metric: String,
    pub period: PeriodKind,
    /// The minimum per period.
    pub min: f64,
    pub family: Option<String>,
}

impl RuleRef {
    pub fn of(rule: &CheckRule) -> RuleRef {
        RuleRef {
            id: rule.id,
            index: rule.id.is_none().then_some(rule.index),
            name: rule.spec.name.clone(),
            severity: rule.spec.severity,
            metric: rule.spec.metric.code().to_string(),
            period: rule.spec.period,
            min: rule.spec.min,
            family: rule.spec.family.clone(),
        }
    }
}

/// One period of a result, with the teaching days that decided its minimum (a period cut by the
/// semester needs `ceil(min × teaching_days / full_teaching_days)`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"start": "2026-09-01", "end": "2026-09-30", "required": 4.0, "actual": 4.0, "status": "met",
    "teaching_days": 21, "full_teaching_days": 22}))]
pub struct CheckPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub required: f64,
    pub actual: f64,
    pub status: PeriodStatus,
    pub teaching_days: u32,
    pub full_teaching_days: u32,
}

/// Where one subject stands with one rule.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"subject": {"type": "teacher", "id": 5, "name": "王芳", "school_id": 2},
    "rule": {"id": 3, "index": null, "name": "教师每月听课不少于4节", "severity": "required", "metric": "observations",
        "period": "month", "min": 4.0, "family": null},
    "required": 20.0, "actual": 7.0, "status": "on_track", "expected_by_now": 6.26, "projected": 22.35,
    "periods": [{"start": "2026-09-01", "end": "2026-09-30", "required": 4.0, "actual": 4.0, "status": "met",
        "teaching_days": 21, "full_teaching_days": 22}]}))]
pub struct CheckItem {
    pub subject: SubjectRef,
    pub rule: RuleRef,
    pub required: f64,
    pub actual: f64,
    pub status: Status,
    pub expected_by_now: f64,
    pub projected: f64,
    pub periods: Vec<CheckPeriod>,
}

/// The semester being checked, with what periods need.
pub struct Term {
    pub semester: semester::Model,
    pub calendar: Calendar,
    /// The school year's first and last day: the first day of its first semester to the last day
    /// of its last one (the semesters of the district sharing `school_year`).
    pub school_year: (NaiveDate, NaiveDate),
}

impl Term {
    pub async fn load(db: &impl ConnectionTrait, semester: semester::Model) -> ApiResult<Term> {
        let calendar = calendar_of(&semester)?;
        let siblings = semester::Entity::find()
            .filter(semester::Column::DistrictId.eq(semester.district_id))
            .filter(semester::Column::SchoolYear.eq(semester.school_year.clone()))
            .filter(semester::Column::ArchivedAt.is_null())
            .all(db)
            .await?;
        let start =
            siblings.iter().map(|s| s.start_date).chain([semester.start_date]).min().unwrap_or(semester.start_date);
        let end = siblings.iter().map(|s| s.end_date).chain([semester.end_date]).max().unwrap_or(semester.end_date);
        Ok(Term { semester, calendar, school_year: (start, end) })
    }

    pub fn periods(&self, kind: PeriodKind) -> Vec<Period> {
        periods(&self.calendar, kind, Some(self.school_year))
    }
}

/// Whether `rule` may measure `subject` at all: its subject type, and its owner (a school rule
/// measures that school's subjects only; district rules every school's).
pub fn in_reach(rule: &CheckRule, subject: &Subject) -> bool {
    rule.spec.subject_type == subject.subject.kind
        && rule.owner_school_id.is_none_or(|owner| subject.subject.school_id == Some(owner))
}

/// For each subject (in order), the indexes into `rules` of the rules it is measured against:
/// those in reach whose filters match, with one rule per family (the highest priority).
pub fn assign(rules: &[CheckRule], subjects: &[Subject], reference: NaiveDate) -> Vec<Vec<usize>> {
    subjects
        .iter()
        .map(|subject| {
            let candidates: Vec<(usize, &CheckRule)> =
                rules.iter().enumerate().filter(|(_, r)| in_reach(r, subject)).collect();
            select(&candidates, |(_, r)| &r.spec, &subject.profile, reference).into_iter().map(|(i, _)| *i).collect()
        })
        .collect()
}

/// A rule's periods and, per subject id, the value counted in each.
type Counted = (Vec<Period>, HashMap<i64, Vec<f64>>);

/// Every (subject, rule) result, as of `as_of`, in the order of `subjects` then `rules`.
pub async fn run(
    db: &impl ConnectionTrait,
    term: &Term,
    target: &Target,
    rules: &[CheckRule],
    subjects: &[Subject],
    as_of: NaiveDate,
) -> ApiResult<Vec<CheckItem>> {
    let assigned = assign(rules, subjects, term.semester.start_date);
    let mut values: HashMap<usize, Counted> = HashMap::new();
    for (r, rule) in rules.iter().enumerate() {
        if !assigned.iter().any(|a| a.contains(&r)) {
            continue;
        }
        let spec = &rule.spec;
        let periods = term.periods(spec.period);
        let population = Population {
            district_id: target.district_id,
            school_ids: target.school_ids.clone(),
            subject_ids: target.ids(spec.subject_type).cloned(),
        };
        let counted = count(db, &population, spec.subject_type, &spec.metric, &periods, as_of).await?;
        values.insert(r, (periods, counted));
    }
    let mut items = Vec::new();
    for (subject, rule_indexes) in subjects.iter().zip(assigned) {
        for r in rule_indexes {
            let (periods, counted) = &values[&r];
            items.push(item(term, &rules[r], subject, periods, counted.get(&subject.subject.id), as_of));
        }
    }
    Ok(items)
}

/// Evaluates one subject's counted values.
pub fn item(
    term: &Term,
    rule: &CheckRule,
    subject: &Subject,
    periods: &[Period],
    counted: Option<&Vec<f64>>,
    as_of: NaiveDate,
) -> CheckItem {
    let spec = &rule.spec;
    let actual: Vec<f64> = match counted {
        Some(values) => values.clone(),
        None => vec![no_data(&spec.metric); periods.len()],
    };
    let e = evaluate(periods, &actual, spec.min, spec.metric.shape(), as_of, &term.calendar);
    CheckItem {
        subject: subject.subject.clone(),
        rule: RuleRef::of(rule),
        required: e.required,
        actual: e.actual,
        status: e.status,
        expected_by_now: e.expected_by_now,
        projected: e.projected,
        periods: e
            .periods
            .into_iter()
            .zip(periods)
            .map(|(r, p)| CheckPeriod {
                start: r.start,
                end: r.end,
                required: r.required,
                actual: r.actual,
                status: r.status,
                teaching_days: p.teaching_days,
                full_teaching_days: p.full_teaching_days,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use entities::enums::Post;

    use super::*;
    use crate::quota::rules::{Applicability, Metric, Profile, SubjectType};

    fn rule(index: usize, name: &str, subject_type: SubjectType, owner: Option<i64>, posts: Vec<Post>) -> CheckRule {
        let metric = match subject_type {
            SubjectType::Teacher => Metric::Observations {
                lesson_kinds: vec![],
                same_subject: false,
                same_school: false,
                critique_given: false,
                feedback_complete: false,
            },
            _ => Metric::ActivitiesHeld { activity_types: vec![], modality: None },
        };
        CheckRule {
            id: Some(index as i64 + 100),
            index,
            owner_school_id: owner,
            spec: RuleSpec {
                name: name.into(),
                subject_type,
                applies_to: Applicability { posts, ..Default::default() },
                metric,
                period: PeriodKind::Semester,
                min: 1.0,
                max: None,
                severity: Severity::Required,
                family: None,
                priority: 0,
                source: None,
            },
        }
    }

    fn subject(kind: SubjectType, id: i64, school_id: Option<i64>, posts: Vec<Post>) -> Subject {
        Subject {
            subject: SubjectRef { kind, id, name: format!("s{id}"), school_id },
            profile: Profile { posts, ..Default::default() },
        }
    }

    #[test]
    fn school_rules_measure_their_own_school_and_district_rules_every_school() {
        let rules = vec![
            rule(0, "district", SubjectType::Teacher, None, vec![]),
            rule(1, "school 10", SubjectType::Teacher, Some(10), vec![]),
            rule(2, "groups", SubjectType::Group, None, vec![]),
        ];
        let subjects = vec![
            subject(SubjectType::Teacher, 1, Some(10), vec![]),
            subject(SubjectType::Teacher, 2, Some(11), vec![]),
            subject(SubjectType::Group, 3, None, vec![]),
        ];
        let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(assign(&rules, &subjects, day), vec![vec![0, 1], vec![0], vec![2]]);
    }

    #[test]
    fn a_family_spanning_district_and_school_rules_picks_one_per_teacher() {
        let mut leaders = rule(0, "leaders 30", SubjectType::Teacher, None, vec![Post::SupervisingLeader]);
        let mut everyone = rule(1, "teachers 10", SubjectType::Teacher, Some(10), vec![]);
        leaders.spec.family = Some("听课".into());
        leaders.spec.priority = 2;
        everyone.spec.family = Some("听课".into());
        everyone.spec.priority = 1;
        let subjects = vec![
            subject(SubjectType::Teacher, 1, Some(10), vec![Post::SupervisingLeader]),
            subject(SubjectType::Teacher, 2, Some(10), vec![]),
            subject(SubjectType::Teacher, 3, Some(11), vec![]),
        ];
        let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(assign(&[leaders, everyone], &subjects, day), vec![vec![0], vec![1], vec![]]);
    }
}
