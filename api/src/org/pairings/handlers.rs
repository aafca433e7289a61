//! The endpoints: extract, call, respond.

use super::queries::pairings_matching;
use super::queries::*;
use super::rules::*;
use super::views::*;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, no_content, now, save_changes};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::school_pairing;
use sea_orm::{IntoActiveModel, Set};

/// List the pairings the caller can see.
#[utoipa::path(tag = "school-pairings", params(SchoolPairingFilter), responses((status = 200, description = "A page of pairings", body = Page<SchoolPairingView>)))]
#[get("/school-pairings")]
pub(super) async fn list_school_pairings(
    state: State,
    actor: Actor,
    filter: Query<SchoolPairingFilter>,
) -> ApiResult<web::Json<Page<SchoolPairingView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let query = pairings_matching(&actor, &filter)?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(SchoolPairingView::from)))
}

/// Pair two schools (district administrators).
#[utoipa::path(
    tag = "school-pairings",
    request_body = NewSchoolPairing,
    responses((status = 201, description = "Created", body = SchoolPairingView))
)]
#[post("/school-pairings")]
pub(super) async fn create_school_pairing(
    state: State,
    actor: Actor,
    body: Json<NewSchoolPairing>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    actor.require(actor.is_district_admin(), "pair schools")?;
    let mut checks = Checks::new();
    let notes = checks.optional_text("notes", body.notes.as_deref(), NOTES_MAX);
    let district_id =
        check_schools(&state.db, &actor, body.mentor_school_id, body.partner_school_id, &mut checks).await?;
    check_dates(body.start_date, body.end_date, &mut checks);
    checks.finish()?;
    let district_id = district_id.ok_or_else(|| ApiError::invalid("mentor_school_id", "no such school"))?;
    actor.require(actor.administers_district(district_id), "pair schools of this district")?;
    let at = now();
    let saved = school_pairing::ActiveModel {
        district_id: Set(district_id),
        mentor_school_id: Set(body.mentor_school_id),
        partner_school_id: Set(body.partner_school_id),
        kind: Set(body.kind),
        start_date: Set(body.start_date),
        end_date: Set(body.end_date),
        notes: Set(notes),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/school-pairings/{}", saved.id), SchoolPairingView::from(saved)))
}

/// Get a pairing.
#[utoipa::path(tag = "school-pairings", params(("id" = i64, Path, description = "Pairing id")), responses((status = 200, description = "The pairing", body = SchoolPairingView)))]
#[get("/school-pairings/{id}")]
pub(super) async fn get_school_pairing(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<SchoolPairingView>> {
    Ok(web::Json(load_school_pairing(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change a pairing (district administrators).
#[utoipa::path(
    tag = "school-pairings",
    params(("id" = i64, Path, description = "Pairing id")),
    request_body = SchoolPairingPatch,
    responses((status = 200, description = "Updated", body = SchoolPairingView))
)]
#[patch("/school-pairings/{id}")]
pub(super) async fn update_school_pairing(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<SchoolPairingPatch>,
) -> ApiResult<web::Json<SchoolPairingView>> {
    let body = body.0;
    let current = load_school_pairing(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "change school pairings")?;
    let mut checks = Checks::new();
    let notes = body.notes.map(|n| checks.optional_text("notes", n.as_deref(), NOTES_MAX));
    let mentor = body.mentor_school_id.unwrap_or(current.mentor_school_id);
    let partner = body.partner_school_id.unwrap_or(current.partner_school_id);
    let start = body.start_date.unwrap_or(current.start_date);
    let end = body.end_date.unwrap_or(current.end_date);
    if body.mentor_school_id.is_some() || body.partner_school_id.is_some() {
        let district_id = check_schools(&state.db, &actor, mentor, partner, &mut checks).await?;
        if district_id.is_some_and(|d| d != current.district_id) {
            checks.fail("mentor_school_id", "must be a school of the pairing's district");
        }
    }
    check_dates(start, end, &mut checks);
    checks.finish()?;
    let mut active = current.into_active_model();
    active.mentor_school_id = Set(mentor);
    active.partner_school_id = Set(partner);
    if let Some(kind) = body.kind {
        active.kind = Set(kind);
    }
    active.start_date = Set(start);
    active.end_date = Set(end);
    if let Some(notes) = notes {
        active.notes = Set(notes);
    }
    active.updated_at = Set(now());
    Ok(web::Json(save_changes(&state.db, active).await?.into()))
}

/// Archive a pairing (district administrators).
#[utoipa::path(
    tag = "school-pairings",
    params(("id" = i64, Path, description = "Pairing id")),
    responses((status = 204, description = "Archived"))
)]
#[delete("/school-pairings/{id}")]
pub(super) async fn archive_school_pairing(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_school_pairing(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "archive school pairings")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    archive(&state.db, current).await?;
    Ok(no_content())
}
