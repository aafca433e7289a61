//! The endpoints: extract, call, respond.

use super::queries::semesters_matching;
use super::queries::*;
use super::rules::*;
use super::views::*;
use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::org::calendar::{self};
use crate::org::districts::load_district;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, count_live, created, no_content, now, refuse_if_still_used, save_changes};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::{research_topic, semester};
use sea_orm::{IntoActiveModel, Set};

/// List semesters.
#[utoipa::path(tag = "semesters", params(SemesterFilter), responses((status = 200, description = "A page of semesters", body = Page<SemesterView>)))]
#[get("/semesters")]
pub(super) async fn list_semesters(
    state: State,
    actor: Actor,
    filter: Query<SemesterFilter>,
) -> ApiResult<web::Json<Page<SemesterView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let query = semesters_matching(&actor, &filter)?;
    let page = fetch_page(query, paging, &state.db).await?;
    let items = page.items.into_iter().map(view).collect::<DomainResult<Vec<_>>>()?;
    Ok(web::Json(Page { items, total: page.total, limit: page.limit, offset: page.offset }))
}

/// Create a semester (district administrators).
#[utoipa::path(
    tag = "semesters",
    request_body = NewSemester,
    responses(
        (status = 201, description = "Created", body = SemesterView),
        (status = 409, description = "The district already has a semester of that name", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/semesters")]
pub(super) async fn create_semester(state: State, actor: Actor, body: Json<NewSemester>) -> ApiResult<HttpResponse> {
    let body = body.0;
    actor.require(actor.is_district_admin(), "create semesters")?;
    let district = load_district(&state.db, &actor, body.district_id)
        .await
        .map_err(|_| ApiError::invalid("district_id", "no such district"))?;
    actor.require(actor.administers_district(district.id), "create semesters in this district")?;
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, NAME_MAX);
    let school_year = body.school_year.trim().to_string();
    let week1_start = body.week1_start.unwrap_or_else(|| calendar::monday_of(body.start_date));
    let holidays =
        check_calendar(&mut checks, &school_year, body.start_date, body.end_date, week1_start, body.holidays);
    checks.finish()?;
    check_unique_name(&state, district.id, &name, None).await?;
    let at = now();
    let saved = semester::ActiveModel {
        district_id: Set(district.id),
        name: Set(name),
        school_year: Set(school_year),
        start_date: Set(body.start_date),
        end_date: Set(body.end_date),
        week1_start: Set(week1_start),
        holidays: Set(holidays_json(&holidays)?),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/semesters/{}", saved.id), view(saved)?))
}

/// Get a semester.
#[utoipa::path(tag = "semesters", params(("id" = i64, Path, description = "Semester id")), responses((status = 200, description = "The semester", body = SemesterView)))]
#[get("/semesters/{id}")]
pub(super) async fn get_semester(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<SemesterView>> {
    Ok(web::Json(view(load_semester(&state.db, &actor, id.into_inner()).await?)?))
}

/// Change a semester (district administrators).
#[utoipa::path(
    tag = "semesters",
    params(("id" = i64, Path, description = "Semester id")),
    request_body = SemesterPatch,
    responses(
        (status = 200, description = "Updated", body = SemesterView),
        (status = 409, description = "The district already has a semester of that name", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/semesters/{id}")]
pub(super) async fn update_semester(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<SemesterPatch>,
) -> ApiResult<web::Json<SemesterView>> {
    let body = body.0;
    let current = load_semester(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "change semesters")?;
    let stored = calendar_of(&current)?;
    let mut checks = Checks::new();
    let name = body.name.as_deref().map(|n| checks.text("name", n, NAME_MAX));
    let school_year = body.school_year.as_deref().map(str::trim).unwrap_or(&current.school_year).to_string();
    let start = body.start_date.unwrap_or(current.start_date);
    let end = body.end_date.unwrap_or(current.end_date);
    let week1_start = match (body.week1_start, body.start_date) {
        (Some(week1), _) => week1,
        (None, Some(start)) => calendar::monday_of(start),
        (None, None) => current.week1_start,
    };
    let holidays =
        check_calendar(&mut checks, &school_year, start, end, week1_start, body.holidays.unwrap_or(stored.holidays));
    checks.finish()?;
    if let Some(name) = &name {
        check_unique_name(&state, current.district_id, name, Some(current.id)).await?;
    }
    let mut active = current.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    active.school_year = Set(school_year);
    active.start_date = Set(start);
    active.end_date = Set(end);
    active.week1_start = Set(week1_start);
    active.holidays = Set(holidays_json(&holidays)?);
    active.updated_at = Set(now());
    Ok(web::Json(view(save_changes(&state.db, active).await?)?))
}

/// Archive a semester (district administrators). Research topics declared for it must be
/// archived first.
#[utoipa::path(
    tag = "semesters",
    params(("id" = i64, Path, description = "Semester id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 409, description = "Live research topics still belong to the semester", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/semesters/{id}")]
pub(super) async fn archive_semester(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_semester(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "archive semesters")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let live_topics =
        count_live::<research_topic::Entity>(&state.db, research_topic::Column::SemesterId, current.id).await?;
    refuse_if_still_used(live_topics, "research topics still belong to this semester; archive them first")?;
    archive(&state.db, current).await?;
    Ok(no_content())
}
