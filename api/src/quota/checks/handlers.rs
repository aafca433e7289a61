//! `GET /quota-checks`, `GET /quota-checks/explain` and `POST /quota-checks/simulate`.

use actix_web::{get, post, web};

use super::audience::Selection;
use super::engine::{assign, in_reach, item, CheckRule};
use super::service::{check, Request};
use super::subjects::load_subjects;
use super::views::{CheckList, CheckQuery, ExplainQuery, Explanation, SimulateRequest, Summary};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::extract::{Json, Query};
use crate::org::ownership;
use crate::pagination::Paging;
use crate::quota::counting::{count, Population};
use crate::quota::evidence::evidence;
use crate::quota::rules::SubjectType;
use crate::quota::store::input::spec_from;
use crate::quota::store::queries::{load_rule, rules_for};
use crate::quota::store::views::Body;
use crate::state::State;

/// Applies the status filter and paging; the summary counts every status.
fn listing(
    semester_id: i64,
    as_of: chrono::NaiveDate,
    items: Vec<super::engine::CheckItem>,
    status: Option<crate::quota::evaluate::Status>,
    paging: Paging,
) -> CheckList {
    let summary = Summary::of(&items);
    let matching: Vec<_> = items.into_iter().filter(|i| status.is_none_or(|s| i.status == s)).collect();
    let total = matching.len() as u64;
    let items = matching.into_iter().skip(paging.offset as usize).take(paging.limit as usize).collect();
    CheckList { semester_id, as_of, summary, items, total, limit: paging.limit, offset: paging.offset }
}

/// Who meets each rule, who is on track, at risk or already short, as of a day: one result per
/// subject and applicable rule (each subject measured against one rule per family).
#[utoipa::path(
    tag = "quota",
    params(CheckQuery),
    responses(
        (status = 200, description = "A page of results, with counts per status", body = CheckList),
        (status = 403, description = "The caller sees the school or zone but may not see all its checks", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such semester or subject in the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid parameters, naming the field", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/quota-checks")]
async fn list_quota_checks(state: State, actor: Actor, query: Query<CheckQuery>) -> ApiResult<web::Json<CheckList>> {
    let q = query.0;
    let paging = Paging::new(q.limit, q.offset)?;
    let request = Request {
        semester_id: q.semester_id,
        as_of: q.as_of.unwrap_or_else(today),
        selection: q.selection(),
        subject_type: q.subject_type,
        drafts: vec![],
        include_saved: true,
    };
    let outcome = check(&state.db, &actor, &request).await?;
    let items = outcome.items.into_iter().filter(|i| q.rule_id.is_none_or(|r| i.rule.id == Some(r))).collect();
    Ok(web::Json(listing(q.semester_id, request.as_of, items, q.status, paging)))
}

/// One result and the rows behind it: those that counted, per period, and those that did not,
/// with the reason.
#[utoipa::path(
    tag = "quota",
    params(ExplainQuery),
    responses(
        (status = 200, description = "The result and its evidence", body = Explanation),
        (status = 404, description = "No such rule, semester or subject in the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The rule does not measure this subject (another rule of its family does, or its filters exclude it)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/quota-checks/explain")]
async fn explain_quota_check(
    state: State,
    actor: Actor,
    query: Query<ExplainQuery>,
) -> ApiResult<web::Json<Explanation>> {
    let q = query.0;
    let db = &state.db;
    let as_of = q.as_of.unwrap_or_else(today);
    let stored = load_rule(db, &actor, q.rule_id).await?;
    let id = Some(q.subject_id);
    let selection = match q.subject_type {
        SubjectType::Teacher => Selection { teacher_id: id, ..Default::default() },
        SubjectType::Group => Selection { group_id: id, ..Default::default() },
        SubjectType::Mentorship => Selection { mentorship_id: id, ..Default::default() },
        SubjectType::School => Selection { school_id: id, ..Default::default() },
    };
    let request = Request { semester_id: q.semester_id, as_of, selection, ..Default::default() };
    let outcome = check(db, &actor, &request).await?;
    let (term, target) = (outcome.term, outcome.target);
    let mut target = target;
    if q.subject_type == SubjectType::School {
        target.teachers = Some(vec![]);
        target.groups = Some(vec![]);
        target.mentorships = Some(vec![]);
    }
    let subject = load_subjects(db, &target, &[q.subject_type], &term.semester, as_of)
        .await?
        .into_iter()
        .find(|s| s.subject.id == q.subject_id)
        .ok_or_else(|| ApiError::invalid("subject_id", "is not measured this semester (not active, or archived)"))?;
    if stored.row.district_id != target.district_id {
        return Err(ApiError::invalid("rule_id", "is not a rule of the semester's district"));
    }
    // The rule must be one this subject is measured against, families included.
    let school_ids = subject.subject.school_id.map(|s| vec![s]);
    let rules: Vec<CheckRule> = rules_for(db, target.district_id, school_ids.as_deref(), term.semester.id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(index, r)| CheckRule { id: Some(r.row.id), index, owner_school_id: r.row.school_id, spec: r.spec })
        .collect();
    let rule = CheckRule {
        id: Some(stored.row.id),
        index: 0,
        owner_school_id: stored.row.school_id,
        spec: stored.spec.clone(),
    };
    if !in_reach(&rule, &subject) || !stored.covers(term.semester.id) || stored.row.archived_at.is_some() {
        return Err(ApiError::invalid("rule_id", "does not measure this subject in this semester"));
    }
    let chosen = &assign(&rules, std::slice::from_ref(&subject), term.semester.start_date)[0];
    if !chosen.iter().any(|i| rules[*i].id == rule.id) {
        let instead =
            chosen.iter().map(|i| &rules[*i]).find(|r| r.spec.family.is_some() && r.spec.family == rule.spec.family);
        let message = match instead {
            Some(other) => format!(
                "another rule of its family measures this subject: {} (id {})",
                other.spec.name,
                other.id.unwrap_or_default()
            ),
            None => "its filters (applies_to) do not match this subject".to_string(),
        };
        return Err(ApiError::invalid("rule_id", message));
    }
    let periods = term.periods(rule.spec.period);
    let population = Population {
        district_id: target.district_id,
        school_ids: target.school_ids.clone(),
        subject_ids: Some(vec![subject.subject.id]),
    };
    let counted = count(db, &population, subject.subject.kind, &rule.spec.metric, &periods, as_of).await?;
    let result = item(&term, &rule, &subject, &periods, counted.get(&subject.subject.id), as_of);
    let rows = evidence(db, subject.subject.kind, subject.subject.id, &rule.spec.metric, &periods, as_of).await?;
    Ok(web::Json(Explanation { rule: stored.view(), result, evidence: rows }))
}

/// What draft rules would say, without saving them: the same results as the checks list, each
/// draft named by its position in `rules`. For the administrators who adopt rules.
#[utoipa::path(
    tag = "quota",
    request_body = SimulateRequest,
    responses(
        (status = 200, description = "A page of results, with counts per status", body = CheckList),
        (status = 403, description = "The caller does not manage rules for this population", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid draft rule, naming the field (`rules[0].min` ...)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/quota-checks/simulate")]
async fn simulate_quota_checks(
    state: State,
    actor: Actor,
    body: Json<SimulateRequest>,
) -> ApiResult<web::Json<CheckList>> {
    let body = body.0;
    let paging = Paging::new(body.limit, body.offset)?;
    if body.rules.is_empty() || body.rules.len() > 50 {
        return Err(ApiError::invalid("rules", "give 1 to 50 draft rules"));
    }
    let mut drafts = Vec::with_capacity(body.rules.len());
    for (i, value) in body.rules.iter().enumerate() {
        let parsed = Body::split(value.clone(), true).and_then(|b| {
            if b.school_id.is_some() || b.district_id.is_some() || b.semester_ids.is_some() {
                return Err(ApiError::invalid(
                    "school_id",
                    "a draft has no owner: it measures the request's population",
                ));
            }
            spec_from(b.template_id.as_deref(), b.fields)
        });
        match parsed {
            Ok(spec) => drafts.push(spec),
            Err(ApiError::Validation(errors)) => {
                return Err(ApiError::Validation(
                    errors.into_iter().map(|e| FieldError::new(format!("rules[{i}].{}", e.field), e.message)).collect(),
                ))
            }
            Err(other) => return Err(other),
        }
    }
    let request = Request {
        semester_id: body.semester_id,
        as_of: body.as_of.unwrap_or_else(today),
        selection: body.selection(),
        subject_type: body.subject_type,
        drafts,
        include_saved: body.include_saved,
    };
    let outcome = check(&state.db, &actor, &request).await?;
    let manages = match outcome.target.school_ids.as_deref() {
        None => ownership::manages(&actor, outcome.target.district_id, None),
        Some(schools) => schools.iter().all(|s| ownership::manages(&actor, outcome.target.district_id, Some(*s))),
    };
    actor.require(manages, "simulate rules for this population")?;
    Ok(web::Json(listing(body.semester_id, request.as_of, outcome.items, body.status, paging)))
}
