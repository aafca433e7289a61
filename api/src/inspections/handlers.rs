//! The inspection endpoints: thin handlers over [`super::rules`] and [`super::queries`].

use std::collections::{HashMap, HashSet};

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use chrono::NaiveDate;
use entities::enums::InspectionKind;
use entities::{inspection, inspection_grade, inspection_subject};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
};

use super::form::build_form;
use super::matching::inspections_matching;
use super::queries::{covered_schools, load_inspection, load_template, resolve_subjects, subject_count};
use super::rules::{
    check_grade, check_period, default_items, default_period, items_of, may_inspect, row_scope, ChecklistItem, NAME_MAX,
};
use super::views::{FormView, GradesBody, InspectionFilter, InspectionPatch, InspectionView, NewInspection};
use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::org::schools::load_school;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

const TEACHERS_MAX: usize = 500;
const GROUPS_MAX: usize = 100;
const ENTRIES_MAX: usize = 2000;
const COMMENT_MAX: usize = 2000;

fn default_title(kind: InspectionKind, on: NaiveDate) -> String {
    let what = match kind {
        InspectionKind::Monthly => "月查",
        InspectionKind::MidTerm => "期中检查",
        InspectionKind::EndOfTerm => "期末检查",
        InspectionKind::Random => "随机检查",
    };
    format!("{} 教学常规{what}", on.format("%Y-%m"))
}

/// The owner of a new inspection or template: a school the caller sees, or a district.
pub(super) async fn owner(
    state: &State,
    actor: &Actor,
    school_id: Option<i64>,
    district_id: Option<i64>,
) -> ApiResult<(i64, Option<i64>)> {
    match school_id {
        Some(id) => {
            let school = load_school(&state.db, actor, id)
                .await
                .map_err(|_| ApiError::invalid("school_id", "no such school"))?;
            Ok((school.district_id, Some(school.id)))
        }
        None => {
            let district = district_id
                .or(actor.district_id)
                .ok_or_else(|| ApiError::invalid("district_id", "required for an installation-wide administrator"))?;
            if !actor.sees_district(district) {
                return Err(ApiError::invalid("district_id", "no such district"));
            }
            Ok((district, None))
        }
    }
}

/// The checklist of a new inspection: the template's (one its owner may use) or the built-in one.
async fn checklist(
    state: &State,
    actor: &Actor,
    checks: &mut Checks,
    template_id: Option<i64>,
    owner: (i64, Option<i64>),
) -> DomainResult<Vec<ChecklistItem>> {
    let Some(id) = template_id else { return Ok(default_items()) };
    let usable = load_template(&state.db, actor, id).await.ok().filter(|t| {
        t.archived_at.is_none() && t.district_id == owner.0 && (t.school_id.is_none() || t.school_id == owner.1)
    });
    match usable {
        Some(t) => Ok(items_of(&t.items)),
        None => {
            checks.fail("template_id", "no such template for this inspection's owner");
            Ok(vec![])
        }
    }
}

/// Counts of the inspected teachers whose rows the caller sees, for a page of inspections.
async fn teacher_counts(db: &impl ConnectionTrait, actor: &Actor, ids: &[i64]) -> DomainResult<HashMap<i64, u64>> {
    use inspection_subject::Column as S;
    let mut query = inspection_subject::Entity::find()
        .select_only()
        .column(S::InspectionId)
        .column_as(S::Id.count(), "n")
        .filter(S::InspectionId.is_in(ids.iter().copied()))
        .group_by(S::InspectionId);
    match row_scope(actor, actor.district_id.unwrap_or(-1)) {
        super::rules::RowScope::School(s) if !actor.is_district_admin() => query = query.filter(S::SchoolId.eq(s)),
        super::rules::RowScope::Teacher(t) if !actor.is_district_admin() => query = query.filter(S::TeacherId.eq(t)),
        _ => {}
    }
    let rows: Vec<(i64, i64)> = query.into_tuple().all(db).await?;
    Ok(rows.into_iter().map(|(id, n)| (id, u64::try_from(n).unwrap_or(0))).collect())
}

/// List the inspections the caller sees: the school's, and the district's that inspect the
/// school's teachers.
#[utoipa::path(tag = "inspections", params(InspectionFilter), responses((status = 200, description = "A page of inspections", body = Page<InspectionView>)))]
#[get("/inspections")]
pub async fn list_inspections(
    state: State,
    actor: Actor,
    filter: Query<InspectionFilter>,
) -> ApiResult<web::Json<Page<InspectionView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = inspections_matching(&actor, &f)?;
    let page = fetch_page(query, paging, state.reads()).await?;
    let ids: Vec<i64> = page.items.iter().map(|i| i.id).collect();
    let counts = teacher_counts(state.reads(), &actor, &ids).await?;
    Ok(web::Json(page.map(|i| {
        let n = counts.get(&i.id).copied().unwrap_or(0);
        InspectionView::new(i, n)
    })))
}

/// Make an inspection (the school's administrators; the district's for a district inspection):
/// its checklist is copied from the template (default the built-in one) and its teachers are
/// those named and the members of the groups named.
#[utoipa::path(tag = "inspections", request_body = NewInspection, responses((status = 201, description = "Created", body = InspectionView)))]
#[post("/inspections")]
pub async fn create_inspection(state: State, actor: Actor, body: Json<NewInspection>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let (district_id, school_id) = owner(&state, &actor, body.school_id, body.district_id).await?;
    actor.require(may_inspect(&actor, district_id, school_id), "make inspections of these schools")?;
    let mut checks = Checks::new();
    let title = match &body.title {
        Some(t) => checks.text("title", t, NAME_MAX),
        None => default_title(body.kind, body.inspected_on),
    };
    let (first, last) = default_period(body.inspected_on);
    let (start, end) = (body.period_start.unwrap_or(first), body.period_end.unwrap_or(last));
    check_period(&mut checks, start, end);
    checks.ensure(body.inspected_on >= start, "inspected_on", "must not be before period_start");
    checks.ensure(
        !(body.teacher_ids.is_empty() && body.group_ids.is_empty()),
        "teacher_ids",
        "name at least one teacher or group",
    );
    checks.ensure(body.teacher_ids.len() <= TEACHERS_MAX, "teacher_ids", "at most 500 teachers");
    checks.ensure(body.group_ids.len() <= GROUPS_MAX, "group_ids", "at most 100 groups");
    let items = checklist(&state, &actor, &mut checks, body.template_id, (district_id, school_id)).await?;
    let schools = covered_schools(&state.db, district_id, school_id).await?;
    let (subjects, errors) =
        resolve_subjects(&state.db, &schools, &body.teacher_ids, &body.group_ids, body.inspected_on).await?;
    for e in errors {
        checks.fail(e.field, e.message);
    }
    checks.finish()?;
    if subjects.is_empty() {
        return Err(ApiError::invalid("group_ids", "the groups named have no live members"));
    }
    let at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = inspection::ActiveModel {
        district_id: Set(district_id),
        school_id: Set(school_id),
        kind: Set(body.kind),
        title: Set(title),
        inspected_on: Set(body.inspected_on),
        period_start: Set(start),
        period_end: Set(end),
        template_id: Set(body.template_id),
        items: Set(serde_json::to_value(&items).unwrap_or_default()),
        created_by_user_id: Set(Some(actor.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rows = subjects.iter().map(|(teacher, school, group)| inspection_subject::ActiveModel {
        inspection_id: Set(saved.id),
        teacher_id: Set(*teacher),
        school_id: Set(*school),
        group_id: Set(*group),
        ..Default::default()
    });
    inspection_subject::Entity::insert_many(rows).exec(&txn).await?;
    txn.commit().await?;
    let count = u64::try_from(subjects.len()).unwrap_or(0);
    Ok(created(format!("/api/v1/inspections/{}", saved.id), InspectionView::new(saved, count)))
}

/// Get an inspection.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Inspection id")), responses((status = 200, description = "The inspection", body = InspectionView)))]
#[get("/inspections/{id}")]
pub async fn get_inspection(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<InspectionView>> {
    let found = load_inspection(state.reads(), &actor, id.into_inner()).await?;
    let count = subject_count(state.reads(), found.id, row_scope(&actor, found.district_id)).await?;
    Ok(web::Json(InspectionView::new(found, count)))
}

/// Change an inspection's kind, title, date or period (its inspectors).
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Inspection id")), request_body = InspectionPatch,
    responses((status = 200, description = "Updated", body = InspectionView)))]
#[patch("/inspections/{id}")]
pub async fn update_inspection(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<InspectionPatch>,
) -> ApiResult<web::Json<InspectionView>> {
    let body = body.0;
    let current = load_inspection(&state.db, &actor, id.into_inner()).await?;
    actor.require(may_inspect(&actor, current.district_id, current.school_id), "change this inspection")?;
    let mut checks = Checks::new();
    let title = body.title.map(|t| checks.text("title", &t, NAME_MAX));
    let inspected_on = body.inspected_on.unwrap_or(current.inspected_on);
    let (start, end) =
        (body.period_start.unwrap_or(current.period_start), body.period_end.unwrap_or(current.period_end));
    check_period(&mut checks, start, end);
    checks.ensure(inspected_on >= start, "inspected_on", "must not be before period_start");
    checks.finish()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = current.into_active_model();
    if let Some(kind) = body.kind {
        active.kind = Set(kind);
    }
    if let Some(title) = title {
        active.title = Set(title);
    }
    active.inspected_on = Set(inspected_on);
    active.period_start = Set(start);
    active.period_end = Set(end);
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    let count = subject_count(&state.db, saved.id, row_scope(&actor, saved.district_id)).await?;
    Ok(web::Json(InspectionView::new(saved, count)))
}

/// Archive an inspection (its inspectors). Idempotent.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Inspection id")), responses((status = 204, description = "Archived")))]
#[delete("/inspections/{id}")]
pub async fn archive_inspection(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_inspection(&state.db, &actor, id.into_inner()).await?;
    actor.require(may_inspect(&actor, current.district_id, current.school_id), "archive this inspection")?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}

/// The form: per teacher and item, the grade so far and, for items Jiaoyan counts, what the
/// records show in the period (count and list), so that the inspector checks rather than counts.
/// A teacher sees only their own row.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Inspection id")), responses((status = 200, description = "The form", body = FormView)))]
#[get("/inspections/{id}/form")]
pub async fn inspection_form(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<FormView>> {
    let found = load_inspection(state.reads(), &actor, id.into_inner()).await?;
    let rows = row_scope(&actor, found.district_id);
    Ok(web::Json(build_form(state.reads(), &found, rows).await?))
}

/// Record grades (the inspectors): each entry replaces that teacher's grade for that item; all
/// entries are written in one transaction, or none when one is invalid. Answers the form.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Inspection id")), request_body = GradesBody,
    responses((status = 200, description = "The form with the grades", body = FormView)))]
#[put("/inspections/{id}/grades")]
pub async fn put_grades(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<GradesBody>,
) -> ApiResult<web::Json<FormView>> {
    let entries = body.0.entries;
    let found = load_inspection(&state.db, &actor, id.into_inner()).await?;
    actor.require(may_inspect(&actor, found.district_id, found.school_id), "grade this inspection")?;
    let items = items_of(&found.items);
    let inspected: HashSet<i64> = inspection_subject::Entity::find()
        .select_only()
        .column(inspection_subject::Column::TeacherId)
        .filter(inspection_subject::Column::InspectionId.eq(found.id))
        .into_tuple::<i64>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let mut checks = Checks::new();
    checks.ensure(!entries.is_empty() && entries.len() <= ENTRIES_MAX, "entries", "1–2000 entries");
    let mut seen = HashSet::new();
    let at = now();
    let mut rows = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let field = format!("entries[{i}]");
        checks.ensure(inspected.contains(&e.teacher_id), format!("{field}.teacher_id"), "not inspected here");
        let item = items.iter().find(|it| it.key == e.item_key);
        match item {
            Some(item) => check_grade(&mut checks, &field, item, e.grade, e.points),
            None => checks.fail(format!("{field}.item_key"), "no such item in the checklist"),
        }
        checks.ensure(seen.insert((e.teacher_id, e.item_key.clone())), field.clone(), "this teacher and item twice");
        let comment = checks.optional_text(&format!("{field}.comment"), e.comment.as_deref(), COMMENT_MAX);
        rows.push(inspection_grade::ActiveModel {
            inspection_id: Set(found.id),
            teacher_id: Set(e.teacher_id),
            item_key: Set(e.item_key.clone()),
            grade: Set(e.grade),
            points: Set(e.points),
            comment: Set(comment),
            graded_by_user_id: Set(Some(actor.user_id)),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    checks.finish()?;
    use inspection_grade::Column as G;
    let txn = crate::db::begin_write(&state.db).await?;
    inspection_grade::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([G::InspectionId, G::TeacherId, G::ItemKey])
                .update_columns([G::Grade, G::Points, G::Comment, G::GradedByUserId, G::UpdatedAt])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(web::Json(build_form(&state.db, &found, row_scope(&actor, found.district_id)).await?))
}
