//! Findings to correct (整改): made by the inspector with a due date, answered by the teacher,
//! closed by the inspector's confirmation (or sent back open).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::enums::FindingStatus;
use entities::{inspection, inspection_finding};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use super::matching::findings_matching;
use super::queries::{load_finding, load_inspection, subject_of};
use super::rules::{items_of, may_confirm, may_inspect, may_respond};
use super::views::{FindingConfirmation, FindingFilter, FindingPatch, FindingResponse, FindingView, NewFinding};
use crate::auth::Actor;
use crate::clock::today;
use crate::domain::{DomainError, DomainResult};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

const TEXT_MAX: usize = 2000;

/// The finding's inspection, for the inspector's rights (it exists: findings are never orphaned).
async fn inspection_of(state: &State, finding: &inspection_finding::Model) -> DomainResult<inspection::Model> {
    inspection::Entity::find_by_id(finding.inspection_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| DomainError::not_found("inspection"))
}

async fn require_inspector(state: &State, actor: &Actor, finding: &inspection_finding::Model) -> ApiResult<()> {
    let found = inspection_of(state, finding).await?;
    Ok(actor.require(may_inspect(actor, found.district_id, found.school_id), "handle this finding")?)
}

/// Record a finding of one inspected teacher (the inspectors).
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Inspection id")), request_body = NewFinding,
    responses((status = 201, description = "Created", body = FindingView)))]
#[post("/inspections/{id}/findings")]
pub async fn create_finding(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<NewFinding>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let found = load_inspection(&state.db, &actor, id.into_inner()).await?;
    actor.require(may_inspect(&actor, found.district_id, found.school_id), "record findings of this inspection")?;
    let mut checks = Checks::new();
    let subject = subject_of(&state.db, found.id, body.teacher_id).await?;
    checks.ensure(subject.is_some(), "teacher_id", "not inspected here");
    if let Some(key) = &body.item_key {
        checks.ensure(
            items_of(&found.items).iter().any(|i| &i.key == key),
            "item_key",
            "no such item in the checklist",
        );
    }
    let description = checks.text("description", &body.description, TEXT_MAX);
    checks.ensure(body.due_on >= found.inspected_on, "due_on", "must not be before the inspection's date");
    checks.finish()?;
    let Some(subject) = subject else { return Err(ApiError::invalid("teacher_id", "not inspected here")) };
    let at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = inspection_finding::ActiveModel {
        inspection_id: Set(found.id),
        district_id: Set(found.district_id),
        school_id: Set(subject.school_id),
        teacher_id: Set(subject.teacher_id),
        item_key: Set(body.item_key),
        description: Set(description),
        due_on: Set(body.due_on),
        status: Set(FindingStatus::Open),
        response: Set(None),
        responded_on: Set(None),
        confirmed_on: Set(None),
        confirmed_by_user_id: Set(None),
        created_by_user_id: Set(Some(actor.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::alerts::events::finding(&txn, &saved).await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/inspection-findings/{}", saved.id), FindingView::new(saved, today())))
}

/// List the findings the caller sees (a teacher: their own), by due date.
#[utoipa::path(tag = "inspections", params(FindingFilter), responses((status = 200, description = "A page of findings", body = Page<FindingView>)))]
#[get("/inspection-findings")]
pub async fn list_findings(
    state: State,
    actor: Actor,
    filter: Query<FindingFilter>,
) -> ApiResult<web::Json<Page<FindingView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let today = today();
    let query = findings_matching(&actor, &f, today);
    Ok(web::Json(fetch_page(query, paging, state.reads()).await?.map(|m| FindingView::new(m, today))))
}

/// Get a finding (the teacher's own, or one of the caller's school or district).
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Finding id")), responses((status = 200, description = "The finding", body = FindingView)))]
#[get("/inspection-findings/{id}")]
pub async fn get_finding(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<FindingView>> {
    Ok(web::Json(FindingView::new(load_finding(state.reads(), &actor, id.into_inner()).await?, today())))
}

/// Change an open finding's description or due date (the inspectors).
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Finding id")), request_body = FindingPatch,
    responses((status = 200, description = "Updated", body = FindingView),
        (status = 409, description = "The finding is closed", body = crate::error::Problem, content_type = "application/problem+json")))]
#[patch("/inspection-findings/{id}")]
pub async fn update_finding(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<FindingPatch>,
) -> ApiResult<web::Json<FindingView>> {
    let body = body.0;
    let current = load_finding(&state.db, &actor, id.into_inner()).await?;
    require_inspector(&state, &actor, &current).await?;
    if current.status == FindingStatus::Closed {
        return Err(ApiError::conflict("status", "a closed finding cannot change"));
    }
    let inspected_on = inspection_of(&state, &current).await?.inspected_on;
    let mut checks = Checks::new();
    let description = body.description.map(|d| checks.text("description", &d, TEXT_MAX));
    if let Some(due) = body.due_on {
        checks.ensure(due >= inspected_on, "due_on", "must not be before the inspection's date");
    }
    checks.finish()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = current.into_active_model();
    if let Some(d) = description {
        active.description = Set(d);
    }
    if let Some(due) = body.due_on {
        active.due_on = Set(due);
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(FindingView::new(saved, today())))
}

/// Archive a finding (the inspectors). Idempotent.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Finding id")), responses((status = 204, description = "Archived")))]
#[delete("/inspection-findings/{id}")]
pub async fn archive_finding(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_finding(&state.db, &actor, id.into_inner()).await?;
    require_inspector(&state, &actor, &current).await?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}

/// The teacher's response: what was corrected (only the teacher the finding is about, while it
/// is open). Dated today by the service's clock; after the due date it is `responded_late`.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Finding id")), request_body = FindingResponse,
    responses((status = 200, description = "Responded", body = FindingView),
        (status = 409, description = "The finding is not open", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/inspection-findings/{id}/response")]
pub async fn respond_to_finding(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<FindingResponse>,
) -> ApiResult<web::Json<FindingView>> {
    let current = load_finding(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.teacher_id == Some(current.teacher_id), "respond to another teacher's finding")?;
    if !may_respond(current.status) {
        return Err(ApiError::conflict("status", format!("the finding is {}, not open", current.status.code())));
    }
    let mut checks = Checks::new();
    let response = checks.text("response", &body.0.response, TEXT_MAX);
    checks.finish()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = current.into_active_model();
    active.status = Set(FindingStatus::Responded);
    active.response = Set(Some(response));
    active.responded_on = Set(Some(today()));
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(FindingView::new(saved, today())))
}

/// The inspector's confirmation of a responded finding: `accepted` closes it, otherwise it is
/// open again (its response kept until the teacher answers anew).
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Finding id")), request_body = FindingConfirmation,
    responses((status = 200, description = "Confirmed or sent back", body = FindingView),
        (status = 409, description = "The finding has no response to confirm", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/inspection-findings/{id}/confirmation")]
pub async fn confirm_finding(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<FindingConfirmation>,
) -> ApiResult<web::Json<FindingView>> {
    let current = load_finding(&state.db, &actor, id.into_inner()).await?;
    require_inspector(&state, &actor, &current).await?;
    if !may_confirm(current.status) {
        return Err(ApiError::conflict("status", format!("the finding is {}, not responded", current.status.code())));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = current.into_active_model();
    if body.0.accepted {
        active.status = Set(FindingStatus::Closed);
        active.confirmed_on = Set(Some(today()));
        active.confirmed_by_user_id = Set(Some(actor.user_id));
    } else {
        active.status = Set(FindingStatus::Open);
        active.responded_on = Set(None);
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(FindingView::new(saved, today())))
}
