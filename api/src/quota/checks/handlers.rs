//! `GET /quota-checks`, `GET /quota-checks/explain` and `POST /quota-checks/simulate`.

use actix_web::http::header::ContentType;
use actix_web::{get, post, web, HttpResponse};

use super::explain::explain;
use super::kept::{Filter, Kept};
use super::page::page_json;
use super::service::{check, kept_for, prepare, Request};
use super::views::{CheckList, CheckQuery, ExplainQuery, Explanation, SimulateRequest};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::org::ownership;
use crate::pagination::Paging;
use crate::quota::store::input::drafts_from;
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
    let as_of = q.as_of.unwrap_or_else(today);
    Ok(web::Json(explain(&state, &actor, q.rule_id, (q.subject_type, q.subject_id), q.semester_id, as_of).await?))
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
    let drafts = drafts_from(&body.rules)?;
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
