//! `GET /reports/schools/{id}/summary` and `GET /reports/districts/{id}/summary`.

use actix_web::{get, web, HttpResponse};

use super::views::SummaryQuery;
use super::{build, live_schools, Scope};
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::org::districts::load_district;
use crate::org::schools::load_school;
use crate::quota::reports::common::window;
use crate::quota::reports::table::{respond, Bilingual, Output, Report};
use crate::state::State;

/// A school's semester summary (JSON, CSV or XLSX).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "School id"), SummaryQuery),
    responses(
        (status = 200, description = "The school's summary", content(
            (crate::quota::reports::table::ReportView = "application/json"),
            (inline(crate::quota::reports::table::BinaryFile) = "text/csv"),
            (inline(crate::quota::reports::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The caller sees the school but does not administer it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such school, or not within the caller's reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown semester (or none containing `as_of`), format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/schools/{id}/summary")]
pub async fn school_summary(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<SummaryQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.0;
    let school = load_school(state.reads(), &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(school.district_id, school.id), "read this school's summary")?;
    let (window, semester) = window(state.reads(), school.district_id, query.semester_id, query.as_of).await?;
    let scope = Scope {
        district_id: school.district_id,
        schools: vec![(school.id, school.name.clone())],
        district_groups: false,
    };
    let mut report = Report::new(
        Bilingual::new(format!("School summary: {}", school.name), format!("{}教研工作汇总", school.name)),
        format!("school-{}-summary", school.id),
    )
    .meta("school_id", school.id)
    .meta("semester_id", window.semester_id)
    .meta("as_of", window.as_of);
    report.tables = build(&state, &scope, window, &semester, true).await?;
    respond(&report, &Output::new(query.format, query.lang, query.table))
}

/// A district's semester summary over its live schools (JSON, CSV or XLSX).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "District id"), SummaryQuery),
    responses(
        (status = 200, description = "The district's summary", content(
            (crate::quota::reports::table::ReportView = "application/json"),
            (inline(crate::quota::reports::table::BinaryFile) = "text/csv"),
            (inline(crate::quota::reports::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The caller sees the district but is not its administrator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such district, or not within the caller's reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown semester (or none containing `as_of`), format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/districts/{id}/summary")]
pub async fn district_summary(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<SummaryQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.0;
    let district = load_district(state.reads(), &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(district.id), "read the district's summary")?;
    let (window, semester) = window(state.reads(), district.id, query.semester_id, query.as_of).await?;
    let schools = live_schools(state.reads(), district.id).await?;
    let scope = Scope { district_id: district.id, schools, district_groups: true };
    let mut report = Report::new(
        Bilingual::new(format!("District summary: {}", district.name), format!("{}教研工作汇总", district.name)),
        format!("district-{}-summary", district.id),
    )
    .meta("district_id", district.id)
    .meta("semester_id", window.semester_id)
    .meta("as_of", window.as_of);
    report.tables = build(&state, &scope, window, &semester, false).await?;
    respond(&report, &Output::new(query.format, query.lang, query.table))
}
