//! Zones (片区): schools of a district grouped for joint research, each optionally led by a lead
//! school (牵头学校, seed 001: 东片 led by 大河岸中心小学 ...).
//!
//! Everyone in the district reads zones; only its district administrators change them.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use entities::{school, zone};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Actor, Reach};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::org::districts::load_district;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, ensure_unique, no_content, now, refuse_if_still_used, save_changes, sorted};
use crate::state::State;
use crate::validate::{nullable, Checks};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_zones).service(create_zone).service(get_zone).service(update_zone).service(archive_zone);
}

/// A zone as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "name": "东片", "lead_school_id": 3,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct ZoneView {
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    /// The lead school (牵头学校), if one is named.
    pub lead_school_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<zone::Model> for ZoneView {
    fn from(m: zone::Model) -> Self {
        ZoneView {
            id: m.id,
            district_id: m.district_id,
            name: m.name,
            lead_school_id: m.lead_school_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new zone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"district_id": 1, "name": "东片"}))]
pub struct NewZone {
    pub district_id: i64,
    /// Unique within the district.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Must be a school of the same district.
    pub lead_school_id: Option<i64>,
}

/// Changes to a zone; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lead_school_id": 3}))]
pub struct ZonePatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub lead_school_id: Option<Option<i64>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ZoneFilter {
    pub district_id: Option<i64>,
    /// Include archived zones (default false).
    pub include_archived: Option<bool>,
    /// `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A zone within the caller's reach, or 404.
pub async fn load_zone(db: &impl sea_orm::ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<zone::Model> {
    zone::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|z| actor.sees_district(z.district_id))
        .ok_or_else(|| ApiError::not_found("zone"))
}

async fn check_unique_name(state: &State, district_id: i64, name: &str, except: Option<i64>) -> ApiResult<()> {
    let query =
        zone::Entity::find().filter(zone::Column::DistrictId.eq(district_id)).filter(zone::Column::Name.eq(name));
    ensure_unique(
        &state.db,
        query,
        zone::Column::Id,
        except,
        "name",
        format!("the district already has a zone named {name}"),
    )
    .await
}

/// The lead school must be a live school of the zone's district.
async fn check_lead_school(state: &State, district_id: i64, school_id: i64, checks: &mut Checks) -> ApiResult<()> {
    let found = school::Entity::find_by_id(school_id).one(&state.db).await?;
    checks.ensure(
        found.is_some_and(|s| s.district_id == district_id && s.archived_at.is_none()),
        "lead_school_id",
        "no such school in this district",
    );
    Ok(())
}

/// List zones.
#[utoipa::path(tag = "zones", params(ZoneFilter), responses((status = 200, description = "A page of zones", body = Page<ZoneView>)))]
#[get("/zones")]
async fn list_zones(state: State, actor: Actor, filter: Query<ZoneFilter>) -> ApiResult<web::Json<Page<ZoneView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let mut query = zone::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) | Reach::School { district_id: d, .. } => {
            query = query.filter(zone::Column::DistrictId.eq(d))
        }
    }
    if let Some(d) = filter.district_id {
        query = query.filter(zone::Column::DistrictId.eq(d));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(zone::Column::ArchivedAt.is_null());
    }
    let query = sorted(
        query,
        filter.sort.as_deref(),
        &[("name", zone::Column::Name), ("created_at", zone::Column::CreatedAt), ("id", zone::Column::Id)],
        zone::Column::Id,
    )?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(ZoneView::from)))
}

/// Create a zone (district administrators).
#[utoipa::path(
    tag = "zones",
    request_body = NewZone,
    responses(
        (status = 201, description = "Created", body = ZoneView),
        (status = 409, description = "The district already has a zone of that name", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/zones")]
async fn create_zone(state: State, actor: Actor, body: Json<NewZone>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, 100);
    let district = load_district(&state.db, &actor, body.district_id)
        .await
        .map_err(|_| ApiError::invalid("district_id", "no such district"))?;
    actor.require(actor.administers_district(district.id), "create zones in this district")?;
    if let Some(school_id) = body.lead_school_id {
        check_lead_school(&state, district.id, school_id, &mut checks).await?;
    }
    checks.finish()?;
    check_unique_name(&state, district.id, &name, None).await?;
    let at = now();
    let saved = zone::ActiveModel {
        district_id: Set(district.id),
        name: Set(name),
        lead_school_id: Set(body.lead_school_id),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/zones/{}", saved.id), ZoneView::from(saved)))
}

/// Get a zone.
#[utoipa::path(tag = "zones", params(("id" = i64, Path, description = "Zone id")), responses((status = 200, description = "The zone", body = ZoneView)))]
#[get("/zones/{id}")]
async fn get_zone(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<ZoneView>> {
    Ok(web::Json(load_zone(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change a zone (district administrators).
#[utoipa::path(
    tag = "zones",
    params(("id" = i64, Path, description = "Zone id")),
    request_body = ZonePatch,
    responses(
        (status = 200, description = "Updated", body = ZoneView),
        (status = 409, description = "The district already has a zone of that name", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/zones/{id}")]
async fn update_zone(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ZonePatch>,
) -> ApiResult<web::Json<ZoneView>> {
    let body = body.0;
    let current = load_zone(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "change zones")?;
    let mut checks = Checks::new();
    let name = body.name.as_deref().map(|n| checks.text("name", n, 100));
    if let Some(Some(school_id)) = body.lead_school_id {
        check_lead_school(&state, current.district_id, school_id, &mut checks).await?;
    }
    checks.finish()?;
    if let Some(name) = &name {
        check_unique_name(&state, current.district_id, name, Some(current.id)).await?;
    }
    let mut active = current.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(lead) = body.lead_school_id {
        active.lead_school_id = Set(lead);
    }
    active.updated_at = Set(now());
    Ok(web::Json(save_changes(&state.db, active).await?.into()))
}

/// Archive a zone (district administrators). Its schools must be moved or archived first.
#[utoipa::path(
    tag = "zones",
    params(("id" = i64, Path, description = "Zone id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 409, description = "Live schools still belong to the zone", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/zones/{id}")]
async fn archive_zone(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_zone(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "archive zones")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let live_schools = school::Entity::find()
        .filter(school::Column::ZoneId.eq(current.id))
        .filter(school::Column::ArchivedAt.is_null())
        .count(&state.db)
        .await?;
    refuse_if_still_used(live_schools, "schools still belong to this zone; move or archive them first")?;
    archive(&state.db, current).await?;
    Ok(no_content())
}
