//! The endpoints: extract, call, respond.

use super::queries::*;
use super::views::*;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::org::districts::load_district;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, no_content, now, refuse_if_still_used, save_changes};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::zone;
use sea_orm::{IntoActiveModel, Set};

/// List zones.
#[utoipa::path(tag = "zones", params(ZoneFilter), responses((status = 200, description = "A page of zones", body = Page<ZoneView>)))]
#[get("/zones")]
pub(super) async fn list_zones(
    state: State,
    actor: Actor,
    filter: Query<ZoneFilter>,
) -> ApiResult<web::Json<Page<ZoneView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let query = zones_matching(&actor, &filter)?;
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
pub(super) async fn create_zone(state: State, actor: Actor, body: Json<NewZone>) -> ApiResult<HttpResponse> {
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
pub(super) async fn get_zone(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<ZoneView>> {
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
pub(super) async fn update_zone(
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
pub(super) async fn archive_zone(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_zone(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "archive zones")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    refuse_if_still_used(
        live_schools_in(&state.db, current.id).await?,
        "schools still belong to this zone; move or archive them first",
    )?;
    archive(&state.db, current).await?;
    Ok(no_content())
}
