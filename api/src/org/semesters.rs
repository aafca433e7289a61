//! Semesters (学期) of a district's calendar: dates, the Monday of teaching week 1, and holidays.
//! The calendar logic itself (week numbers, teaching weeks) is in [`crate::org::calendar`].
//!
//! Everyone in the district reads its semesters; only its district administrators change them.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use entities::{research_topic, semester};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Actor, Reach};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::org::calendar::{self, Calendar, Holiday};
use crate::org::districts::load_district;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, ensure_unique, no_content, now, refuse_if_still_used, save_changes, sorted};
use crate::state::State;
use crate::validate::Checks;

pub(crate) const NAME_MAX: usize = 100;
const MAX_DAYS: i64 = 366;
const MAX_HOLIDAYS: usize = 50;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_semesters)
        .service(create_semester)
        .service(get_semester)
        .service(update_semester)
        .service(archive_semester);
}

/// A semester as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "name": "2026年秋季学期", "school_year": "2026-2027",
    "start_date": "2026-09-01", "end_date": "2027-01-22", "week1_start": "2026-08-31",
    "holidays": [{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"}], "teaching_weeks": 21,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct SemesterView {
    pub id: i64,
    pub district_id: i64,
    /// Unique within the district, e.g. 2026年秋季学期.
    pub name: String,
    /// `YYYY-YYYY`, e.g. `2026-2027`.
    pub school_year: String,
    /// First day of the semester.
    pub start_date: NaiveDate,
    /// Last day of the semester.
    pub end_date: NaiveDate,
    /// Monday of teaching week 1; week numbers count calendar weeks from it.
    pub week1_start: NaiveDate,
    /// Holiday ranges (both ends included).
    pub holidays: Vec<Holiday>,
    /// How many teaching weeks the semester has: weeks with at least one school day from Monday
    /// to Friday that is not a holiday.
    pub teaching_weeks: usize,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// The calendar of a stored semester (a 500 if its stored holidays are corrupt).
pub fn calendar_of(m: &semester::Model) -> ApiResult<Calendar> {
    calendar::calendar_of_semester(m)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("semester {} has an unreadable holidays column: {e}", m.id)))
}

/// The semester as the API shows it.
pub fn view(m: semester::Model) -> ApiResult<SemesterView> {
    let calendar = calendar_of(&m)?;
    Ok(SemesterView {
        id: m.id,
        district_id: m.district_id,
        name: m.name,
        school_year: m.school_year,
        start_date: m.start_date,
        end_date: m.end_date,
        week1_start: m.week1_start,
        teaching_weeks: calendar::teaching_weeks(&calendar).len(),
        holidays: calendar.holidays,
        created_at: m.created_at,
        updated_at: m.updated_at,
        archived_at: m.archived_at,
    })
}

/// A new semester.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"district_id": 1, "name": "2026年秋季学期", "school_year": "2026-2027",
    "start_date": "2026-09-01", "end_date": "2027-01-22",
    "holidays": [{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"}]}))]
pub struct NewSemester {
    pub district_id: i64,
    /// Unique within the district.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// `YYYY-YYYY`, two consecutive years.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{4}$")]
    pub school_year: String,
    pub start_date: NaiveDate,
    /// After `start_date`, at most 366 days later.
    pub end_date: NaiveDate,
    /// The Monday on or before `start_date` (the default; no other day is accepted).
    pub week1_start: Option<NaiveDate>,
    /// Holidays within the semester, each `start` ≤ `end` (default none; at most 50).
    #[serde(default)]
    #[schema(max_items = 50)]
    pub holidays: Vec<Holiday>,
}

/// Changes to a semester; absent fields stay as they are. `holidays` replaces the whole list.
/// When `start_date` changes, `week1_start` follows it unless given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2027-01-29"}))]
pub struct SemesterPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{4}$")]
    pub school_year: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub week1_start: Option<NaiveDate>,
    /// At most 50.
    #[schema(max_items = 50)]
    pub holidays: Option<Vec<Holiday>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SemesterFilter {
    pub district_id: Option<i64>,
    /// `YYYY-YYYY`.
    pub school_year: Option<String>,
    /// Semesters whose dates include this day.
    pub contains_date: Option<NaiveDate>,
    /// Include archived semesters (default false).
    pub include_archived: Option<bool>,
    /// `start_date`, `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A semester within the caller's reach (its district), or 404.
pub async fn load_semester(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<semester::Model> {
    semester::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| actor.sees_district(s.district_id))
        .ok_or_else(|| ApiError::not_found("semester"))
}

/// Checks a complete calendar, naming each bad field; returns the cleaned-up holidays.
pub(crate) fn check_calendar(
    checks: &mut Checks,
    school_year: &str,
    start: NaiveDate,
    end: NaiveDate,
    week1_start: NaiveDate,
    holidays: Vec<Holiday>,
) -> Vec<Holiday> {
    checks.ensure(
        calendar::parse_school_year(school_year).is_some(),
        "school_year",
        "must be two consecutive years written YYYY-YYYY",
    );
    if end <= start {
        checks.fail("end_date", "must be after start_date");
    } else if (end - start).num_days() > MAX_DAYS {
        checks.fail("end_date", format!("must be at most {MAX_DAYS} days after start_date"));
    }
    checks.ensure(
        calendar::valid_week1_start(start, week1_start),
        "week1_start",
        "must be the Monday on or before start_date",
    );
    checks.ensure(holidays.len() <= MAX_HOLIDAYS, "holidays", format!("at most {MAX_HOLIDAYS} holidays"));
    holidays
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let name = checks.text(&format!("holidays[{i}].name"), &h.name, NAME_MAX);
            checks.ensure(h.start >= start, format!("holidays[{i}].start"), "must not be before start_date");
            if h.end < h.start {
                checks.fail(format!("holidays[{i}].end"), "must not be before its start");
            } else {
                checks.ensure(h.end <= end, format!("holidays[{i}].end"), "must not be after end_date");
            }
            Holiday { name, start: h.start, end: h.end }
        })
        .collect()
}

pub(crate) fn holidays_json(holidays: &[Holiday]) -> ApiResult<serde_json::Value> {
    serde_json::to_value(holidays).map_err(|e| ApiError::Internal(e.into()))
}

async fn check_unique_name(state: &State, district_id: i64, name: &str, except: Option<i64>) -> ApiResult<()> {
    let query = semester::Entity::find()
        .filter(semester::Column::DistrictId.eq(district_id))
        .filter(semester::Column::Name.eq(name));
    ensure_unique(
        &state.db,
        query,
        semester::Column::Id,
        except,
        "name",
        format!("the district already has a semester named {name}"),
    )
    .await
}

/// List semesters.
#[utoipa::path(tag = "semesters", params(SemesterFilter), responses((status = 200, description = "A page of semesters", body = Page<SemesterView>)))]
#[get("/semesters")]
async fn list_semesters(
    state: State,
    actor: Actor,
    filter: Query<SemesterFilter>,
) -> ApiResult<web::Json<Page<SemesterView>>> {
    use semester::Column as C;
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let mut query = semester::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) | Reach::School { district_id: d, .. } => query = query.filter(C::DistrictId.eq(d)),
    }
    if let Some(d) = filter.district_id {
        query = query.filter(C::DistrictId.eq(d));
    }
    if let Some(year) = filter.school_year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        query = query.filter(C::SchoolYear.eq(year));
    }
    if let Some(day) = filter.contains_date {
        query = query.filter(C::StartDate.lte(day)).filter(C::EndDate.gte(day));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(C::ArchivedAt.is_null());
    }
    let query = sorted(
        query,
        filter.sort.as_deref(),
        &[("start_date", C::StartDate), ("name", C::Name), ("created_at", C::CreatedAt), ("id", C::Id)],
        C::Id,
    )?;
    let page = fetch_page(query, paging, &state.db).await?;
    let items = page.items.into_iter().map(view).collect::<ApiResult<Vec<_>>>()?;
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
async fn create_semester(state: State, actor: Actor, body: Json<NewSemester>) -> ApiResult<HttpResponse> {
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
async fn get_semester(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<SemesterView>> {
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
async fn update_semester(
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
async fn archive_semester(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_semester(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(current.district_id), "archive semesters")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    let live_topics = research_topic::Entity::find()
        .filter(research_topic::Column::SemesterId.eq(current.id))
        .filter(research_topic::Column::ArchivedAt.is_null())
        .count(&state.db)
        .await?;
    refuse_if_still_used(live_topics, "research topics still belong to this semester; archive them first")?;
    archive(&state.db, current).await?;
    Ok(no_content())
}
