//! The published results: a teacher's appraisal, a school's ranking, a group's appraisal, and
//! their export. Teachers read their own; a school's administrators their school's; the
//! district's administrators every school's. Another school's result answers 404.

use actix_web::{get, web, HttpResponse};
use entities::{appraisal_result, appraisal_scheme, appraisal_version, group_membership, school};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::queries::{load_scheme, results_where, version_of};
use super::rules::export_tables;
use super::views::{AppraisalView, ExportQuery, RankedView, ResultView, SchoolAppraisalView, VersionQuery};
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::quota::reports::table::{respond, Bilingual, Output, Report};
use crate::state::State;

fn views(rows: Vec<appraisal_result::Model>) -> DomainResult<Vec<ResultView>> {
    rows.into_iter()
        .map(|r| ResultView::from_row(r).map_err(|e| DomainError::Internal(anyhow::anyhow!("stored breakdown: {e}"))))
        .collect()
}

fn subject(kind: &str, id: i64) -> Condition {
    Condition::all().add(appraisal_result::Column::SubjectType.eq(kind)).add(appraisal_result::Column::SubjectId.eq(id))
}

/// 404 unless the caller sees the school; 403 unless they administer it.
fn require_school_office(actor: &Actor, scheme: &appraisal_scheme::Model, school_id: i64) -> DomainResult<()> {
    if !actor.sees_school(scheme.district_id, school_id) {
        return Err(DomainError::not_found("school"));
    }
    actor.require(actor.administers_school(scheme.district_id, school_id), "see a whole school's appraisal")
}

/// The scheme and version a read is about.
async fn version_for(
    state: &State,
    actor: &Actor,
    id: i64,
    version: Option<i32>,
) -> DomainResult<(appraisal_scheme::Model, appraisal_version::Model)> {
    let scheme = load_scheme(state.reads(), actor, id).await?;
    let version = version_of(state.reads(), &scheme, version).await?;
    Ok((scheme, version))
}

/// A teacher's appraisal in a published version: the score with a breakdown that says where each
/// point came from (its lines add up exactly to the score). The teacher and their school's (or
/// district's) administrators read it.
#[utoipa::path(
    tag = "appraisals",
    params(("id" = i64, Path, description = "Scheme id"), ("teacher_id" = i64, Path, description = "Teacher id"), VersionQuery),
    responses(
        (status = 200, description = "The teacher's appraisal", body = AppraisalView),
        (status = 404, description = "No such scheme, version or teacher's result in the caller's reach", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/appraisal-schemes/{id}/teachers/{teacher_id}")]
async fn get_teacher_appraisal(
    state: State,
    actor: Actor,
    path: web::Path<(i64, i64)>,
    query: Query<VersionQuery>,
) -> ApiResult<web::Json<AppraisalView>> {
    let (id, teacher_id) = path.into_inner();
    let (scheme, version) = version_for(&state, &actor, id, query.0.version).await?;
    let row = results_where(state.reads(), version.id, subject("teacher", teacher_id)).await?.into_iter().next();
    let allowed = |r: &appraisal_result::Model| {
        actor.teacher_id == Some(teacher_id)
            || r.school_id.is_some_and(|s| actor.administers_school(scheme.district_id, s))
    };
    let row = row.filter(allowed).ok_or_else(|| DomainError::not_found("appraisal of this teacher"))?;
    let result = views(vec![row])?.remove(0);
    Ok(web::Json(AppraisalView {
        scheme_id: scheme.id,
        version: version.version,
        as_of: version.as_of,
        result,
        members: vec![],
    }))
}

/// A school's appraisal in a published version: its teachers and groups ranked (equal scores
/// share a rank: 1, 1, 3). The school's and the district's administrators read it.
#[utoipa::path(
    tag = "appraisals",
    params(("id" = i64, Path, description = "Scheme id"), ("school_id" = i64, Path, description = "School id"), VersionQuery),
    responses(
        (status = 200, description = "The school's ranking", body = SchoolAppraisalView),
        (status = 403, description = "The caller sees the school but does not administer it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such scheme, version or school in the caller's reach", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/appraisal-schemes/{id}/schools/{school_id}")]
async fn get_school_appraisal(
    state: State,
    actor: Actor,
    path: web::Path<(i64, i64)>,
    query: Query<VersionQuery>,
) -> ApiResult<web::Json<SchoolAppraisalView>> {
    let (id, school_id) = path.into_inner();
    let (scheme, version) = version_for(&state, &actor, id, query.0.version).await?;
    require_school_office(&actor, &scheme, school_id)?;
    let rows =
        results_where(state.reads(), version.id, appraisal_result::Column::SchoolId.eq(school_id).into()).await?;
    let (teachers, groups): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.subject_type == "teacher");
    let ranked =
        |rows: Vec<appraisal_result::Model>| -> Vec<RankedView> { rows.iter().map(RankedView::from).collect() };
    Ok(web::Json(SchoolAppraisalView {
        scheme_id: scheme.id,
        version: version.version,
        school_id,
        as_of: version.as_of,
        teachers: ranked(teachers),
        groups: ranked(groups),
    }))
}

/// A group's appraisal in a published version (先进教研组评比): its score from its members' mean
/// and its own group rules, with the breakdown, and its members ranked. The school's and the
/// district's administrators read it.
#[utoipa::path(
    tag = "appraisals",
    params(("id" = i64, Path, description = "Scheme id"), ("group_id" = i64, Path, description = "Group id"), VersionQuery),
    responses(
        (status = 200, description = "The group's appraisal", body = AppraisalView),
        (status = 403, description = "The caller sees the group's school but does not administer it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such scheme, version or group result in the caller's reach", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/appraisal-schemes/{id}/groups/{group_id}")]
async fn get_group_appraisal(
    state: State,
    actor: Actor,
    path: web::Path<(i64, i64)>,
    query: Query<VersionQuery>,
) -> ApiResult<web::Json<AppraisalView>> {
    let (id, group_id) = path.into_inner();
    let (scheme, version) = version_for(&state, &actor, id, query.0.version).await?;
    let row = results_where(state.reads(), version.id, subject("group", group_id)).await?.into_iter().next();
    let row = row.ok_or_else(|| DomainError::not_found("appraisal of this group"))?;
    require_school_office(&actor, &scheme, row.school_id.unwrap_or(-1)).map_err(|e| match e {
        DomainError::NotFound(_) => DomainError::not_found("appraisal of this group"),
        other => other,
    })?;
    let members = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::TeacherId)
        .filter(group_membership::Column::GroupId.eq(group_id))
        .filter(crate::groups::access::live_membership(version.as_of))
        .filter(group_membership::Column::Since.lte(version.as_of))
        .into_query();
    let cond = Condition::all()
        .add(appraisal_result::Column::SubjectType.eq("teacher"))
        .add(appraisal_result::Column::SubjectId.in_subquery(members));
    let members = results_where(state.reads(), version.id, cond).await?;
    let result = views(vec![row])?.remove(0);
    Ok(web::Json(AppraisalView {
        scheme_id: scheme.id,
        version: version.version,
        as_of: version.as_of,
        result,
        members: members.iter().map(RankedView::from).collect(),
    }))
}

/// A published version as CSV or XLSX (or JSON), with Chinese headers by `lang=zh`: the teachers
/// ranked (`teachers`), the groups ranked (`groups`) and every line of every breakdown (`lines`).
/// A school's administrators export their school; the district's administrators any school or,
/// without `school_id`, the whole district.
#[utoipa::path(
    tag = "appraisals",
    params(("id" = i64, Path, description = "Scheme id"), ExportQuery),
    responses(
        (status = 200, description = "The export", content(
            (crate::quota::reports::table::ReportView = "application/json"),
            (inline(crate::quota::reports::table::BinaryFile) = "text/csv"),
            (inline(crate::quota::reports::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The caller sees the school but does not administer it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such scheme, version or school in the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid parameters (format, lang, table; school_id required), naming the field", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/appraisal-schemes/{id}/export")]
async fn export_appraisal(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.0;
    let output = Output::new(q.format, q.lang, q.table);
    let (scheme, version) = version_for(&state, &actor, id.into_inner(), q.version).await?;
    let cond = match q.school_id {
        Some(s) => {
            require_school_office(&actor, &scheme, s)?;
            appraisal_result::Column::SchoolId.eq(s).into()
        }
        None if actor.administers_district(scheme.district_id) => Condition::all(),
        None => return Err(DomainError::invalid("school_id", "is required unless you administer the district").into()),
    };
    let rows = views(results_where(state.reads(), version.id, cond).await?)?;
    let school_ids: Vec<i64> = rows.iter().filter_map(|r| r.school_id).collect();
    let names: std::collections::HashMap<i64, String> = school::Entity::find()
        .filter(school::Column::Id.is_in(school_ids))
        .all(state.reads())
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let school_name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_default();
    let (teachers, groups): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.subject_type == "teacher");
    let mut report = Report::new(
        Bilingual::new(
            format!("Appraisal: {} v{}", scheme.name, version.version),
            format!("{}（第{}版）", scheme.name, version.version),
        ),
        format!("appraisal-{}-v{}", scheme.id, version.version),
    )
    .meta("scheme_id", scheme.id)
    .meta("version", i64::from(version.version))
    .meta("as_of", version.as_of);
    report.tables = export_tables(&teachers, &groups, &school_name);
    respond(&report, &output)
}
