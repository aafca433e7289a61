//! School pairings (学校结对): a mentor school helping a partner school of the same district,
//! as 城乡结对 (urban–rural), 手拉手 (sister schools) or 送教下乡 (outreach).
//!
//! District administrators read and write their district's pairings; school-level roles read the
//! pairings their school is a side of.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::PairingKind;
use entities::{school, school_pairing};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Actor, Reach};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, no_content, now, save_changes, sorted};
use crate::state::State;
use crate::validate::{nullable, Checks};

const NOTES_MAX: usize = 2000;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_school_pairings)
        .service(create_school_pairing)
        .service(get_school_pairing)
        .service(update_school_pairing)
        .service(archive_school_pairing);
}

/// A pairing of two schools as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "mentor_school_id": 2, "partner_school_id": 5,
    "kind": "urban_rural", "start_date": "2026-09-01", "end_date": "2027-07-10", "notes": "每月送教一次",
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct SchoolPairingView {
    pub id: i64,
    /// The district of both schools.
    pub district_id: i64,
    /// The helping (usually urban) school.
    pub mentor_school_id: i64,
    /// The helped (usually rural) school.
    pub partner_school_id: i64,
    pub kind: PairingKind,
    pub start_date: NaiveDate,
    /// Last day of the pairing; none while open-ended.
    pub end_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<school_pairing::Model> for SchoolPairingView {
    fn from(m: school_pairing::Model) -> Self {
        SchoolPairingView {
            id: m.id,
            district_id: m.district_id,
            mentor_school_id: m.mentor_school_id,
            partner_school_id: m.partner_school_id,
            kind: m.kind,
            start_date: m.start_date,
            end_date: m.end_date,
            notes: m.notes,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new pairing of two schools.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mentor_school_id": 2, "partner_school_id": 5, "kind": "urban_rural",
    "start_date": "2026-09-01", "end_date": "2027-07-10", "notes": "每月送教一次"}))]
pub struct NewSchoolPairing {
    /// The helping school.
    pub mentor_school_id: i64,
    /// The helped school: another live school of the same district.
    pub partner_school_id: i64,
    pub kind: PairingKind,
    pub start_date: NaiveDate,
    /// Not before `start_date`.
    pub end_date: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// Changes to a pairing; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2027-01-22"}))]
pub struct SchoolPairingPatch {
    pub mentor_school_id: Option<i64>,
    pub partner_school_id: Option<i64>,
    pub kind: Option<PairingKind>,
    pub start_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub end_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SchoolPairingFilter {
    pub district_id: Option<i64>,
    /// Pairings this school is either side of.
    pub school_id: Option<i64>,
    pub kind: Option<PairingKind>,
    /// Pairings running on this day (started on or before it, not ended before it).
    pub active_on: Option<NaiveDate>,
    /// Include archived pairings (default false).
    pub include_archived: Option<bool>,
    /// `start_date`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

fn sees(actor: &Actor, p: &school_pairing::Model) -> bool {
    actor.sees_school(p.district_id, p.mentor_school_id) || actor.sees_school(p.district_id, p.partner_school_id)
}

/// A pairing within the caller's reach (one of its schools is), or 404.
pub async fn load_school_pairing(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> ApiResult<school_pairing::Model> {
    school_pairing::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| sees(actor, p))
        .ok_or_else(|| ApiError::not_found("school pairing"))
}

/// A live school the caller can see, else a 422 on `field`.
async fn visible_school(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    field: &str,
    checks: &mut Checks,
) -> ApiResult<Option<school::Model>> {
    let found = school::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| actor.sees_school(s.district_id, s.id) && s.archived_at.is_none());
    if found.is_none() {
        checks.fail(field, "no such school");
    }
    Ok(found)
}

fn check_dates(start: NaiveDate, end: Option<NaiveDate>, checks: &mut Checks) {
    if let Some(end) = end {
        checks.ensure(end >= start, "end_date", "must not be before start_date");
    }
}

/// Checks both sides: two different live schools the caller sees, of one district (returned
/// when both are valid).
async fn check_schools(
    db: &impl ConnectionTrait,
    actor: &Actor,
    mentor_id: i64,
    partner_id: i64,
    checks: &mut Checks,
) -> ApiResult<Option<i64>> {
    let mentor = visible_school(db, actor, mentor_id, "mentor_school_id", checks).await?;
    let partner = if partner_id == mentor_id {
        checks.fail("partner_school_id", "must be another school than mentor_school_id");
        None
    } else {
        visible_school(db, actor, partner_id, "partner_school_id", checks).await?
    };
    Ok(match (mentor, partner) {
        (Some(m), Some(p)) if m.district_id == p.district_id => Some(m.district_id),
        (Some(_), Some(_)) => {
            checks.fail("partner_school_id", "must be a school of the mentor school's district");
            None
        }
        _ => None,
    })
}

/// List the pairings the caller can see.
#[utoipa::path(tag = "school-pairings", params(SchoolPairingFilter), responses((status = 200, description = "A page of pairings", body = Page<SchoolPairingView>)))]
#[get("/school-pairings")]
async fn list_school_pairings(
    state: State,
    actor: Actor,
    filter: Query<SchoolPairingFilter>,
) -> ApiResult<web::Json<Page<SchoolPairingView>>> {
    use school_pairing::Column as C;
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let either_side = |s: i64| Condition::any().add(C::MentorSchoolId.eq(s)).add(C::PartnerSchoolId.eq(s));
    let mut query = school_pairing::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) => query = query.filter(C::DistrictId.eq(d)),
        Reach::School { school_id, .. } => query = query.filter(either_side(school_id)),
    }
    if let Some(d) = filter.district_id {
        query = query.filter(C::DistrictId.eq(d));
    }
    if let Some(s) = filter.school_id {
        query = query.filter(either_side(s));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(C::Kind.eq(kind));
    }
    if let Some(day) = filter.active_on {
        query = query
            .filter(C::StartDate.lte(day))
            .filter(Condition::any().add(C::EndDate.is_null()).add(C::EndDate.gte(day)));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(C::ArchivedAt.is_null());
    }
    let query = sorted(
        query,
        filter.sort.as_deref(),
        &[("start_date", C::StartDate), ("created_at", C::CreatedAt), ("id", C::Id)],
        C::Id,
    )?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(SchoolPairingView::from)))
}

/// Pair two schools (district administrators).
#[utoipa::path(
    tag = "school-pairings",
    request_body = NewSchoolPairing,
    responses((status = 201, description = "Created", body = SchoolPairingView))
)]
#[post("/school-pairings")]
async fn create_school_pairing(state: State, actor: Actor, body: Json<NewSchoolPairing>) -> ApiResult<HttpResponse> {
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
async fn get_school_pairing(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<SchoolPairingView>> {
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
async fn update_school_pairing(
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
async fn archive_school_pairing(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_school_pairing(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "archive school pairings")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    archive(&state.db, current).await?;
    Ok(no_content())
}
