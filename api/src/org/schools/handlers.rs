//! The CRUD handlers of `/schools`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::{group, school, teacher};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use super::queries::schools_matching;
use super::queries::{check_unique, check_zone, release_zone_lead};
use super::views::{ADDRESS_MAX, CODE_MAX, NAME_MAX};
use super::{load_school, view_of, zone_leads, NewSchool, SchoolFilter, SchoolPatch, SchoolView};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::org::districts::load_district;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{count_live, created, mark_archived, no_content, now};
use crate::state::State;
use crate::validate::Checks;

/// List the schools the caller can see.
#[utoipa::path(tag = "schools", params(SchoolFilter), responses((status = 200, description = "A page of schools", body = Page<SchoolView>)))]
#[get("/schools")]
pub(super) async fn list_schools(
    state: State,
    actor: Actor,
    filter: Query<SchoolFilter>,
) -> ApiResult<web::Json<Page<SchoolView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let query = schools_matching(&actor, &filter)?;
    let page = fetch_page(query, paging, &state.db).await?;
    let leads = zone_leads(&state.db, &page.items).await?;
    Ok(web::Json(page.map(|s| {
        let lead = leads.contains(&s.id);
        SchoolView::new(s, lead)
    })))
}

/// Create a school (district administrators).
#[utoipa::path(
    tag = "schools",
    request_body = NewSchool,
    responses(
        (status = 201, description = "Created", body = SchoolView),
        (status = 409, description = "The district already has a school of that name, or another school has the code", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/schools")]
pub(super) async fn create_school(state: State, actor: Actor, body: Json<NewSchool>) -> ApiResult<HttpResponse> {
    let body = body.0;
    actor.require(actor.is_district_admin(), "create schools")?;
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, NAME_MAX);
    let code = checks.optional_text("code", body.code.as_deref(), CODE_MAX);
    let address = checks.optional_text("address", body.address.as_deref(), ADDRESS_MAX);
    let district = load_district(&state.db, &actor, body.district_id)
        .await
        .map_err(|_| ApiError::invalid("district_id", "no such district"))?;
    actor.require(actor.administers_district(district.id), "create schools in this district")?;
    if let Some(zone_id) = body.zone_id {
        check_zone(&state.db, district.id, zone_id, &mut checks).await?;
    }
    checks.finish()?;
    check_unique(&state.db, district.id, Some(&name), code.as_deref(), None).await?;
    let at = now();
    let saved = school::ActiveModel {
        district_id: Set(district.id),
        zone_id: Set(body.zone_id),
        name: Set(name),
        tier: Set(body.tier),
        code: Set(code),
        address: Set(address),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/schools/{}", saved.id), SchoolView::new(saved, false)))
}

/// Get a school.
#[utoipa::path(tag = "schools", params(("id" = i64, Path, description = "School id")), responses((status = 200, description = "The school", body = SchoolView)))]
#[get("/schools/{id}")]
pub(super) async fn get_school(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<SchoolView>> {
    let school = load_school(&state.db, &actor, id.into_inner()).await?;
    Ok(web::Json(view_of(&state.db, school).await?))
}

/// Change a school (district administrators). Moving it out of a zone that it leads clears
/// that zone's lead school.
#[utoipa::path(
    tag = "schools",
    params(("id" = i64, Path, description = "School id")),
    request_body = SchoolPatch,
    responses(
        (status = 200, description = "Updated", body = SchoolView),
        (status = 409, description = "The district already has a school of that name, or another school has the code", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/schools/{id}")]
pub(super) async fn update_school(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<SchoolPatch>,
) -> ApiResult<web::Json<SchoolView>> {
    let body = body.0;
    let current = load_school(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "change schools")?;
    let mut checks = Checks::new();
    let name = body.name.as_deref().map(|n| checks.text("name", n, NAME_MAX));
    let code = body.code.map(|c| checks.optional_text("code", c.as_deref(), CODE_MAX));
    let address = body.address.map(|a| checks.optional_text("address", a.as_deref(), ADDRESS_MAX));
    if let Some(Some(zone_id)) = body.zone_id {
        if current.zone_id != Some(zone_id) {
            check_zone(&state.db, current.district_id, zone_id, &mut checks).await?;
        }
    }
    checks.finish()?;
    let new_code = code.as_ref().and_then(|c| c.as_deref());
    check_unique(&state.db, current.district_id, name.as_deref(), new_code, Some(current.id)).await?;

    let txn = crate::db::begin_write(&state.db).await?;
    if body.zone_id.is_some_and(|z| z != current.zone_id) {
        release_zone_lead(&txn, current.id).await?;
    }
    let mut active = current.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(tier) = body.tier {
        active.tier = Set(tier);
    }
    if let Some(zone_id) = body.zone_id {
        active.zone_id = Set(zone_id);
    }
    if let Some(code) = code {
        active.code = Set(code);
    }
    if let Some(address) = address {
        active.address = Set(address);
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    let view = view_of(&txn, saved).await?;
    txn.commit().await?;
    Ok(web::Json(view))
}

/// Archive a school (district administrators). Its teachers and groups must be archived first;
/// a zone it leads no longer names a lead school.
#[utoipa::path(
    tag = "schools",
    params(("id" = i64, Path, description = "School id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 409, description = "Live teachers or groups still belong to the school", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/schools/{id}")]
pub(super) async fn archive_school(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_school(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "archive schools")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let live_teachers = count_live::<teacher::Entity>(&state.db, teacher::Column::SchoolId, current.id).await?;
    let live_groups = count_live::<group::Entity>(&state.db, group::Column::SchoolId, current.id).await?;
    if live_teachers + live_groups > 0 {
        return Err(ApiError::Conflict {
            detail: format!(
                "{live_teachers} teachers and {live_groups} groups still belong to this school; archive them first"
            ),
            field: None,
        });
    }
    let txn = crate::db::begin_write(&state.db).await?;
    release_zone_lead(&txn, current.id).await?;
    mark_archived(&txn, current).await?;
    txn.commit().await?;
    Ok(no_content())
}
