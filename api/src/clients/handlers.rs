//! `/api-clients`: district administrators register machine clients, change their scopes and
//! school limits, disable or archive them, and rotate their secrets. Nobody else sees them.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::{api_client, school};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::clients_matching;
use super::scopes::ClientScope;
use super::views::{ApiClientFilter, ApiClientPatch, ApiClientView, ApiClientWithSecret, NewApiClient};
use crate::auth::tokens::digest;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{created, mark_archived, no_content, now};
use crate::state::State;
use crate::validate::Checks;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_clients)
        .service(create_client)
        .service(get_client)
        .service(update_client)
        .service(archive_client)
        .service(rotate_secret);
}

/// A new secret (what the client keeps) and its digest (what we store). 32 random bytes: a
/// secret that long needs no slow hash, a digest is enough (as for refresh tokens).
fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let hash = digest(&secret);
    (secret, hash)
}

fn new_client_id() -> String {
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    format!("jyc_{}", hex::encode(bytes))
}

/// A client the caller administers, or 404 (clients are invisible to everyone else).
async fn load_client(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<api_client::Model> {
    api_client::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| actor.administers_district(c.district_id))
        .ok_or_else(|| ApiError::not_found("API client"))
}

fn check_scopes(checks: &mut Checks, scopes: &[ClientScope]) -> Vec<ClientScope> {
    checks.ensure(!scopes.is_empty(), "scopes", "must grant at least one scope");
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    scopes
}

/// School limits must be live schools of the client's district.
async fn check_schools(
    db: &impl ConnectionTrait,
    district_id: i64,
    ids: &[i64],
    checks: &mut Checks,
) -> ApiResult<Vec<i64>> {
    checks.ensure(!ids.is_empty(), "school_ids", "must name at least one school, or be null for the whole district");
    checks.ensure(ids.len() <= 500, "school_ids", "at most 500 schools");
    let found = school::Entity::find()
        .filter(school::Column::Id.is_in(ids.iter().copied()))
        .filter(school::Column::DistrictId.eq(district_id))
        .filter(school::Column::ArchivedAt.is_null())
        .all(db)
        .await?;
    for (i, id) in ids.iter().enumerate() {
        checks.ensure(found.iter().any(|s| s.id == *id), format!("school_ids[{i}]"), "no such school in the district");
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// List the machine clients of the caller's district (district administrators).
#[utoipa::path(tag = "api-clients", params(ApiClientFilter), responses((status = 200, description = "A page of clients", body = Page<ApiClientView>)))]
#[get("/api-clients")]
async fn list_clients(
    state: State,
    actor: Actor,
    filter: Query<ApiClientFilter>,
) -> ApiResult<web::Json<Page<ApiClientView>>> {
    let filter = filter.0;
    actor.require(actor.is_district_admin(), "see API clients")?;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let query = clients_matching(&actor, &filter)?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(ApiClientView::from)))
}

/// Register a machine client (district administrators); the answer holds its secret, once.
#[utoipa::path(
    tag = "api-clients",
    request_body = NewApiClient,
    responses((status = 201, description = "Created; keep `client_secret`, it is not shown again", body = ApiClientWithSecret))
)]
#[post("/api-clients")]
async fn create_client(state: State, actor: Actor, body: Json<NewApiClient>) -> ApiResult<HttpResponse> {
    let body = body.0;
    actor.require(actor.is_district_admin(), "register API clients")?;
    let district_id = match (actor.district_id, body.district_id) {
        (Some(own), None) => own,
        (Some(own), Some(d)) if d == own => own,
        (Some(_), Some(_)) => return Err(ApiError::invalid("district_id", "no such district")),
        (None, Some(d)) => {
            entities::district::Entity::find_by_id(d)
                .one(&state.db)
                .await?
                .ok_or_else(|| ApiError::invalid("district_id", "no such district"))?
                .id
        }
        (None, None) => return Err(ApiError::invalid("district_id", "is required for an installation administrator")),
    };
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, 100);
    let scopes = check_scopes(&mut checks, &body.scopes);
    let schools = match &body.school_ids {
        Some(ids) => Some(check_schools(&state.db, district_id, ids, &mut checks).await?),
        None => None,
    };
    checks.finish()?;
    let (secret, hash) = new_secret();
    let at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = api_client::ActiveModel {
        district_id: Set(district_id),
        name: Set(name),
        client_id: Set(new_client_id()),
        secret_hash: Set(hash),
        scopes: Set(serde_json::json!(scopes)),
        school_ids: Set(schools.map(|s| serde_json::json!(s))),
        disabled: Set(false),
        created_by_user_id: Set(Some(actor.user_id)),
        secret_issued_at: Set(at),
        last_used_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let location = format!("/api/v1/api-clients/{}", saved.id);
    Ok(created(location, ApiClientWithSecret { client: saved.into(), client_secret: secret }))
}

/// Get a machine client (district administrators).
#[utoipa::path(tag = "api-clients", params(("id" = i64, Path, description = "API client id")), responses((status = 200, description = "The client", body = ApiClientView)))]
#[get("/api-clients/{id}")]
async fn get_client(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<ApiClientView>> {
    Ok(web::Json(load_client(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change a machine client's name, scopes or school limits, or disable it (district
/// administrators). Narrowing takes effect on the client's tokens at once.
#[utoipa::path(
    tag = "api-clients",
    params(("id" = i64, Path, description = "API client id")),
    request_body = ApiClientPatch,
    responses((status = 200, description = "Updated", body = ApiClientView))
)]
#[patch("/api-clients/{id}")]
async fn update_client(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ApiClientPatch>,
) -> ApiResult<web::Json<ApiClientView>> {
    let body = body.0;
    let current = load_client(&state.db, &actor, id.into_inner()).await?;
    let mut checks = Checks::new();
    let name = body.name.as_deref().map(|n| checks.text("name", n, 100));
    let scopes = body.scopes.as_deref().map(|s| check_scopes(&mut checks, s));
    let schools = match &body.school_ids {
        Some(Some(ids)) => Some(Some(check_schools(&state.db, current.district_id, ids, &mut checks).await?)),
        Some(None) => Some(None),
        None => None,
    };
    checks.finish()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = current.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(scopes) = scopes {
        active.scopes = Set(serde_json::json!(scopes));
    }
    if let Some(schools) = schools {
        active.school_ids = Set(schools.map(|s| serde_json::json!(s)));
    }
    if let Some(disabled) = body.disabled {
        active.disabled = Set(disabled);
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// Archive a machine client (district administrators): it gets no more tokens and its tokens
/// stop working. Idempotent.
#[utoipa::path(tag = "api-clients", params(("id" = i64, Path, description = "API client id")), responses((status = 204, description = "Archived")))]
#[delete("/api-clients/{id}")]
async fn archive_client(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_client(&state.db, &actor, id.into_inner()).await?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let txn = crate::db::begin_write(&state.db).await?;
    mark_archived(&txn, current).await?;
    txn.commit().await?;
    Ok(no_content())
}

/// Rotate a machine client's secret (district administrators): the old secret and every token
/// issued with it stop working; the answer holds the new secret, once.
#[utoipa::path(
    tag = "api-clients",
    params(("id" = i64, Path, description = "API client id")),
    responses(
        (status = 200, description = "The new secret; keep it, it is not shown again", body = ApiClientWithSecret),
        (status = 409, description = "The client is archived", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/api-clients/{id}/secret")]
async fn rotate_secret(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<ApiClientWithSecret>> {
    let current = load_client(&state.db, &actor, id.into_inner()).await?;
    if current.archived_at.is_some() {
        return Err(ApiError::Conflict { detail: "the client is archived".into(), field: None });
    }
    let (secret, hash) = new_secret();
    let at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = current.into_active_model();
    active.secret_hash = Set(hash);
    active.secret_issued_at = Set(at);
    active.updated_at = Set(at);
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(ApiClientWithSecret { client: saved.into(), client_secret: secret }))
}
