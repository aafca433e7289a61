//! `GET /calendar/teachers/{id}.ics` and `GET /calendar/groups/{id}.ics`.
//!
//! The caller is the owner of the `token` query parameter (a calendar feed token), or else the
//! bearer of an access token. The token's user is reloaded on every request, as for access
//! tokens: a disabled or archived account, or an unknown or revoked token, is a 401. The feed then
//! shows only what that user may see (404 for a teacher or group outside their reach).

use std::collections::HashMap;

use actix_web::{get, web, FromRequest, HttpRequest, HttpResponse};
use chrono::Duration;
use entities::enums::ActivityStatus;
use entities::{activity, activity_lesson, activity_participant, calendar_token, teacher, user};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ics, preparations};
use crate::activities::access::visible_activities;
use crate::auth::{tokens, Actor};
use crate::domain::{DomainError, DomainResult};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::groups::access::{load_group, today};
use crate::people::teachers::load_teacher;
use crate::resource::{now, save_changes};
use crate::state::{AppState, State};

/// How far back a feed reaches: a school year, so that a calendar keeps the year's history
/// without the feed growing for ever.
const HISTORY_DAYS: i64 = 366;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// The calendar feed token (`POST /me/calendar-token`); omit it when sending a bearer token.
    pub token: Option<String>,
}

/// The user a feed is read for: the token's owner, or the bearer of an access token.
async fn feed_reader(req: &HttpRequest, state: &AppState, token: Option<&str>) -> ApiResult<Actor> {
    match token {
        Some(token) => Ok(token_owner(&state.db, token).await?),
        None => Actor::extract(req).await,
    }
}

/// The live user who owns the calendar feed token `token`; the token is marked used.
async fn token_owner(db: &DatabaseConnection, token: &str) -> DomainResult<Actor> {
    let unknown = || DomainError::Unauthenticated("the calendar token is unknown or revoked".into());
    let stored = calendar_token::Entity::find()
        .filter(calendar_token::Column::TokenHash.eq(tokens::digest(token.trim())))
        .one(db)
        .await?
        .ok_or_else(unknown)?;
    let owner = user::Entity::find_by_id(stored.user_id)
        .one(db)
        .await?
        .filter(|u| !u.disabled && u.archived_at.is_none())
        .ok_or_else(|| DomainError::Unauthenticated("the account is disabled or no longer exists".into()))?;
    let mut used = stored.into_active_model();
    used.last_used_at = Set(Some(now()));
    save_changes(db, used).await?;
    Ok(Actor::from_user(&owner))
}

/// The activities a feed shows: visible to the reader, not soft-deleted, dated within the
/// history window, scheduled, held or cancelled (written as `STATUS:CANCELLED`).
fn feed_activities(actor: &Actor, of: Condition) -> sea_orm::Select<activity::Entity> {
    activity::Entity::find()
        .filter(visible_activities(actor))
        .filter(activity::Column::ArchivedAt.is_null())
        .filter(activity::Column::Status.is_in([
            ActivityStatus::Scheduled,
            ActivityStatus::Held,
            ActivityStatus::Cancelled,
        ]))
        .filter(activity::Column::Date.gte(today() - Duration::days(HISTORY_DAYS)))
        .filter(of)
        .order_by_asc(activity::Column::Date)
        .order_by_asc(activity::Column::StartTime)
        .order_by_asc(activity::Column::Id)
}

/// The calendar of `activities`, as a `text/calendar` response.
fn respond(calendar: String) -> HttpResponse {
    HttpResponse::Ok().content_type("text/calendar; charset=utf-8").body(calendar)
}

/// The iCalendar text of `activities` and `due_days`, named `name`, with the activities' lead
/// speakers' names.
async fn calendar_of(
    db: &impl ConnectionTrait,
    name: &str,
    activities: Vec<activity::Model>,
    due_days: Vec<icalendar::Event>,
) -> DomainResult<String> {
    let speaker_ids: Vec<i64> = activities.iter().filter_map(|a| a.lead_speaker_teacher_id).collect();
    let speakers: HashMap<i64, String> = if speaker_ids.is_empty() {
        HashMap::new()
    } else {
        teacher::Entity::find()
            .select_only()
            .column(teacher::Column::Id)
            .column(teacher::Column::Name)
            .filter(teacher::Column::Id.is_in(speaker_ids))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let events = activities
        .iter()
        .filter_map(|a| ics::event(a, a.lead_speaker_teacher_id.and_then(|id| speakers.get(&id)).map(String::as_str)))
        .chain(due_days)
        .collect();
    Ok(ics::calendar(name, events))
}

/// A teacher's activities as an iCalendar feed: those where the teacher is an expected
/// participant, the lead speaker or teaches a lesson; and the due days of the collective
/// preparations they lead (the draft) or co-prepare (the notes).
#[utoipa::path(
    tag = "calendar",
    params(("id" = i64, Path, description = "Teacher id"), FeedParams),
    security(("calendar_token" = []), ("bearer" = [])),
    responses((status = 200, description = "RFC 5545 iCalendar", content_type = "text/calendar", body = String,
        example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n...\r\nEND:VCALENDAR\r\n")))
)]
#[get("/calendar/teachers/{id}.ics")]
pub async fn teacher_feed(
    state: State,
    req: HttpRequest,
    id: web::Path<i64>,
    params: Query<FeedParams>,
) -> ApiResult<HttpResponse> {
    let actor = feed_reader(&req, &state, params.0.token.as_deref()).await?;
    let (teacher, _) = load_teacher(&state.db, &actor, id.into_inner()).await?;
    let expected_at = activity_participant::Entity::find()
        .select_only()
        .column(activity_participant::Column::ActivityId)
        .filter(activity_participant::Column::TeacherId.eq(teacher.id))
        .filter(activity_participant::Column::Expected.eq(true))
        .into_query();
    let teaches_at = activity_lesson::Entity::find()
        .select_only()
        .column(activity_lesson::Column::ActivityId)
        .filter(activity_lesson::Column::TeacherId.eq(teacher.id))
        .into_query();
    let of = Condition::any()
        .add(activity::Column::Id.in_subquery(expected_at))
        .add(activity::Column::LeadSpeakerTeacherId.eq(teacher.id))
        .add(activity::Column::Id.in_subquery(teaches_at));
    let activities = feed_activities(&actor, of).all(&state.db).await?;
    let due_days = preparations::of_teacher(&state.db, teacher.id, HISTORY_DAYS).await?;
    Ok(respond(calendar_of(&state.db, &format!("{} · 教研活动", teacher.name), activities, due_days).await?))
}

/// A group's activities as an iCalendar feed: those it organises; and the due days (draft,
/// notes) of its collective preparations.
#[utoipa::path(
    tag = "calendar",
    params(("id" = i64, Path, description = "Group id"), FeedParams),
    security(("calendar_token" = []), ("bearer" = [])),
    responses((status = 200, description = "RFC 5545 iCalendar", content_type = "text/calendar", body = String,
        example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n...\r\nEND:VCALENDAR\r\n")))
)]
#[get("/calendar/groups/{id}.ics")]
pub async fn group_feed(
    state: State,
    req: HttpRequest,
    id: web::Path<i64>,
    params: Query<FeedParams>,
) -> ApiResult<HttpResponse> {
    let actor = feed_reader(&req, &state, params.0.token.as_deref()).await?;
    let group = load_group(&state.db, &actor, id.into_inner()).await?;
    let of = Condition::all().add(activity::Column::GroupId.eq(group.id));
    let activities = feed_activities(&actor, of).all(&state.db).await?;
    let due_days = preparations::of_group(&state.db, group.id, HISTORY_DAYS).await?;
    Ok(respond(calendar_of(&state.db, &format!("{} · 教研活动", group.name), activities, due_days).await?))
}
