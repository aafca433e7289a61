//! Districts (县/区): the top of the organisation. An installation-wide administrator creates
//! them; a district's own administrators may rename it; everyone in it reads it.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use entities::{district, school};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Actor, Reach};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, ensure_unique, no_content, now, refuse_if_still_used, save_changes, sorted};
use crate::state::State;
use crate::validate::{nullable, Checks};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_districts)
        .service(create_district)
        .service(get_district)
        .service(update_district)
        .service(archive_district);
}

/// A district as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "罗田县", "code": "421123",
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct DistrictView {
    pub id: i64,
    pub name: String,
    /// Administrative code, e.g. the county's GB/T 2260 code.
    pub code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<district::Model> for DistrictView {
    fn from(m: district::Model) -> Self {
        DistrictView {
            id: m.id,
            name: m.name,
            code: m.code,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new district.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "罗田县", "code": "421123"}))]
pub struct NewDistrict {
    /// Unique in the installation.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(max_length = 64)]
    pub code: Option<String>,
}

/// Changes to a district; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "罗田县教研室"}))]
pub struct DistrictPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub code: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DistrictFilter {
    /// Include archived districts (default false).
    pub include_archived: Option<bool>,
    /// `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A district within the caller's reach, or 404.
pub async fn load_district(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<district::Model> {
    district::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| actor.sees_district(d.id))
        .ok_or_else(|| ApiError::not_found("district"))
}

async fn check_unique_name(state: &State, name: &str, except: Option<i64>) -> ApiResult<()> {
    let query = district::Entity::find().filter(district::Column::Name.eq(name));
    ensure_unique(&state.db, query, district::Column::Id, except, "name", format!("a district named {name} exists"))
        .await
}

/// List the districts the caller can see.
#[utoipa::path(tag = "districts", params(DistrictFilter), responses((status = 200, description = "A page of districts", body = Page<DistrictView>)))]
#[get("/districts")]
async fn list_districts(
    state: State,
    actor: Actor,
    filter: Query<DistrictFilter>,
) -> ApiResult<web::Json<Page<DistrictView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let mut query = district::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) | Reach::School { district_id: d, .. } => query = query.filter(district::Column::Id.eq(d)),
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(district::Column::ArchivedAt.is_null());
    }
    let query = sorted(
        query,
        filter.sort.as_deref(),
        &[("name", district::Column::Name), ("created_at", district::Column::CreatedAt), ("id", district::Column::Id)],
        district::Column::Id,
    )?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(DistrictView::from)))
}

/// Create a district (installation-wide administrators only).
#[utoipa::path(
    tag = "districts",
    request_body = NewDistrict,
    responses(
        (status = 201, description = "Created", body = DistrictView),
        (status = 409, description = "A district of that name exists", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/districts")]
async fn create_district(state: State, actor: Actor, body: Json<NewDistrict>) -> ApiResult<HttpResponse> {
    let body = body.0;
    actor.require(actor.reach() == Reach::Everything, "create districts")?;
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, 100);
    let code = checks.optional_text("code", body.code.as_deref(), 64);
    checks.finish()?;
    check_unique_name(&state, &name, None).await?;
    let at = now();
    let saved = district::ActiveModel {
        name: Set(name),
        code: Set(code),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/districts/{}", saved.id), DistrictView::from(saved)))
}

/// Get a district.
#[utoipa::path(tag = "districts", params(("id" = i64, Path, description = "District id")), responses((status = 200, description = "The district", body = DistrictView)))]
#[get("/districts/{id}")]
async fn get_district(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<DistrictView>> {
    Ok(web::Json(load_district(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change a district (its district administrators).
#[utoipa::path(
    tag = "districts",
    params(("id" = i64, Path, description = "District id")),
    request_body = DistrictPatch,
    responses(
        (status = 200, description = "Updated", body = DistrictView),
        (status = 409, description = "A district of that name exists", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/districts/{id}")]
async fn update_district(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<DistrictPatch>,
) -> ApiResult<web::Json<DistrictView>> {
    let body = body.0;
    let current = load_district(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.id), "change this district")?;
    let mut checks = Checks::new();
    let name = body.name.as_deref().map(|n| checks.text("name", n, 100));
    let code = body.code.map(|c| checks.optional_text("code", c.as_deref(), 64));
    checks.finish()?;
    if let Some(name) = &name {
        check_unique_name(&state, name, Some(current.id)).await?;
    }
    let mut active = current.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(code) = code {
        active.code = Set(code);
    }
    active.updated_at = Set(now());
    Ok(web::Json(save_changes(&state.db, active).await?.into()))
}

/// Archive a district (installation-wide administrators). Its schools must be archived first.
#[utoipa::path(
    tag = "districts",
    params(("id" = i64, Path, description = "District id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 409, description = "Live schools still belong to the district", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/districts/{id}")]
async fn archive_district(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_district(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.reach() == Reach::Everything, "archive districts")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let live = school::Entity::find()
        .filter(school::Column::DistrictId.eq(current.id))
        .filter(school::Column::ArchivedAt.is_null())
        .count(&state.db)
        .await?;
    refuse_if_still_used(live, "schools still belong to this district; archive them first")?;
    archive(&state.db, current).await?;
    Ok(no_content())
}
