//! The handlers of `/auth/login`, `/auth/refresh`, `/auth/logout` and `/me`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use entities::{refresh_token, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{lockout, password, tokens, Actor};
use crate::caller::client_address;
use crate::domain::DomainError;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::people::users::UserView;
use crate::state::{AppState, State};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me);
}

/// Credentials of a user account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "admin", "password": "Xiaoyuan-4.lantern-kite"}))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A refresh token, as returned by login or a previous refresh.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "6f1c…"}))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A new access token, and a refresh token to get the next one without the password.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9…", "token_type": "Bearer", "expires_in": 900,
    "refresh_token": "6f1c…", "refresh_expires_in": 2592000
}))]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: each refresh returns a new one and revokes the old.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: i64,
}

async fn issue(state: &AppState, db: &impl ConnectionTrait, user_id: i64) -> ApiResult<TokenResponse> {
    let settings = &state.settings;
    let access_token = state.keys.issue_access(user_id, settings.access_token_ttl)?;
    let (refresh_token, digest) = tokens::new_refresh_token();
    let now = Utc::now();
    refresh_token::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(digest),
        expires_at: Set(now + Duration::seconds(settings.refresh_token_ttl)),
        revoked_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: settings.access_token_ttl,
        refresh_token,
        refresh_expires_in: settings.refresh_token_ttl,
    })
}

/// The documented 429 of the credential endpoints.
pub(crate) const TOO_MANY: &str = "Too many attempts from this address or for this account, or the account is locked after repeated failures; wait `Retry-After` seconds";

fn bad_credentials() -> ApiError {
    ApiError::Unauthorized("unknown username or wrong password".into())
}

/// Log in with a username and password.
///
/// Attempts are throttled per client address and per username (429 with `Retry-After`), and
/// repeated failures lock the account for a while (429 too, even with the right password) until
/// the lock ends or an administrator lifts it (`POST /users/{id}/unlock`).
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Unknown username, wrong password or disabled account", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = TOO_MANY, body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Whole seconds to wait before trying again")))
    )
)]
#[post("/auth/login")]
async fn login(state: State, req: HttpRequest, body: Json<LoginRequest>) -> ApiResult<web::Json<TokenResponse>> {
    let body = body.0;
    let username = body.username.trim();
    let address = client_address(&req);
    let account = lockout::user_account(username);
    // Never the password: the name (escaped), where from, and why.
    let refused = |reason: &str| tracing::warn!(username = ?username, address = ?address, reason, "login refused");
    if let Err(throttled) = state.logins.address(address).and_then(|()| state.logins.account(&account)) {
        refused(if throttled.by_address { "throttled: address" } else { "throttled: account" });
        return Err(DomainError::from(throttled).into());
    }
    let recorded = lockout::find(&state.db, &account).await?;
    let now = Utc::now();
    if let Some(until) = lockout::locked_until(recorded.as_ref(), now) {
        refused("account locked");
        return Err(lockout::locked(until, now).into());
    }
    let found = user::Entity::find().filter(user::Column::Username.eq(username)).one(&state.db).await?;
    let failure = match &found {
        None => {
            password::verify_dummy_off_thread(&body.password).await?;
            Some("unknown username")
        }
        Some(u) if !password::verify_off_thread(&u.password_hash, &body.password).await? => Some("wrong password"),
        Some(u) if u.disabled || u.archived_at.is_some() => Some("account disabled or archived"),
        Some(_) => None,
    };
    let (None, Some(found)) = (failure, found) else {
        refused(failure.unwrap_or("unknown username"));
        if let Some(until) = lockout::record_failure(&state.db, &account, &state.logins.settings).await? {
            tracing::warn!(username = ?username, address = ?address, until = %until, "account locked after repeated failed logins");
        }
        return Err(bad_credentials());
    };
    let txn = crate::db::begin_write(&state.db).await?;
    if recorded.is_some() {
        // A success forgets the failures before it.
        lockout::clear(&txn, &account).await?;
    }
    let user_id = found.id;
    let mut active = found.into_active_model();
    active.last_login_at = Set(Some(Utc::now()));
    active.update(&txn).await?;
    let response = issue(&state, &txn, user_id).await?;
    txn.commit().await?;
    Ok(web::Json(response))
}

/// Exchange a refresh token for a new access token (and a new refresh token).
///
/// Refresh tokens are single use. Presenting one that was already used revokes every session of
/// its user: it means the token was copied.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "The refresh token is invalid, expired or revoked", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = TOO_MANY, body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Whole seconds to wait before trying again")))
    )
)]
#[post("/auth/refresh")]
async fn refresh(state: State, req: HttpRequest, body: Json<RefreshRequest>) -> ApiResult<web::Json<TokenResponse>> {
    let address = client_address(&req);
    let refused = |reason: &str| tracing::warn!(address = ?address, reason, "refresh refused");
    if let Err(throttled) = state.logins.address(address) {
        refused("throttled: address");
        return Err(DomainError::from(throttled).into());
    }
    let digest = tokens::digest(body.0.refresh_token.trim());
    let txn = crate::db::begin_write(&state.db).await?;
    let stored = refresh_token::Entity::find().filter(refresh_token::Column::TokenHash.eq(digest)).one(&txn).await?;
    let invalid = || ApiError::Unauthorized("the refresh token is invalid, expired or revoked".into());
    let Some(stored) = stored else {
        refused("unknown refresh token");
        return Err(invalid());
    };
    let now = Utc::now();
    if stored.revoked_at.is_some() {
        refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
            .filter(refresh_token::Column::UserId.eq(stored.user_id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        tracing::warn!(
            user_id = stored.user_id,
            address = ?address,
            "a revoked refresh token was presented; revoked every session of the user"
        );
        return Err(invalid());
    }
    if stored.expires_at < now {
        refused("expired refresh token");
        return Err(invalid());
    }
    let owner = user::Entity::find_by_id(stored.user_id).one(&txn).await?;
    let Some(owner) = owner.filter(|u| !u.disabled && u.archived_at.is_none()) else {
        refused("account disabled or archived");
        return Err(invalid());
    };
    if let Err(throttled) = state.logins.account(&lockout::user_account(&owner.username)) {
        refused("throttled: account");
        return Err(DomainError::from(throttled).into());
    }
    let user_id = stored.user_id;
    let mut active = stored.into_active_model();
    active.revoked_at = Set(Some(now));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    let response = issue(&state, &txn, user_id).await?;
    txn.commit().await?;
    Ok(web::Json(response))
}

/// Revoke a refresh token (log out this device).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Revoked (or already unusable)"))
)]
#[post("/auth/logout")]
async fn logout(state: State, actor: Actor, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    let now = Utc::now();
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(body.0.refresh_token.trim())))
        .filter(refresh_token::Column::UserId.eq(actor.user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's own account: role, scope and linked teacher.
#[utoipa::path(tag = "auth", responses((status = 200, description = "The caller", body = UserView)))]
#[get("/me")]
async fn me(state: State, actor: Actor) -> ApiResult<web::Json<UserView>> {
    let found =
        user::Entity::find_by_id(actor.user_id).one(&state.db).await?.ok_or_else(|| ApiError::not_found("user"))?;
    Ok(web::Json(UserView::from(found)))
}
