//! The endpoints: extract, call, respond.

use super::queries::districts_matching;
use super::queries::*;
use super::views::*;
use crate::auth::{Actor, Reach};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, count_live, created, no_content, now, refuse_if_still_used, save_changes};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::{district, school};
use sea_orm::{IntoActiveModel, Set};

/// List the districts the caller can see.
#[utoipa::path(tag = "districts", params(DistrictFilter), responses((status = 200, description = "A page of districts", body = Page<DistrictView>)))]
#[get("/districts")]
pub(super) async fn list_districts(
    state: State,
    actor: Actor,
    filter: Query<DistrictFilter>,
) -> ApiResult<web::Json<Page<DistrictView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let query = districts_matching(&actor, &filter)?;
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
pub(super) async fn create_district(state: State, actor: Actor, body: Json<NewDistrict>) -> ApiResult<HttpResponse> {
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
pub(super) async fn get_district(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<DistrictView>> {
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
pub(super) async fn update_district(
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
pub(super) async fn archive_district(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_district(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.reach() == Reach::Everything, "archive districts")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let live = count_live::<school::Entity>(&state.db, school::Column::DistrictId, current.id).await?;
    refuse_if_still_used(live, "schools still belong to this district; archive them first")?;
    archive(&state.db, current).await?;
    Ok(no_content())
}
