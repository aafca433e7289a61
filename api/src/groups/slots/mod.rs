//! A group's fixed weekly meeting slots (固定教研时间): "语文星期四下午第二节课, 数学星期二下午第二节课,
//! 英语星期三下午第二节课" (seed 000), some only in odd or even weeks ("每单周五") or every two
//! weeks ("每两周一次"). A slot gives the periods of the school day, the clock times, or both.
//!
//! Whoever sees the group reads its slots; its administrators and leader manage them.

pub mod rules;

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use entities::enums::WeekPattern;
use entities::{group, weekly_slot};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use self::rules::{check_timing, format_time, parse_time, Timing};
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, require_live, require_manages_contents};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, no_content, now, save_changes, sorted};
use crate::state::State;
use crate::validate::{nullable, Checks};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_slots).service(create_slot).service(get_slot).service(update_slot).service(archive_slot);
}

/// A weekly slot as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "group_id": 2, "weekday": 4, "start_period": 6, "end_period": 6,
    "start_time": "14:30", "end_time": "15:10", "venue": "语文教研室", "week_pattern": "every", "first_week": 1,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct SlotView {
    pub id: i64,
    pub group_id: i64,
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: i32,
    /// First period of the school day (节次, 1–12).
    pub start_period: Option<i32>,
    /// Last period (1–12, not before `start_period`).
    pub end_period: Option<i32>,
    /// `HH:MM`.
    pub start_time: Option<String>,
    /// `HH:MM`, after `start_time`.
    pub end_time: Option<String>,
    pub venue: Option<String>,
    pub week_pattern: WeekPattern,
    /// The teaching week the pattern counts from (1 = the semester's first week).
    pub first_week: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<weekly_slot::Model> for SlotView {
    fn from(m: weekly_slot::Model) -> Self {
        SlotView {
            id: m.id,
            group_id: m.group_id,
            weekday: m.weekday,
            start_period: m.start_period,
            end_period: m.end_period,
            start_time: m.start_time.map(format_time),
            end_time: m.end_time.map(format_time),
            venue: m.venue,
            week_pattern: m.week_pattern,
            first_week: m.first_week,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new weekly slot: the periods, the times, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"weekday": 4, "start_period": 6, "end_period": 6, "start_time": "14:30", "end_time": "15:10",
    "venue": "语文教研室", "week_pattern": "every"}))]
pub struct NewSlot {
    /// ISO weekday: 1 = Monday … 7 = Sunday (星期四 = 4).
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i32,
    /// 1–12; give it with `end_period`.
    #[schema(minimum = 1, maximum = 12)]
    pub start_period: Option<i32>,
    /// 1–12, not before `start_period`.
    #[schema(minimum = 1, maximum = 12)]
    pub end_period: Option<i32>,
    /// `HH:MM`; give it with `end_time`.
    pub start_time: Option<String>,
    /// `HH:MM`, after `start_time`.
    pub end_time: Option<String>,
    #[schema(max_length = 100)]
    pub venue: Option<String>,
    /// Default `every`.
    pub week_pattern: Option<WeekPattern>,
    /// At least 1; default 1.
    #[schema(minimum = 1)]
    pub first_week: Option<i32>,
}

/// Changes to a slot; absent fields stay as they are, `null` clears. The result must still give
/// the periods or the times.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"week_pattern": "odd", "venue": "多功能教室"}))]
pub struct SlotPatch {
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 12)]
    pub start_period: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 12)]
    pub end_period: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub start_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub end_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub venue: Option<Option<String>>,
    pub week_pattern: Option<WeekPattern>,
    #[schema(minimum = 1)]
    pub first_week: Option<i32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SlotFilter {
    pub weekday: Option<i32>,
    /// Include archived slots (default false).
    pub include_archived: Option<bool>,
    /// `weekday`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

async fn load_slot(db: &impl ConnectionTrait, group: &group::Model, id: i64) -> DomainResult<weekly_slot::Model> {
    weekly_slot::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.group_id == group.id)
        .ok_or_else(|| DomainError::not_found("slot"))
}

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
async fn list_slots(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    filter: Query<SlotFilter>,
) -> ApiResult<web::Json<Page<SlotView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let group = load_group(&state.db, &actor, id.into_inner()).await?;
    let mut query = weekly_slot::Entity::find().filter(weekly_slot::Column::GroupId.eq(group.id));
    if let Some(w) = f.weekday {
        query = query.filter(weekly_slot::Column::Weekday.eq(w));
    }
    if !f.include_archived.unwrap_or(false) {
        query = query.filter(weekly_slot::Column::ArchivedAt.is_null());
    }
    let query = sorted(
        query,
        f.sort.as_deref(),
        &[
            ("weekday", weekly_slot::Column::Weekday),
            ("created_at", weekly_slot::Column::CreatedAt),
            ("id", weekly_slot::Column::Id),
        ],
        weekly_slot::Column::Id,
    )?;
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
async fn create_slot(state: State, actor: Actor, id: web::Path<i64>, body: Json<NewSlot>) -> ApiResult<HttpResponse> {
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
async fn get_slot(state: State, actor: Actor, ids: web::Path<(i64, i64)>) -> ApiResult<web::Json<SlotView>> {
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
async fn update_slot(
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
async fn archive_slot(state: State, actor: Actor, ids: web::Path<(i64, i64)>) -> ApiResult<HttpResponse> {
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
