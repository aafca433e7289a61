//! The caller's calendar feed token: one per user, made and stored like a refresh token (32
//! random bytes, hex, so URL-safe; only its SHA-256 digest is kept, [`crate::auth::tokens`]).
//! Calendar apps cannot send headers, so the token travels in the feed URL; it reads feeds only.

use actix_web::{delete, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use entities::{calendar_token, group, group_membership, teacher};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{tokens, Actor};
use crate::domain::DomainResult;
use crate::error::ApiResult;
use crate::groups::access::{live_membership, today, visible_groups};
use crate::resource::{no_content, now};
use crate::state::State;

/// What a feed URL shows.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    Teacher,
    Group,
}

/// A ready-made feed URL for a calendar app.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"kind": "teacher", "id": 12, "name": "王老师",
    "url": "https://jiaoyan.example.cn/api/v1/calendar/teachers/12.ics?token=9c1e…"}))]
pub struct FeedLink {
    pub kind: FeedKind,
    pub id: i64,
    pub name: String,
    pub url: String,
}

/// A new calendar feed token, shown only this once, with the caller's feeds.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"token": "9c1e…", "created_at": "2026-09-01T08:00:00Z", "feeds": [
    {"kind": "teacher", "id": 12, "name": "王老师", "url": "https://jiaoyan.example.cn/api/v1/calendar/teachers/12.ics?token=9c1e…"},
    {"kind": "group", "id": 2, "name": "甲小学语文教研组", "url": "https://jiaoyan.example.cn/api/v1/calendar/groups/2.ics?token=9c1e…"}]}))]
pub struct CalendarTokenView {
    /// 64 hex characters; send as `?token=` to the feed URLs. Any earlier token stops working.
    pub token: String,
    pub created_at: DateTime<Utc>,
    /// The caller's own teacher feed, then the feeds of the groups the teacher belongs to or leads.
    pub feeds: Vec<FeedLink>,
}

/// Create (or rotate) the caller's calendar feed token. The token is answered only this once;
/// the previous one, if any, stops working.
#[utoipa::path(
    tag = "calendar",
    responses((status = 200, description = "The new token and the caller's feed URLs", body = CalendarTokenView))
)]
#[post("/me/calendar-token")]
pub async fn issue_calendar_token(state: State, actor: Actor) -> ApiResult<web::Json<CalendarTokenView>> {
    let (token, digest) = tokens::new_refresh_token();
    let at = now();
    replace_token(&state.db, actor.user_id, Some((digest, at))).await?;
    // On the configured public base URL, never on the request's `Host` (`crate::links`).
    let base = format!("{}/api/v1/calendar", state.settings.public_base());
    let feeds = own_feeds(&state.db, &actor)
        .await?
        .into_iter()
        .map(|(kind, id, name)| {
            let path = match kind {
                FeedKind::Teacher => "teachers",
                FeedKind::Group => "groups",
            };
            FeedLink { url: format!("{base}/{path}/{id}.ics?token={token}"), kind, id, name }
        })
        .collect();
    Ok(web::Json(CalendarTokenView { token, created_at: at, feeds }))
}

/// Revoke the caller's calendar feed token (idempotent).
#[utoipa::path(tag = "calendar", responses((status = 204, description = "Revoked")))]
#[delete("/me/calendar-token")]
pub async fn revoke_calendar_token(state: State, actor: Actor) -> ApiResult<HttpResponse> {
    replace_token(&state.db, actor.user_id, None).await?;
    Ok(no_content())
}

/// Removes the user's token and, when given, stores the digest of a new one made `at`.
async fn replace_token(
    db: &DatabaseConnection,
    user_id: i64,
    new: Option<(String, DateTime<Utc>)>,
) -> DomainResult<()> {
    let txn = crate::db::begin_write(db).await?;
    calendar_token::Entity::delete_many().filter(calendar_token::Column::UserId.eq(user_id)).exec(&txn).await?;
    if let Some((digest, at)) = new {
        calendar_token::ActiveModel {
            user_id: Set(user_id),
            token_hash: Set(digest),
            created_at: Set(at),
            last_used_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The caller's teacher, and the live groups the teacher is a live member of or leads.
async fn own_feeds(db: &impl ConnectionTrait, actor: &Actor) -> DomainResult<Vec<(FeedKind, i64, String)>> {
    let Some(teacher_id) = actor.teacher_id else {
        return Ok(Vec::new());
    };
    let mut feeds = Vec::new();
    if let Some(t) = teacher::Entity::find_by_id(teacher_id).one(db).await? {
        feeds.push((FeedKind::Teacher, t.id, t.name));
    }
    let member_of = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::GroupId)
        .filter(group_membership::Column::TeacherId.eq(teacher_id))
        .filter(live_membership(today()))
        .into_query();
    let groups = group::Entity::find()
        .filter(visible_groups(actor))
        .filter(group::Column::ArchivedAt.is_null())
        .filter(
            Condition::any()
                .add(group::Column::Id.in_subquery(member_of))
                .add(group::Column::LeaderTeacherId.eq(teacher_id)),
        )
        .order_by_asc(group::Column::Id)
        .all(db)
        .await?;
    feeds.extend(groups.into_iter().map(|g| (FeedKind::Group, g.id, g.name)));
    Ok(feeds)
}
