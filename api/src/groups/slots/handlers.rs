//! The handlers of a group's weekly slots: extract, call, respond.

use super::queries::{load_slot, slots_matching};
use super::rules::{check_timing, parse_time, Timing};
use super::views::{NewSlot, SlotFilter, SlotPatch, SlotView};
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, require_live, require_manages_contents};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now, save_changes, InsertWritten};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::enums::WeekPattern;
use entities::weekly_slot;
use sea_orm::{IntoActiveModel, Set};

/// Parses an optional `HH:MM` field.
fn time(checks: &mut Checks, field: &str, value: Option<&str>) -> Option<chrono::NaiveTime> {
    value.and_then(|v| parse_time(checks, field, v))
}

/// List a group's weekly slots.
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id"), SlotFilter),
    responses((status = 200, description = "A page of slots", body = Page<SlotView>))
)]
#[get("/groups/{id}/slots")]
pub(super) async fn list_slots(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    filter: Query<SlotFilter>,
) -> ApiResult<web::Json<Page<SlotView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let group = load_group(&state.db, &actor, id.into_inner()).await?;
    let query = slots_matching(&f, &group)?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(SlotView::from)))
}

/// Add a weekly slot to a group (the group's administrators and leader).
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id")),
    request_body = NewSlot,
    responses(
        (status = 201, description = "Created", body = SlotView),
        (status = 409, description = "The group is archived", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/groups/{id}/slots")]
pub(super) async fn create_slot(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<NewSlot>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let group = load_group(&state.db, &actor, id.into_inner()).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    require_live(&group)?;
    let mut checks = Checks::new();
    let timing = Timing {
        weekday: body.weekday,
        start_period: body.start_period,
        end_period: body.end_period,
        start_time: time(&mut checks, "start_time", body.start_time.as_deref()),
        end_time: time(&mut checks, "end_time", body.end_time.as_deref()),
        first_week: body.first_week.unwrap_or(1),
    };
    if checks.is_empty() {
        check_timing(&mut checks, &timing);
    }
    let venue = checks.optional_text("venue", body.venue.as_deref(), 100);
    checks.finish()?;
    let at = now();
    let saved = weekly_slot::ActiveModel {
        group_id: Set(group.id),
        weekday: Set(timing.weekday),
        start_period: Set(timing.start_period),
        end_period: Set(timing.end_period),
        start_time: Set(timing.start_time),
        end_time: Set(timing.end_time),
        venue: Set(venue),
        week_pattern: Set(body.week_pattern.unwrap_or(WeekPattern::Every)),
        first_week: Set(timing.first_week),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/groups/{}/slots/{}", group.id, saved.id), SlotView::from(saved)))
}

/// Get one weekly slot of a group.
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id"), ("slot_id" = i64, Path, description = "Slot id")),
    responses((status = 200, description = "The slot", body = SlotView))
)]
#[get("/groups/{id}/slots/{slot_id}")]
pub(super) async fn get_slot(state: State, actor: Actor, ids: web::Path<(i64, i64)>) -> ApiResult<web::Json<SlotView>> {
    let (group_id, slot_id) = ids.into_inner();
    let group = load_group(&state.db, &actor, group_id).await?;
    Ok(web::Json(load_slot(&state.db, &group, slot_id).await?.into()))
}

/// Change a weekly slot (the group's administrators and leader).
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id"), ("slot_id" = i64, Path, description = "Slot id")),
    request_body = SlotPatch,
    responses((status = 200, description = "Updated", body = SlotView))
)]
#[patch("/groups/{id}/slots/{slot_id}")]
pub(super) async fn update_slot(
    state: State,
    actor: Actor,
    ids: web::Path<(i64, i64)>,
    body: Json<SlotPatch>,
) -> ApiResult<web::Json<SlotView>> {
    let body = body.0;
    let (group_id, slot_id) = ids.into_inner();
    let group = load_group(&state.db, &actor, group_id).await?;
    let current = load_slot(&state.db, &group, slot_id).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    let mut checks = Checks::new();
    let start_time = body.start_time.map(|t| time(&mut checks, "start_time", t.as_deref()));
    let end_time = body.end_time.map(|t| time(&mut checks, "end_time", t.as_deref()));
    let timing = Timing {
        weekday: body.weekday.unwrap_or(current.weekday),
        start_period: body.start_period.unwrap_or(current.start_period),
        end_period: body.end_period.unwrap_or(current.end_period),
        start_time: start_time.unwrap_or(current.start_time),
        end_time: end_time.unwrap_or(current.end_time),
        first_week: body.first_week.unwrap_or(current.first_week),
    };
    if checks.is_empty() {
        check_timing(&mut checks, &timing);
    }
    let venue = body.venue.map(|v| checks.optional_text("venue", v.as_deref(), 100));
    checks.finish()?;
    let mut active = current.into_active_model();
    active.weekday = Set(timing.weekday);
    active.start_period = Set(timing.start_period);
    active.end_period = Set(timing.end_period);
    active.start_time = Set(timing.start_time);
    active.end_time = Set(timing.end_time);
    active.first_week = Set(timing.first_week);
    if let Some(venue) = venue {
        active.venue = Set(venue);
    }
    if let Some(pattern) = body.week_pattern {
        active.week_pattern = Set(pattern);
    }
    active.updated_at = Set(now());
    Ok(web::Json(save_changes(&state.db, active).await?.into()))
}

/// Archive a weekly slot (the group's administrators and leader). Idempotent.
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id"), ("slot_id" = i64, Path, description = "Slot id")),
    responses((status = 204, description = "Archived"))
)]
#[delete("/groups/{id}/slots/{slot_id}")]
pub(super) async fn archive_slot(state: State, actor: Actor, ids: web::Path<(i64, i64)>) -> ApiResult<HttpResponse> {
    let (group_id, slot_id) = ids.into_inner();
    let group = load_group(&state.db, &actor, group_id).await?;
    let current = load_slot(&state.db, &group, slot_id).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    archive(&state.db, current).await?;
    Ok(no_content())
}
