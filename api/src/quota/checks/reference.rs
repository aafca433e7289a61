//! The per-rule check, kept as the reference the engine is tested against: one aggregate
//! statement per rule ([`crate::quota::counting::count`]) and the plain [`evaluate`] per
//! (subject, rule). It was the engine until the checks had to scale to a district; the
//! differential tests compare every result of [`super::engine::compute`] with it.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::engine::{assign, presence_for, CheckItem, CheckPeriod, CheckRule, RuleRef, Term};
use super::subjects::Subject;
use crate::domain::DomainResult;
use crate::quota::counting::{count, no_data, Population};
use crate::quota::evaluate::evaluate;
use crate::quota::periods::Period;
use crate::quota::presence::clip;

/// A rule's periods and, per subject id, the value counted in each.
type Counted = (Vec<Period>, HashMap<i64, Vec<f64>>);

/// Every (subject, rule) result, as of `as_of`, in the order of `subjects` then `rules`, counted
/// rule by rule over the district (or the given schools).
pub async fn run(
    db: &impl ConnectionTrait,
    term: &Term,
    district_id: i64,
    school_ids: Option<Vec<i64>>,
    rules: &[CheckRule],
    subjects: &[Subject],
    as_of: NaiveDate,
) -> DomainResult<Vec<CheckItem>> {
    let assigned = assign(rules, subjects, term.semester.start_date);
    let mut values: HashMap<usize, Counted> = HashMap::new();
    for (r, rule) in rules.iter().enumerate() {
        if !assigned.iter().any(|a| a.contains(&r)) {
            continue;
        }
        let spec = &rule.spec;
        let periods = term.periods(spec.period);
        let population = Population { district_id, school_ids: school_ids.clone(), subject_ids: None };
        let counted = count(db, &population, spec.subject_type, &spec.metric, &periods, as_of).await?;
        values.insert(r, (periods, counted));
    }
    let mut items = Vec::new();
    for (subject, rule_indexes) in subjects.iter().zip(assigned) {
        for r in rule_indexes {
            let (periods, counted) = &values[&r];
            let presence = presence_for(&rules[r], subject);
            if presence.covers(periods) {
                items.push(item(term, &rules[r], subject, periods, counted.get(&subject.subject.id), as_of));
                continue;
            }
            // Present for part of the semester: counted on its own over the periods cut to its
            // days, so that only what is dated inside them counts.
            let clipped: Vec<Period> = clip(&term.calendar, periods, presence).into_iter().map(|(_, p)| p).collect();
            if clipped.is_empty() {
                continue;
            }
            let spec = &rules[r].spec;
            let population =
                Population { district_id, school_ids: school_ids.clone(), subject_ids: Some(vec![subject.subject.id]) };
            let counted = count(db, &population, spec.subject_type, &spec.metric, &clipped, as_of).await?;
            items.push(item(term, &rules[r], subject, &clipped, counted.get(&subject.subject.id), as_of));
        }
    }
    Ok(items)
}

/// Evaluates one subject's counted values.
fn item(
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
