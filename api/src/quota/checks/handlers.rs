//! `GET /quota-checks`, `GET /quota-checks/explain` and `POST /quota-checks/simulate`.

use actix_web::http::header::ContentType;
use actix_web::{get, post, web, HttpResponse};

use super::audience::Selection;
use super::engine::{assign, CheckRule, Term};
use super::kept::{Filter, Kept};
use super::notes::notes_for;
use super::page::page_json;
use super::scan::{Place, Within};
use super::service::{check, kept_for, prepare, Request};
use super::subjects::{load_subjects, SubjectRef};
use super::views::{CheckList, CheckQuery, ExplainQuery, Explanation, SimulateRequest};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::extract::{Json, Query};
use crate::org::ownership;
use crate::pagination::Paging;
use crate::quota::evidence::evidence;
use crate::quota::rules::SubjectType;
use crate::quota::store::input::spec_from;
use crate::quota::store::queries::{load_rule, rules_for};
use crate::quota::store::views::Body;
use crate::state::State;

/// A page of a kept check as the API lists it (a [`super::views::CheckList`]).
fn listing(semester_id: i64, as_of: chrono::NaiveDate, kept: &Kept, filter: &Filter, paging: Paging) -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(page_json(
        semester_id,
        as_of,
        kept,
        filter,
        paging.offset,
        paging.limit,
    ))
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
        (status = 422, description = "Invalid parameters, naming the field (`semester_id` when none was given and no semester contains `as_of`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/quota-checks")]
async fn list_quota_checks(state: State, actor: Actor, query: Query<CheckQuery>) -> ApiResult<HttpResponse> {
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
    let outcome = check(&state, &actor, &request).await?;
    let filter = outcome.filter(q.subject_type, q.rule_id, q.status);
    Ok(listing(outcome.semester.id, request.as_of, &outcome.kept, &filter, paging))
}

/// One result and the rows behind it: those that counted, per period, and those that did not,
/// with the reason.
#[utoipa::path(
    tag = "quota",
    params(ExplainQuery),
    responses(
        (status = 200, description = "The result and its evidence", body = Explanation),
        (status = 404, description = "No such rule, semester or subject in the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The rule does not measure this subject (another rule of its family does, or its filters exclude it); or invalid parameters, naming the field (`semester_id` when none was given and no semester contains `as_of`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/quota-checks/explain")]
async fn explain_quota_check(
    state: State,
    actor: Actor,
    query: Query<ExplainQuery>,
) -> ApiResult<web::Json<Explanation>> {
    let q = query.0;
    let db = state.reads();
    let as_of = q.as_of.unwrap_or_else(today);
    let stored = load_rule(db, &actor, q.rule_id).await?;
    let id = Some(q.subject_id);
    let selection = match q.subject_type {
        SubjectType::Teacher => Selection { teacher_id: id, ..Default::default() },
        SubjectType::Group => Selection { group_id: id, ..Default::default() },
        SubjectType::Mentorship => Selection { mentorship_id: id, ..Default::default() },
        SubjectType::School => Selection { school_id: id, ..Default::default() },
    };
    let request = Request { semester_id: q.semester_id, as_of, selection, include_saved: true, ..Default::default() };
    let outcome = check(&state, &actor, &request).await?;
    let term = &Term::load(db, outcome.semester.clone()).await?;
    let kept = &outcome.kept;
    let position =
        kept.subjects.iter().position(|s| s.kind == q.subject_type && s.id == q.subject_id).ok_or_else(|| {
            ApiError::invalid("subject_id", "is not measured this semester (not active, or archived)")
        })?;
    let subject_ref = kept.subjects[position].clone();
    if stored.row.district_id != outcome.target.district_id {
        return Err(ApiError::invalid("rule_id", "is not a rule of the semester's district"));
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
        return Err(ApiError::invalid("rule_id", "does not measure this subject in this semester"));
    }
    let found = kept
        .items
        .iter()
        .position(|i| i.subject as usize == position && kept.rules[i.rule as usize].rule.id == rule.id);
    let Some(index) = found else {
        return Err(ApiError::invalid("rule_id", not_measured_reason(db, term, &subject_ref, &rule, as_of).await?));
    };
    let result = kept.item(index);
    let periods = term.periods(rule.spec.period);
    let rows = evidence(db, subject_ref.kind, subject_ref.id, &rule.spec.metric, &periods, as_of).await?;
    let notes = notes_for(&stored.spec);
    Ok(web::Json(Explanation { rule: stored.view(), result, evidence: rows, notes }))
}

/// Why a rule in reach of a subject does not measure it: another rule of its family does, or
/// its filters exclude the subject.
async fn not_measured_reason(
    db: &sea_orm::DatabaseConnection,
    term: &Term,
    subject: &SubjectRef,
    rule: &CheckRule,
    as_of: chrono::NaiveDate,
) -> ApiResult<String> {
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

/// What draft rules would say, without saving them: the same results as the checks list, each
/// draft named by its position in `rules`. For the administrators who adopt rules.
#[utoipa::path(
    tag = "quota",
    request_body = SimulateRequest,
    responses(
        (status = 200, description = "A page of results, with counts per status", body = CheckList),
        (status = 403, description = "The caller does not manage rules for this population", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such semester, school, zone, group, teacher or mentorship (`semester_id`, `school_id` ...) in the caller's reach, as for `GET /quota-checks`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid draft rule, naming the field (`rules[0].min` ...); `semester_id` when none was given and no semester contains `as_of`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/quota-checks/simulate")]
async fn simulate_quota_checks(state: State, actor: Actor, body: Json<SimulateRequest>) -> ApiResult<HttpResponse> {
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
    let (semester, target) = prepare(state.reads(), &actor, &request).await?;
    let manages = match target.school_ids.as_deref() {
        None => ownership::manages(&actor, target.district_id, None),
        Some(schools) => schools.iter().all(|s| ownership::manages(&actor, target.district_id, Some(*s))),
    };
    actor.require(manages, "simulate rules for this population")?;
    let kept = kept_for(&state, &semester, &target, &request).await?;
    let filter = Filter { target: Some(target), subject_type: body.subject_type, rule_id: None, status: body.status };
    Ok(listing(semester.id, request.as_of, &kept, &filter, paging))
}
