//! `GET /reports/groups/{id}`.

use actix_web::{get, web, HttpResponse};

use super::queries::{build, rule_results};
use super::views::GroupReportQuery;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::groups::access::load_group;
use crate::quota::reports::common::window;
use crate::quota::reports::table::{respond, Output};
use crate::state::State;

/// A group's semester report: activities by type and modality, each activity with its attendance,
/// the attendance rate, research topics and open-lesson reviews (JSON, CSV or XLSX).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Group id"), GroupReportQuery),
    responses(
        (status = 200, description = "The group report", content(
            (crate::quota::reports::table::ReportView = "application/json"),
            (inline(crate::quota::reports::table::BinaryFile) = "text/csv"),
            (inline(crate::quota::reports::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, description = "No such group, or not within the caller's reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown semester (or none containing `as_of`), format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/groups/{id}")]
pub async fn group_report(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<GroupReportQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.0;
    let group = load_group(state.reads(), &actor, id.into_inner()).await?;
    let (window, _) = window(state.reads(), group.district_id, query.semester_id, query.as_of).await?;
    let mut report = build(state.reads(), &group, window).await?;
    let output = Output::new(query.format, query.lang, query.table);
    report.tables.insert(1, rule_results(&state, &group, window, output.lang).await?);
    respond(&report, &output)
}
