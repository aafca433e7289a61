//! The endpoints: extract, call, respond.

use super::queries::members_matching;
use super::queries::*;
use super::views::*;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::groups::access::{is_live, load_group, require_live, require_manages_contents, today};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{created, no_content, now, save_changes};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::enums::MemberRole;
use entities::{group_membership, teacher};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

/// List a group's members (live ones unless `include_past=true`).
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id"), MemberFilter),
    responses((status = 200, description = "A page of memberships", body = Page<MemberView>))
)]
#[get("/groups/{id}/members")]
pub(super) async fn list_members(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    filter: Query<MemberFilter>,
) -> ApiResult<web::Json<Page<MemberView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let group = load_group(&state.db, &actor, id.into_inner()).await?;
    let query = members_matching(&actor, &f, &group)?;
    let page = fetch_page(query, paging, &state.db).await?;
    let teachers: std::collections::HashMap<i64, teacher::Model> = teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(page.items.iter().map(|m| m.teacher_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let items =
        page.items.into_iter().filter_map(|m| teachers.get(&m.teacher_id).map(|t| MemberView::new(m, t))).collect();
    Ok(web::Json(Page { items, total: page.total, limit: page.limit, offset: page.offset }))
}

/// Add a teacher to a group (the group's administrators and leader).
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id")),
    request_body = NewMember,
    responses(
        (status = 201, description = "Added", body = MemberView),
        (status = 409, description = "The teacher already has a live membership, or the group is archived", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/groups/{id}/members")]
pub(super) async fn create_member(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<NewMember>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let group = load_group(&state.db, &actor, id.into_inner()).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    require_live(&group)?;
    let mut checks = Checks::new();
    let teacher = check_teacher(&state.db, &actor, &group, body.teacher_id).await?;
    let where_ = if group.school_id.is_some() { "the group's school" } else { "the group's district" };
    checks.ensure(teacher.is_some(), "teacher_id", format!("no such teacher in {where_}"));
    let since = body.since.unwrap_or_else(today);
    checks.ensure(body.until.is_none_or(|u| u >= since), "until", "must not be before since");
    checks.finish()?;
    let teacher = teacher.expect("checked above");
    check_single_live(&state.db, group.id, teacher.id, None).await?;
    let at = now();
    let saved = group_membership::ActiveModel {
        group_id: Set(group.id),
        teacher_id: Set(teacher.id),
        role: Set(body.role.unwrap_or(MemberRole::Member)),
        since: Set(since),
        until: Set(body.until),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/groups/{}/members/{}", group.id, saved.id), MemberView::new(saved, &teacher)))
}

/// Get one membership of a group.
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id"), ("membership_id" = i64, Path, description = "Membership id")),
    responses((status = 200, description = "The membership", body = MemberView))
)]
#[get("/groups/{id}/members/{membership_id}")]
pub(super) async fn get_member(
    state: State,
    actor: Actor,
    ids: web::Path<(i64, i64)>,
) -> ApiResult<web::Json<MemberView>> {
    let (group_id, membership_id) = ids.into_inner();
    let group = load_group(&state.db, &actor, group_id).await?;
    let (m, t) = load_member(&state.db, &actor, &group, membership_id).await?;
    Ok(web::Json(MemberView::new(m, &t)))
}

/// Change a member's role or end date (the group's administrators and leader).
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id"), ("membership_id" = i64, Path, description = "Membership id")),
    request_body = MemberPatch,
    responses(
        (status = 200, description = "Updated", body = MemberView),
        (status = 409, description = "Reopening would give the teacher a second live membership", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/groups/{id}/members/{membership_id}")]
pub(super) async fn update_member(
    state: State,
    actor: Actor,
    ids: web::Path<(i64, i64)>,
    body: Json<MemberPatch>,
) -> ApiResult<web::Json<MemberView>> {
    let body = body.0;
    let (group_id, membership_id) = ids.into_inner();
    let group = load_group(&state.db, &actor, group_id).await?;
    let (current, teacher) = load_member(&state.db, &actor, &group, membership_id).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    let until = body.until.unwrap_or(current.until);
    let mut checks = Checks::new();
    checks.ensure(until.is_none_or(|u| u >= current.since), "until", "must not be before since");
    checks.finish()?;
    let mut next = current.clone();
    next.until = until;
    if is_live(&next, today()) && !is_live(&current, today()) {
        check_single_live(&state.db, group.id, current.teacher_id, Some(current.id)).await?;
    }
    let mut active = current.into_active_model();
    if let Some(role) = body.role {
        active.role = Set(role);
    }
    active.until = Set(until);
    active.updated_at = Set(now());
    Ok(web::Json(MemberView::new(save_changes(&state.db, active).await?, &teacher)))
}

/// End a membership (the group's administrators and leader): `until` becomes today unless it
/// is already earlier, and the membership is archived. Idempotent.
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id"), ("membership_id" = i64, Path, description = "Membership id")),
    responses((status = 204, description = "Ended"))
)]
#[delete("/groups/{id}/members/{membership_id}")]
pub(super) async fn archive_member(state: State, actor: Actor, ids: web::Path<(i64, i64)>) -> ApiResult<HttpResponse> {
    let (group_id, membership_id) = ids.into_inner();
    let group = load_group(&state.db, &actor, group_id).await?;
    let (current, _) = load_member(&state.db, &actor, &group, membership_id).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    // A membership that has not started yet ends on its first day, keeping until ≥ since.
    let end = today().max(current.since);
    let until = current.until.map_or(end, |u| u.min(end));
    let mut active = current.into_active_model();
    let at = now();
    active.until = Set(Some(until));
    active.archived_at = Set(Some(at));
    active.updated_at = Set(at);
    save_changes(&state.db, active).await?;
    Ok(no_content())
}
