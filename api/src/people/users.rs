//! User accounts: a username and password, a role, and a scope (district, school, and the
//! teacher the account belongs to).
//!
//! Who may manage whom: an installation-wide administrator, anyone; a district administrator,
//! every account of their district; a school administrator, the school_admin, group_leader and
//! teacher accounts of their school. Everyone else sees only their own account and may change
//! only its display name and password (with the current password).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use entities::enums::Role;
use entities::{refresh_token, school, teacher, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::user_logins::{check_password, password_context};
use crate::auth::{password, Actor, Reach};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{created, no_content, now, sorted};
use crate::state::State;
use crate::validate::{nullable, Checks};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(archive_user)
        .service(super::user_logins::unlock_user);
}

/// A user account as the API shows it (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "username": "dhs-admin", "role": "school_admin", "district_id": 1,
    "school_id": 3, "teacher_id": null, "display_name": "大河岸中心小学教导处", "disabled": false,
    "last_login_at": null, "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// `null` only for an installation-wide district administrator.
    pub district_id: Option<i64>,
    /// Set for every role but district_admin.
    pub school_id: Option<i64>,
    /// The teacher this account belongs to (required for group_leader and teacher).
    pub teacher_id: Option<i64>,
    pub display_name: Option<String>,
    pub disabled: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<user::Model> for UserView {
    fn from(m: user::Model) -> Self {
        UserView {
            id: m.id,
            username: m.username,
            role: m.role,
            district_id: m.district_id,
            school_id: m.school_id,
            teacher_id: m.teacher_id,
            display_name: m.display_name,
            disabled: m.disabled,
            last_login_at: m.last_login_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new user account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "dhs-admin", "password": "Qingshan-7#lantern-kite", "role": "school_admin", "school_id": 3,
    "display_name": "大河岸中心小学教导处"}))]
pub struct NewUser {
    /// 3–64 characters without spaces; unique.
    #[schema(min_length = 3, max_length = 64)]
    pub username: String,
    /// At least 10 characters and hard to guess (zxcvbn score 3 or more, counting the username,
    /// display name, teacher's and school's names against it); a 422 says why one is refused.
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
    pub role: Role,
    /// For district_admin: the district (omit only as an installation-wide administrator
    /// creating another one). For other roles it follows from `school_id`.
    pub district_id: Option<i64>,
    /// Required for school_admin, group_leader and teacher.
    pub school_id: Option<i64>,
    /// Required for group_leader and teacher: a teacher of `school_id`.
    pub teacher_id: Option<i64>,
    #[schema(max_length = 100)]
    pub display_name: Option<String>,
}

/// Changes to an account; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password": "Fenghuang-3$river-bamboo", "current_password": "Qingshan-7#lantern-kite"}))]
pub struct UserPatch {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub display_name: Option<Option<String>>,
    /// A new password, under the same policy as a new account's.
    #[schema(min_length = 10, max_length = 1024)]
    pub password: Option<String>,
    /// Required when changing your own password.
    pub current_password: Option<String>,
    pub role: Option<Role>,
    pub school_id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub teacher_id: Option<Option<i64>>,
    /// A disabled account cannot log in or use its tokens.
    pub disabled: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub school_id: Option<i64>,
    pub teacher_id: Option<i64>,
    /// Include archived accounts (default false).
    pub include_archived: Option<bool>,
    /// `username`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Whether `actor` sees `target`: admins their scope, everyone their own account.
fn sees(actor: &Actor, target: &user::Model) -> bool {
    if actor.user_id == target.id {
        return true;
    }
    match (actor.role, actor.reach()) {
        (_, Reach::Everything) => true,
        (Role::DistrictAdmin, Reach::District(d)) => target.district_id == Some(d),
        (Role::SchoolAdmin, Reach::School { school_id, .. }) => target.school_id == Some(school_id),
        _ => false,
    }
}

/// Whether `actor` may hold power over an account of this role and scope.
pub(super) fn may_grant(actor: &Actor, role: Role, district_id: Option<i64>, school_id: Option<i64>) -> bool {
    match actor.reach() {
        Reach::Everything => true,
        Reach::District(d) => district_id == Some(d),
        Reach::School { school_id: s, .. } => {
            actor.role == Role::SchoolAdmin && role != Role::DistrictAdmin && school_id == Some(s)
        }
    }
}

pub(super) async fn load_user(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<user::Model> {
    user::Entity::find_by_id(id).one(db).await?.filter(|u| sees(actor, u)).ok_or_else(|| ApiError::not_found("user"))
}

fn check_username(checks: &mut Checks, username: &str) -> String {
    let username = username.trim().to_string();
    let n = username.chars().count();
    checks.ensure((3..=64).contains(&n), "username", "must be 3 to 64 characters");
    checks.ensure(!username.chars().any(char::is_whitespace), "username", "must not contain spaces");
    username
}

/// The district and school an account of `role` gets, after checking its references.
struct Placement {
    district_id: Option<i64>,
    school_id: Option<i64>,
    teacher_id: Option<i64>,
}

async fn place(
    db: &impl ConnectionTrait,
    actor: &Actor,
    role: Role,
    district_id: Option<i64>,
    school_id: Option<i64>,
    teacher_id: Option<i64>,
    checks: &mut Checks,
) -> ApiResult<Placement> {
    if role == Role::DistrictAdmin {
        let district_id = match (district_id, actor.reach()) {
            (Some(d), _) => Some(d),
            (None, Reach::District(d)) => Some(d),
            (None, _) => None,
        };
        if let Some(d) = district_id {
            let found = entities::district::Entity::find_by_id(d).one(db).await?;
            checks.ensure(found.is_some_and(|x| actor.sees_district(x.id)), "district_id", "no such district");
        }
        checks.ensure(school_id.is_none(), "school_id", "a district_admin has no school");
        if let Some(t) = teacher_id {
            // A district's researcher may also be a teacher of one of its schools.
            let school = match teacher::Entity::find_by_id(t).one(db).await? {
                Some(found) => school::Entity::find_by_id(found.school_id).one(db).await?,
                None => None,
            };
            checks.ensure(
                school.is_some_and(|s| Some(s.district_id) == district_id && actor.sees_district(s.district_id)),
                "teacher_id",
                "no such teacher in this district",
            );
        }
        return Ok(Placement { district_id, school_id: None, teacher_id });
    }
    let Some(school_id) = school_id else {
        checks.fail("school_id", format!("required for role {}", role.code()));
        return Ok(Placement { district_id, school_id: None, teacher_id });
    };
    let found = school::Entity::find_by_id(school_id).one(db).await?.filter(|s| actor.sees_school(s.district_id, s.id));
    let Some(found) = found else {
        checks.fail("school_id", "no such school");
        return Ok(Placement { district_id, school_id: Some(school_id), teacher_id });
    };
    match teacher_id {
        Some(t) => {
            let teacher = teacher::Entity::find_by_id(t).one(db).await?;
            checks.ensure(
                teacher.is_some_and(|x| x.school_id == found.id),
                "teacher_id",
                "no such teacher in this school",
            );
        }
        None => checks.ensure(
            !matches!(role, Role::GroupLeader | Role::Teacher),
            "teacher_id",
            format!("required for role {}", role.code()),
        ),
    }
    Ok(Placement { district_id: Some(found.district_id), school_id: Some(found.id), teacher_id })
}

async fn check_unique_username(db: &impl ConnectionTrait, username: &str) -> ApiResult<()> {
    if user::Entity::find().filter(user::Column::Username.eq(username)).count(db).await? > 0 {
        return Err(ApiError::conflict("username", format!("the username {username} is taken")));
    }
    Ok(())
}

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

    let txn = crate::db::begin_write(&state.db).await?;
    let revoke_sessions = body.password.is_some() || body.disabled == Some(true) || placement.is_some();
    let user_id = current.id;
    let mut active = current.into_active_model();
    if let Some(display_name) = display_name {
        active.display_name = Set(display_name);
    }
    if let Some(new_password) = &body.password {
        active.password_hash = Set(password::hash_off_thread(new_password).await?);
    }
    if let Some(p) = placement {
        active.role = Set(role);
        active.district_id = Set(p.district_id);
        active.school_id = Set(p.school_id);
        active.teacher_id = Set(p.teacher_id);
    }
    if let Some(disabled) = body.disabled {
        active.disabled = Set(disabled);
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    if revoke_sessions {
        revoke_refresh_tokens(&txn, user_id).await?;
    }
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// A changed password, role or scope ends every session: refresh tokens stop working.
async fn revoke_refresh_tokens(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
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
