//! `/groups` handlers.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::enums::GroupKind;
use entities::group;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};

use super::checks::{check_kind_keeps_children, check_leader, check_parent, check_unique_name, member_counts, place};
use super::queries::groups_matching;
use super::views::{GroupFilter, GroupPatch, GroupView, NewGroup};
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, manages_group, manages_group_at};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, no_content, now, refuse_if_still_used, save_changes};
use crate::state::State;
use crate::validate::Checks;

async fn view(db: &impl ConnectionTrait, actor: &Actor, m: group::Model) -> ApiResult<GroupView> {
    let n = member_counts(db, actor, &[m.id]).await?.get(&m.id).copied().unwrap_or(0);
    Ok(GroupView::new(m, n))
}

/// List the groups the caller can see.
#[utoipa::path(tag = "groups", params(GroupFilter), responses((status = 200, description = "A page of groups", body = Page<GroupView>)))]
#[get("/groups")]
pub async fn list_groups(
    state: State,
    actor: Actor,
    filter: Query<GroupFilter>,
) -> ApiResult<web::Json<Page<GroupView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = groups_matching(&actor, &f)?;
    let page = fetch_page(query, paging, &state.db).await?;
    let ids: Vec<i64> = page.items.iter().map(|g| g.id).collect();
    let counts = member_counts(&state.db, &actor, &ids).await?;
    Ok(web::Json(page.map(|g| {
        let n = counts.get(&g.id).copied().unwrap_or(0);
        GroupView::new(g, n)
    })))
}

/// Create a group (district administrators; a school's administrators for its own groups).
#[utoipa::path(
    tag = "groups",
    request_body = NewGroup,
    responses(
        (status = 201, description = "Created", body = GroupView),
        (status = 409, description = "A live group of that name exists in the school (district)", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/groups")]
pub async fn create_group(state: State, actor: Actor, body: Json<NewGroup>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let at = place(&state.db, &actor, body.kind, body.school_id, body.district_id).await?;
    actor.require(manages_group_at(&actor, at.district_id, at.school_id), "create groups here")?;
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, 100);
    let subject = checks.optional_text("subject", body.subject.as_deref(), 32);
    let description = checks.optional_text("description", body.description.as_deref(), 2000);
    if let Some(parent_id) = body.parent_id {
        check_parent(&state.db, at.district_id, at.school_id, body.kind, None, parent_id, &mut checks).await?;
    }
    if let Some(t) = body.leader_teacher_id {
        check_leader(&state.db, at.district_id, at.school_id, t, &mut checks).await?;
    }
    checks.finish()?;
    check_unique_name(&state.db, at.district_id, at.school_id, &name, None).await?;
    let stamp = now();
    let saved = group::ActiveModel {
        district_id: Set(at.district_id),
        school_id: Set(at.school_id),
        kind: Set(body.kind),
        name: Set(name),
        subject: Set(subject),
        grade_band: Set(body.grade_band),
        parent_id: Set(body.parent_id),
        leader_teacher_id: Set(body.leader_teacher_id),
        description: Set(description),
        created_at: Set(stamp),
        updated_at: Set(stamp),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/groups/{}", saved.id), GroupView::new(saved, 0)))
}

/// Get a group.
#[utoipa::path(tag = "groups", params(("id" = i64, Path, description = "Group id")), responses((status = 200, description = "The group", body = GroupView)))]
#[get("/groups/{id}")]
pub async fn get_group(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<GroupView>> {
    let found = load_group(&state.db, &actor, id.into_inner()).await?;
    Ok(web::Json(view(&state.db, &actor, found).await?))
}

/// Change a group (district administrators; a school's administrators for its own groups).
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id")),
    request_body = GroupPatch,
    responses(
        (status = 200, description = "Updated", body = GroupView),
        (status = 409, description = "A live group of that name exists in the school (district)", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/groups/{id}")]
pub async fn update_group(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<GroupPatch>,
) -> ApiResult<web::Json<GroupView>> {
    let body = body.0;
    let current = load_group(&state.db, &actor, id.into_inner()).await?;
    actor.require(manages_group(&actor, &current), "change this group")?;
    let mut checks = Checks::new();
    let name = body.name.as_deref().map(|n| checks.text("name", n, 100));
    let subject = body.subject.map(|s| checks.optional_text("subject", s.as_deref(), 32));
    let description = body.description.map(|d| checks.optional_text("description", d.as_deref(), 2000));
    let kind = body.kind.unwrap_or(current.kind);
    if kind != current.kind {
        let was_team = current.kind == GroupKind::DistrictTeam;
        checks.ensure(
            was_team == (kind == GroupKind::DistrictTeam),
            "kind",
            "a school group cannot become a district team, nor the reverse",
        );
        check_kind_keeps_children(&state.db, current.id, kind, &mut checks).await?;
    }
    let parent_id = body.parent_id.unwrap_or(current.parent_id);
    if let Some(p) = parent_id.filter(|_| body.parent_id.is_some() || kind != current.kind) {
        let (d, s) = (current.district_id, current.school_id);
        check_parent(&state.db, d, s, kind, Some(current.id), p, &mut checks).await?;
    }
    if let Some(Some(t)) = body.leader_teacher_id {
        check_leader(&state.db, current.district_id, current.school_id, t, &mut checks).await?;
    }
    checks.finish()?;
    if let Some(name) = name.as_deref().filter(|_| current.archived_at.is_none()) {
        check_unique_name(&state.db, current.district_id, current.school_id, name, Some(current.id)).await?;
    }
    let mut active = current.into_active_model();
    active.kind = Set(kind);
    active.parent_id = Set(parent_id);
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(subject) = subject {
        active.subject = Set(subject);
    }
    if let Some(band) = body.grade_band {
        active.grade_band = Set(band);
    }
    if let Some(leader) = body.leader_teacher_id {
        active.leader_teacher_id = Set(leader);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    active.updated_at = Set(now());
    let saved = save_changes(&state.db, active).await?;
    Ok(web::Json(view(&state.db, &actor, saved).await?))
}

/// Archive a group (district administrators; a school's administrators for its own groups).
/// Its live sub-groups must be archived or moved first.
#[utoipa::path(
    tag = "groups",
    params(("id" = i64, Path, description = "Group id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 409, description = "Live sub-groups still belong to the group", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/groups/{id}")]
pub async fn archive_group(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_group(&state.db, &actor, id.into_inner()).await?;
    actor.require(manages_group(&actor, &current), "archive this group")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let live_children = group::Entity::find()
        .filter(group::Column::ParentId.eq(current.id))
        .filter(group::Column::ArchivedAt.is_null())
        .count(&state.db)
        .await?;
    refuse_if_still_used(live_children, "live sub-groups still belong to this group; archive or move them first")?;
    archive(&state.db, current).await?;
    Ok(no_content())
}
