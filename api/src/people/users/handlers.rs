//! The endpoints of `/api/v1/users`: extract, check, call, respond.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::enums::Role;
use entities::user;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::queries::{check_unique_username, load_user, password_context, place, revoke_refresh_tokens};
use super::rules::{apply_change, check_password, check_username, may_grant, UserChange};
use super::views::{NewUser, UserFilter, UserPatch, UserView};
use crate::auth::{lockout, password, Actor, Reach};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{created, no_content, now, sorted};
use crate::state::State;
use crate::validate::Checks;

/// List the accounts the caller can see.
#[utoipa::path(tag = "users", params(UserFilter), responses((status = 200, description = "A page of accounts", body = Page<UserView>)))]
#[get("/users")]
async fn list_users(state: State, actor: Actor, filter: Query<UserFilter>) -> ApiResult<web::Json<Page<UserView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let mut query = user::Entity::find();
    query = match (actor.role, actor.reach()) {
        (_, Reach::Everything) => query,
        (Role::DistrictAdmin, Reach::District(d)) => query.filter(user::Column::DistrictId.eq(d)),
        (Role::SchoolAdmin, Reach::School { school_id, .. }) => query.filter(user::Column::SchoolId.eq(school_id)),
        _ => query.filter(user::Column::Id.eq(actor.user_id)),
    };
    if let Some(role) = filter.role {
        query = query.filter(user::Column::Role.eq(role));
    }
    if let Some(s) = filter.school_id {
        query = query.filter(user::Column::SchoolId.eq(s));
    }
    if let Some(t) = filter.teacher_id {
        query = query.filter(user::Column::TeacherId.eq(t));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(user::Column::ArchivedAt.is_null());
    }
    let query = sorted(
        query,
        filter.sort.as_deref(),
        &[("username", user::Column::Username), ("created_at", user::Column::CreatedAt), ("id", user::Column::Id)],
        user::Column::Id,
    )?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(UserView::from)))
}

/// Create an account.
#[utoipa::path(
    tag = "users",
    request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 409, description = "The username is taken", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/users")]
async fn create_user(state: State, actor: Actor, body: Json<NewUser>) -> ApiResult<HttpResponse> {
    let body = body.0;
    actor.require(matches!(actor.role, Role::DistrictAdmin | Role::SchoolAdmin), "create accounts")?;
    let mut checks = Checks::new();
    let username = check_username(&mut checks, &body.username);
    let display_name = checks.optional_text("display_name", body.display_name.as_deref(), 100);
    let placement =
        place(&state.db, &actor, body.role, body.district_id, body.school_id, body.teacher_id, &mut checks).await?;
    let context =
        password_context(&state.db, &username, display_name.as_deref(), placement.school_id, placement.teacher_id)
            .await?;
    check_password(&mut checks, "password", &body.password, &context);
    checks.finish()?;
    actor.require(may_grant(&actor, body.role, placement.district_id, placement.school_id), "grant this role here")?;
    check_unique_username(&state.db, &username).await?;
    let at = now();
    let saved = user::ActiveModel {
        username: Set(username),
        password_hash: Set(password::hash_off_thread(&body.password).await?),
        role: Set(body.role),
        district_id: Set(placement.district_id),
        school_id: Set(placement.school_id),
        teacher_id: Set(placement.teacher_id),
        display_name: Set(display_name),
        disabled: Set(false),
        last_login_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/users/{}", saved.id), UserView::from(saved)))
}

/// Get an account.
#[utoipa::path(tag = "users", params(("id" = i64, Path, description = "User id")), responses((status = 200, description = "The account", body = UserView)))]
#[get("/users/{id}")]
async fn get_user(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<UserView>> {
    Ok(web::Json(load_user(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change an account. Administrators change accounts in their scope; everyone may change their
/// own display name and password (giving `current_password`).
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    request_body = UserPatch,
    responses((status = 200, description = "Updated", body = UserView))
)]
#[patch("/users/{id}")]
async fn update_user(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<UserPatch>,
) -> ApiResult<web::Json<UserView>> {
    let body = body.0;
    let current = load_user(&state.db, &actor, id.into_inner()).await?;
    let manages = actor.user_id != current.id
        && may_grant(&actor, current.role, current.district_id, current.school_id)
        || (actor.user_id == current.id && actor.reach() == Reach::Everything);
    let changes_access =
        body.role.is_some() || body.school_id.is_some() || body.teacher_id.is_some() || body.disabled.is_some();
    actor
        .require(manages || (actor.user_id == current.id && !changes_access), "change this account's role or scope")?;

    let mut checks = Checks::new();
    let display_name = body.display_name.map(|d| checks.optional_text("display_name", d.as_deref(), 100));
    if let Some(new_password) = &body.password {
        let name = display_name.clone().unwrap_or(current.display_name.clone());
        let (school_id, teacher_id) =
            (body.school_id.or(current.school_id), body.teacher_id.unwrap_or(current.teacher_id));
        let context = password_context(&state.db, &current.username, name.as_deref(), school_id, teacher_id).await?;
        check_password(&mut checks, "password", new_password, &context);
        if !manages {
            let ok = match body.current_password.as_deref() {
                Some(p) => password::verify_off_thread(&current.password_hash, p).await?,
                None => false,
            };
            checks.ensure(ok, "current_password", "required, and must be your current password");
        }
    }
    let role = body.role.unwrap_or(current.role);
    let placement = if changes_access {
        let school_id = body.school_id.or(current.school_id);
        let teacher_id = body.teacher_id.unwrap_or(current.teacher_id);
        let district_id = if role == Role::DistrictAdmin { current.district_id } else { None };
        let school_id = if role == Role::DistrictAdmin { None } else { school_id };
        Some(place(&state.db, &actor, role, district_id, school_id, teacher_id, &mut checks).await?)
    } else {
        None
    };
    checks.finish()?;
    if let Some(p) = &placement {
        actor.require(may_grant(&actor, role, p.district_id, p.school_id), "grant this role here")?;
    }

    let password_hash = match &body.password {
        Some(new_password) => Some(password::hash_off_thread(new_password).await?),
        None => None,
    };
    let change =
        UserChange { display_name, password_hash, placement: placement.map(|p| (role, p)), disabled: body.disabled };
    let revoke_sessions = change.revokes_sessions();

    let txn = crate::db::begin_write(&state.db).await?;
    let user_id = current.id;
    let mut active = current.into_active_model();
    apply_change(&mut active, change, now());
    let saved = active.update(&txn).await?;
    if revoke_sessions {
        revoke_refresh_tokens(&txn, user_id).await?;
    }
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// Archive an account: it can no longer log in, and its sessions end.
#[utoipa::path(tag = "users", params(("id" = i64, Path, description = "User id")), responses((status = 204, description = "Archived")))]
#[delete("/users/{id}")]
async fn archive_user(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_user(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.user_id != current.id, "archive its own account")?;
    actor.require(may_grant(&actor, current.role, current.district_id, current.school_id), "archive this account")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let user_id = current.id;
    let mut active = current.into_active_model();
    let at = now();
    active.archived_at = Set(Some(at));
    active.disabled = Set(true);
    active.updated_at = Set(at);
    active.update(&txn).await?;
    revoke_refresh_tokens(&txn, user_id).await?;
    txn.commit().await?;
    Ok(no_content())
}

/// Lift the lockout of an account after repeated failed logins (administrators of the account,
/// as for other changes to it). Idempotent: an account that is not locked stays so.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Unlocked: the account may log in again, with its failures forgotten"),
        (status = 403, description = "The caller may not administer this account", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user, or one outside the caller's scope", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/users/{id}/unlock")]
async fn unlock_user(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let target = load_user(&state.db, &actor, id.into_inner()).await?;
    actor.require(
        actor.user_id != target.id && may_grant(&actor, target.role, target.district_id, target.school_id),
        "unlock this account",
    )?;
    lockout::clear(&state.db, &lockout::user_account(&target.username)).await?;
    tracing::info!(user_id = target.id, by = actor.user_id, "login lockout lifted by an administrator");
    Ok(no_content())
}
