//! `GET /reports/teacher-statistics`.

use actix_web::{get, HttpResponse};

use super::queries::live_schools;
use super::rules::tables;
use super::views::TeacherStatisticsQuery;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::org::districts::load_district;
use crate::org::schools::statistics::{figures_per_school, parse_cutoffs};
use crate::org::zones::load_zone;
use crate::quota::reports::table::{respond, Bilingual, Output, Report};
use crate::state::State;

/// Teacher statistics of a zone or a district, in total and per school (JSON, CSV or XLSX).
#[utoipa::path(
    tag = "reports",
    params(TeacherStatisticsQuery),
    responses(
        (status = 200, description = "The teacher statistics", content(
            (crate::quota::reports::table::ReportView = "application/json"),
            (inline(crate::quota::reports::table::BinaryFile) = "text/csv"),
            (inline(crate::quota::reports::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The caller sees the zone or district but is not a district administrator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such zone or district within the caller's reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of zone_id and district_id; bad age cut-offs, format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/teacher-statistics")]
pub async fn teacher_statistics(
    state: State,
    actor: Actor,
    query: Query<TeacherStatisticsQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.0;
    let db = state.reads();
    let (district_id, zone_id, scope_name, file_stem) = match (query.zone_id, query.district_id) {
        (Some(zone_id), None) => {
            let zone = load_zone(db, &actor, zone_id).await?;
            (zone.district_id, Some(zone.id), zone.name, format!("zone-{}-teacher-statistics", zone.id))
        }
        (None, Some(district_id)) => {
            let district = load_district(db, &actor, district_id).await?;
            (district.id, None, district.name, format!("district-{}-teacher-statistics", district.id))
        }
        (Some(_), Some(_)) => return Err(ApiError::invalid("zone_id", "give zone_id or district_id, not both")),
        (None, None) => return Err(ApiError::invalid("district_id", "give zone_id or district_id")),
    };
    actor.require(actor.administers_district(district_id), "read teacher statistics across schools")?;
    let cutoffs = parse_cutoffs(query.age_cutoffs.as_deref())?;
    let as_of = query.as_of.unwrap_or_else(crate::clock::today);
    let schools = live_schools(db, district_id, zone_id).await?;
    let ids: Vec<i64> = schools.iter().map(|(id, _)| *id).collect();
    let per_school = figures_per_school(db, &ids, &cutoffs, as_of).await?;
    let mut report = Report::new(
        Bilingual::new(format!("Teacher statistics: {scope_name}"), format!("{scope_name}教师队伍情况")),
        file_stem,
    );
    report = match zone_id {
        Some(zone_id) => report.meta("zone_id", zone_id),
        None => report.meta("district_id", district_id),
    };
    report = report.meta("as_of", as_of).meta("age_cutoffs", &cutoffs);
    report.tables = tables(&scope_name, &schools, &per_school, &cutoffs);
    respond(&report, &Output::new(query.format, query.lang, query.table))
}
