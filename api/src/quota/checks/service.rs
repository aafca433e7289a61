//! A check from request to results, shared by the checks endpoints and the reports: the caller's
//! target, the rules that apply there, the subjects, the run, and the order results are listed in.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::audience::{target_for, Selection};
use super::engine::{run, CheckItem, CheckRule, Term};
use super::subjects::{load_subjects, Target};
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::org::semesters::load_semester;
use crate::quota::rules::SubjectType;
use crate::quota::store::queries::rules_for;

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub semester_id: i64,
    pub as_of: NaiveDate,
    pub selection: Selection,
    pub subject_type: Option<SubjectType>,
    /// Draft rules (simulation); they measure every school of the target.
    pub drafts: Vec<crate::quota::rules::RuleSpec>,
    /// Whether the saved rules run too (always, unless simulating drafts alone).
    pub include_saved: bool,
}

/// The results of a check, in list order, with the term and target they were computed for.
pub struct Outcome {
    pub term: Term,
    pub target: Target,
    pub items: Vec<CheckItem>,
}

const ALL_KINDS: [SubjectType; 4] =
    [SubjectType::Teacher, SubjectType::Group, SubjectType::Mentorship, SubjectType::School];

fn kind_rank(kind: SubjectType) -> usize {
    ALL_KINDS.iter().position(|k| *k == kind).unwrap_or(ALL_KINDS.len())
}

/// Runs a check for `actor`.
pub async fn check(db: &impl ConnectionTrait, actor: &Actor, request: &Request) -> ApiResult<Outcome> {
    let semester = load_semester(db, actor, request.semester_id).await?;
    let target = target_for(db, actor, &semester, request.selection).await?;
    let term = Term::load(db, semester).await?;
    let items = check_target(db, &term, &target, request).await?;
    Ok(Outcome { term, target, items })
}

/// The results for exactly `target`, whoever asks: for callers that settled access themselves
/// (a group's report is read by whoever sees the group, its rule results included).
pub async fn check_target(
    db: &impl ConnectionTrait,
    term: &Term,
    target: &Target,
    request: &Request,
) -> ApiResult<Vec<CheckItem>> {
    let mut rules: Vec<CheckRule> = Vec::new();
    if request.include_saved {
        let saved = rules_for(db, target.district_id, target.school_ids.as_deref(), term.semester.id).await?;
        rules.extend(saved.into_iter().enumerate().map(|(index, r)| CheckRule {
            id: Some(r.row.id),
            index,
            owner_school_id: r.row.school_id,
            spec: r.spec,
        }));
    }
    rules.extend(request.drafts.iter().enumerate().map(|(index, spec)| CheckRule {
        id: None,
        index,
        owner_school_id: None,
        spec: spec.clone(),
    }));
    let kinds: Vec<SubjectType> = match request.subject_type {
        Some(kind) => vec![kind],
        None => ALL_KINDS.iter().copied().filter(|k| rules.iter().any(|r| r.spec.subject_type == *k)).collect(),
    };
    let subjects = load_subjects(db, target, &kinds, &term.semester, request.as_of).await?;
    let mut items = run(db, term, target, &rules, &subjects, request.as_of).await?;
    items.sort_by(|a, b| {
        (kind_rank(a.subject.kind), &a.subject.name, a.subject.id, a.rule.id.is_none(), a.rule.id, a.rule.index).cmp(&(
            kind_rank(b.subject.kind),
            &b.subject.name,
            b.subject.id,
            b.rule.id.is_none(),
            b.rule.id,
            b.rule.index,
        ))
    });
    Ok(items)
}
