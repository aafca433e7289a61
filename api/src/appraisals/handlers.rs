//! The scheme endpoints: list, create, get, change (drafts), archive, simulate, publish, versions.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::{appraisal_scheme, appraisal_version};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::compute::compute;
use super::publish::publish;
use super::queries::{load_scheme, result_counts, schemes_where, semesters_of};
use super::rules::{check_period, validate, DRAFT, PUBLISHED};
use super::views::{
    NewScheme, SchemeFilter, SchemePatch, SchemeView, SimulateQuery, SimulationView, VersionList, VersionView,
};
use crate::auth::Actor;
use crate::clock::today;
use crate::domain::DomainError;
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::org::ownership;
use crate::pagination::{Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;

/// List the schemes the caller sees: their school's and their district's.
#[utoipa::path(tag = "appraisals", params(SchemeFilter), responses((status = 200, description = "A page of schemes, oldest first", body = Page<SchemeView>)))]
#[get("/appraisal-schemes")]
async fn list_appraisal_schemes(
    state: State,
    actor: Actor,
    filter: Query<SchemeFilter>,
) -> ApiResult<web::Json<Page<SchemeView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let mut cond = Condition::all();
    if let Some(s) = f.school_id {
        cond = cond.add(appraisal_scheme::Column::SchoolId.eq(s));
    }
    if let Some(d) = f.district_id {
        cond = cond.add(appraisal_scheme::Column::DistrictId.eq(d)).add(appraisal_scheme::Column::SchoolId.is_null());
    }
    if let Some(s) = f.semester_id {
        cond = cond.add(appraisal_scheme::Column::SemesterId.eq(s));
    }
    if let Some(s) = f.status {
        if s != DRAFT && s != PUBLISHED {
            return Err(DomainError::invalid("status", "must be draft or published").into());
        }
        cond = cond.add(appraisal_scheme::Column::Status.eq(s));
    }
    let rows = schemes_where(&state.db, &actor, cond).await?;
    let total = rows.len() as u64;
    let items =
        rows.into_iter().skip(paging.offset as usize).take(paging.limit as usize).map(SchemeView::from).collect();
    Ok(web::Json(Page::new(items, total, paging)))
}

/// Create a draft scheme. School schemes: the school's administrators (and the district's);
/// district schemes: the district's administrators.
#[utoipa::path(
    tag = "appraisals",
    request_body = NewScheme,
    responses(
        (status = 201, description = "Created, as a draft", body = SchemeView),
        (status = 403, description = "The caller may not manage schemes here", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid scheme, naming the field (`spec.components[0].weight`, `semester_id` ...)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/appraisal-schemes")]
async fn create_appraisal_scheme(state: State, actor: Actor, body: Json<NewScheme>) -> ApiResult<HttpResponse> {
    let b = body.0;
    let (district_id, school_id) = ownership::resolve(&state.db, &actor, b.school_id, b.district_id).await?;
    actor.require(ownership::manages(&actor, district_id, school_id), "manage appraisal schemes here")?;
    validate(Some(&b.name), Some(&b.spec))?;
    check_period(b.semester_id, b.school_year.as_deref())?;
    let school_year = b.school_year.map(|y| y.trim().to_string());
    if semesters_of(&state.db, district_id, b.semester_id, school_year.as_deref()).await?.is_empty() {
        let field = if b.semester_id.is_some() { "semester_id" } else { "school_year" };
        return Err(DomainError::invalid(field, "no such semester in the scheme's district").into());
    }
    let at = now();
    let active = appraisal_scheme::ActiveModel {
        district_id: Set(district_id),
        school_id: Set(school_id),
        semester_id: Set(b.semester_id),
        school_year: Set(school_year),
        name: Set(b.name.trim().to_string()),
        status: Set(DRAFT.into()),
        spec: Set(serde_json::to_value(&b.spec).map_err(anyhow::Error::from)?),
        published_version: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = active.insert(&txn).await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/appraisal-schemes/{}", saved.id), SchemeView::from(saved)))
}

/// Get a scheme.
#[utoipa::path(tag = "appraisals", params(("id" = i64, Path, description = "Scheme id")), responses(
    (status = 200, description = "The scheme", body = SchemeView),
    (status = 404, description = "No such scheme in the caller's reach", body = Problem, content_type = "application/problem+json")))]
#[get("/appraisal-schemes/{id}")]
async fn get_appraisal_scheme(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<SchemeView>> {
    Ok(web::Json(load_scheme(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change a draft scheme's name or scoring. A published scheme's scoring is frozen (409).
#[utoipa::path(
    tag = "appraisals",
    params(("id" = i64, Path, description = "Scheme id")),
    request_body = SchemePatch,
    responses(
        (status = 200, description = "Updated", body = SchemeView),
        (status = 403, description = "The caller may not manage this scheme", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The scheme is published: its scoring no longer changes", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values, naming the field", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/appraisal-schemes/{id}")]
async fn update_appraisal_scheme(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<SchemePatch>,
) -> ApiResult<web::Json<SchemeView>> {
    let current = load_scheme(&state.db, &actor, id.into_inner()).await?;
    actor.require(ownership::manages(&actor, current.district_id, current.school_id), "manage this scheme")?;
    if current.status != DRAFT {
        return Err(DomainError::conflict("status", "the scheme is published; its scoring no longer changes").into());
    }
    let b = body.0;
    validate(b.name.as_deref(), b.spec.as_ref())?;
    let mut active = current.into_active_model();
    if let Some(name) = b.name {
        active.name = Set(name.trim().to_string());
    }
    if let Some(spec) = b.spec {
        active.spec = Set(serde_json::to_value(&spec).map_err(anyhow::Error::from)?);
    }
    active.updated_at = Set(now());
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// Archive a scheme (its published versions stay readable to nobody through it). Idempotent.
#[utoipa::path(tag = "appraisals", params(("id" = i64, Path, description = "Scheme id")), responses(
    (status = 204, description = "Archived"),
    (status = 403, description = "The caller may not manage this scheme", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such scheme in the caller's reach", body = Problem, content_type = "application/problem+json")))]
#[delete("/appraisal-schemes/{id}")]
async fn archive_appraisal_scheme(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_scheme(&state.db, &actor, id.into_inner()).await?;
    actor.require(ownership::manages(&actor, current.district_id, current.school_id), "manage this scheme")?;
    archive(&state.db, current).await?;
    Ok(no_content())
}

/// Compute the scheme's results as of today without storing anything (like the quota
/// simulation): to try a draft before adopting it.
#[utoipa::path(
    tag = "appraisals",
    params(("id" = i64, Path, description = "Scheme id"), SimulateQuery),
    responses(
        (status = 200, description = "The results, each teacher's and group's with its breakdown", body = SimulationView),
        (status = 403, description = "The caller may not manage this scheme", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The scheme's period has not begun", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`school_id` is not a school of the scheme", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/appraisal-schemes/{id}/simulate")]
async fn simulate_appraisal_scheme(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<SimulateQuery>,
) -> ApiResult<web::Json<SimulationView>> {
    let scheme = load_scheme(&state.db, &actor, id.into_inner()).await?;
    let school_id = query.0.school_id;
    let school = school_id.or(scheme.school_id);
    let allowed = match school {
        Some(s) => {
            actor.administers_school(scheme.district_id, s)
                && ownership::usable_by(scheme.district_id, scheme.school_id, scheme.district_id, s)
        }
        None => actor.administers_district(scheme.district_id),
    };
    if school_id.is_some_and(|s| scheme.school_id.is_some_and(|own| own != s)) {
        return Err(DomainError::invalid("school_id", "is not a school of the scheme").into());
    }
    actor.require(allowed, "simulate this scheme")?;
    let computed = compute(&state, &scheme, school, today()).await?;
    if school_id.is_some() && computed.teachers.is_empty() && computed.groups.is_empty() {
        return Err(DomainError::invalid("school_id", "is not a school of the scheme").into());
    }
    Ok(web::Json(SimulationView {
        scheme_id: scheme.id,
        as_of: computed.as_of,
        teachers: computed.teachers,
        groups: computed.groups,
    }))
}

/// Publish the scheme's results as of today as a new version, frozen: every teacher's and
/// group's score, rank and breakdown are stored as computed now, in one transaction, and later
/// changes of the records never change them (publishing again makes the next version; old
/// versions stay readable). The scheme's scoring is frozen from the first publication.
#[utoipa::path(
    tag = "appraisals",
    params(("id" = i64, Path, description = "Scheme id")),
    responses(
        (status = 201, description = "The new version", body = VersionView),
        (status = 403, description = "The caller may not manage this scheme", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The scheme's period has not begun, or another publication of it came first", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/appraisal-schemes/{id}/publish")]
async fn publish_appraisal_scheme(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let scheme = load_scheme(&state.db, &actor, id.into_inner()).await?;
    actor.require(ownership::manages(&actor, scheme.district_id, scheme.school_id), "publish this scheme")?;
    let view = publish(&state, scheme, Some(actor.user_id), today()).await?;
    Ok(created(format!("/api/v1/appraisal-schemes/{}/versions/{}", view.scheme_id, view.version), view))
}

/// The published versions of a scheme, oldest first.
#[utoipa::path(tag = "appraisals", params(("id" = i64, Path, description = "Scheme id")), responses(
    (status = 200, description = "Every published version", body = VersionList),
    (status = 404, description = "No such scheme in the caller's reach", body = Problem, content_type = "application/problem+json")))]
#[get("/appraisal-schemes/{id}/versions")]
async fn list_appraisal_versions(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<VersionList>> {
    let scheme = load_scheme(state.reads(), &actor, id.into_inner()).await?;
    let counts = result_counts(state.reads(), scheme.id).await?;
    let versions = appraisal_version::Entity::find()
        .filter(appraisal_version::Column::SchemeId.eq(scheme.id))
        .all(state.reads())
        .await?;
    let count = |v: i64, t: &str| counts.get(&(v, t.to_string())).copied().unwrap_or(0);
    let mut views: Vec<VersionView> = versions
        .into_iter()
        .map(|v| {
            let id = v.id;
            VersionView::new(v, count(id, "teacher"), count(id, "group"))
        })
        .collect();
    views.sort_by_key(|v| v.version);
    Ok(web::Json(VersionList { items: views }))
}
