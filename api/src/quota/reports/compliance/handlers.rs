//! `GET /reports/compliance`.

use actix_web::{get, HttpResponse};

use super::queries::school_names;
use super::rules::tables;
use super::views::ComplianceQuery;
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::quota::checks::audience::Selection;
use crate::quota::checks::service::{check, Request};
use crate::quota::reports::table::{respond, Bilingual, Output, Report};
use crate::quota::rules::SubjectType;
use crate::state::State;

/// Compliance per teacher for a school, a zone or the caller's whole reach: each teacher's
/// actual/required and status for every rule that measures them (the same results as
/// `GET /quota-checks`), and the rules with their counts per status.
#[utoipa::path(
    tag = "reports",
    params(ComplianceQuery),
    responses(
        (status = 200, description = "The compliance report", content(
            (crate::quota::reports::table::ReportView = "application/json"),
            (inline(crate::quota::reports::table::BinaryFile) = "text/csv"),
            (inline(crate::quota::reports::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The caller sees the school or zone but does not administer it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such semester, school or zone in the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid parameters (format, lang, table ..., no semester containing `as_of`), naming the field", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/compliance")]
pub(super) async fn compliance_report(
    state: State,
    actor: Actor,
    query: Query<ComplianceQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.0;
    let output = Output::new(q.format, q.lang, q.table);
    let request = Request {
        semester_id: q.semester_id,
        as_of: q.as_of.unwrap_or_else(today),
        selection: Selection { school_id: q.school_id, zone_id: q.zone_id, ..Default::default() },
        subject_type: Some(SubjectType::Teacher),
        drafts: vec![],
        include_saved: true,
    };
    let outcome = check(&state, &actor, &request).await?;
    let items = outcome.kept.briefs(&outcome.filter(Some(SubjectType::Teacher), None, None));
    let school_ids: Vec<i64> = items.iter().filter_map(|i| i.subject.school_id).collect();
    let school_names = school_names(state.reads(), school_ids).await?;
    let mut report = Report::new(
        Bilingual::new(
            format!("Compliance: {}", outcome.semester.name),
            format!("{}教研常规考核情况", outcome.semester.name),
        ),
        format!("compliance-{}", outcome.semester.id),
    )
    .meta("semester_id", outcome.semester.id)
    .meta("as_of", request.as_of);
    report.tables = tables(&items, &school_names, output.lang);
    respond(&report, &output)
}
