//! One result explained (`GET /quota-checks/explain`): the check's result for a subject and a
//! rule, the rows behind it ([`crate::quota::evidence`]) and what they cannot show
//! ([`super::notes`]); or, for a rule that does not measure the subject, why not.

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::audience::Selection;
use super::engine::{assign, CheckRule, Term};
use super::notes::notes_for;
use super::scan::{Place, Within};
use super::service::{check, Request};
use super::subjects::{load_subjects, SubjectRef};
use super::views::Explanation;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::quota::evidence::evidence;
use crate::quota::rules::SubjectType;
use crate::quota::store::queries::{load_rule, rules_for};
use crate::state::AppState;

/// The result of rule `rule_id` for the subject, as of `as_of`, with its evidence: 404 for a
/// rule, semester or subject out of reach, 422 for a rule that does not measure the subject.
pub async fn explain(
    state: &AppState,
    actor: &Actor,
    rule_id: i64,
    (subject_type, subject_id): (SubjectType, i64),
    semester_id: Option<i64>,
    as_of: NaiveDate,
) -> DomainResult<Explanation> {
    let db = state.reads();
    let stored = load_rule(db, actor, rule_id).await?;
    let id = Some(subject_id);
    let selection = match subject_type {
        SubjectType::Teacher => Selection { teacher_id: id, ..Default::default() },
        SubjectType::Group => Selection { group_id: id, ..Default::default() },
        SubjectType::Mentorship => Selection { mentorship_id: id, ..Default::default() },
        SubjectType::School => Selection { school_id: id, ..Default::default() },
    };
    let request = Request { semester_id, as_of, selection, include_saved: true, ..Default::default() };
    let outcome = check(state, actor, &request).await?;
    let term = &Term::load(db, outcome.semester.clone()).await?;
    let kept = &outcome.kept;
    let position =
        kept.subjects.iter().position(|s| s.kind == subject_type && s.id == subject_id).ok_or_else(|| {
            DomainError::invalid("subject_id", "is not measured this semester (not active, or archived)")
        })?;
    let subject_ref = kept.subjects[position].clone();
    if stored.row.district_id != outcome.target.district_id {
        return Err(DomainError::invalid("rule_id", "is not a rule of the semester's district"));
    }
    let rule = CheckRule {
        id: Some(stored.row.id),
        index: 0,
        owner_school_id: stored.row.school_id,
        spec: stored.spec.clone(),
    };
    let in_reach = rule.spec.subject_type == subject_ref.kind
        && rule.owner_school_id.is_none_or(|owner| subject_ref.school_id == Some(owner));
    if !in_reach || !stored.covers(term.semester.id) || stored.row.archived_at.is_some() {
        return Err(DomainError::invalid("rule_id", "does not measure this subject in this semester"));
    }
    let found = kept
        .items
        .iter()
        .position(|i| i.subject as usize == position && kept.rules[i.rule as usize].rule.id == rule.id);
    let Some(index) = found else {
        return Err(DomainError::invalid("rule_id", not_measured_reason(db, term, &subject_ref, &rule, as_of).await?));
    };
    let result = kept.item(index);
    let periods = term.periods(rule.spec.period);
    let rows = evidence(db, subject_ref.kind, subject_ref.id, &rule.spec.metric, &periods, as_of).await?;
    let notes = notes_for(&stored.spec);
    Ok(Explanation { rule: stored.view(), result, evidence: rows, notes })
}

/// Why a rule in reach of a subject does not measure it: another rule of its family does, or
/// its filters exclude the subject.
async fn not_measured_reason(
    db: &DatabaseConnection,
    term: &Term,
    subject: &SubjectRef,
    rule: &CheckRule,
    as_of: NaiveDate,
) -> DomainResult<String> {
    let place = Place {
        district_id: term.semester.district_id,
        within: subject.school_id.map_or(Within::District, Within::School),
    };
    let rules: Vec<CheckRule> = rules_for(db, &place, term.semester.id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(index, r)| CheckRule { id: Some(r.row.id), index, owner_school_id: r.row.school_id, spec: r.spec })
        .collect();
    let subjects = load_subjects(db, &place, &[subject.kind], &term.semester, as_of).await?;
    let Some(full) = subjects.into_iter().find(|s| s.subject.id == subject.id) else {
        return Ok("its filters (applies_to) do not match this subject".to_string());
    };
    let chosen = &assign(&rules, std::slice::from_ref(&full), term.semester.start_date)[0];
    let instead =
        chosen.iter().map(|i| &rules[*i]).find(|r| r.spec.family.is_some() && r.spec.family == rule.spec.family);
    Ok(match instead {
        Some(other) => format!(
            "another rule of its family measures this subject: {} (id {})",
            other.spec.name,
            other.id.unwrap_or_default()
        ),
        None => "its filters (applies_to) do not match this subject".to_string(),
    })
}
