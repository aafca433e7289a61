//! Dated tasks that records answer ("3月25日前上交...", seeds 002/003): a school's academic office,
//! a group's leader or the district office asks for records by a day; records handed in after it
//! are flagged late ("过时不候": flagged, never hidden). See [`access`] for who sets, sees and is
//! asked by a task.

pub mod access;
mod submissions;
pub mod views;

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use entities::{district, record, record_task, school, semester};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use utoipa_actix_web::service_config::ServiceConfig;

use self::access::{asked_of_teacher, load_task, require_sets, visible_tasks};
use self::views::{NewRecordTask, RecordTaskFilter, RecordTaskPatch, RecordTaskView};
use super::queries::refresh_lateness;
use super::rules::MAX_TITLE_CHARS;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, require_manages_contents};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, no_content, now, sorted};
use crate::state::State;
use crate::validate::Checks;

const MAX_DESCRIPTION_CHARS: usize = 5000;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_record_tasks)
        .service(create_record_task)
        .service(get_record_task)
        .service(update_record_task)
        .service(archive_record_task)
        .service(submissions::task_submissions);
}

/// Where a new task belongs: its district, school and group.
struct Owner {
    district_id: i64,
    school_id: Option<i64>,
    group_id: Option<i64>,
}

/// The owner named by a new task, if the caller sees it (422 "no such ..." otherwise) and may
/// set tasks for it (403 otherwise).
async fn owner_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    body: &NewRecordTask,
    checks: &mut Checks,
) -> DomainResult<Owner> {
    let what = "set tasks for this school, group or district";
    let owner = match (body.group_id, body.school_id) {
        (Some(group_id), school_id) => {
            let group = match load_group(db, actor, group_id).await {
                Ok(g) if g.archived_at.is_none() => g,
                Ok(_) | Err(DomainError::NotFound(_)) => return Err(DomainError::invalid("group_id", "no such group")),
                Err(e) => return Err(e),
            };
            require_manages_contents(db, actor, &group).await.map_err(|e| match e {
                DomainError::Forbidden(_) => {
                    DomainError::forbidden(format!("your role ({}) may not {what}", actor.role.code()))
                }
                other => other,
            })?;
            if school_id.is_some_and(|s| group.school_id != Some(s)) {
                checks.fail("school_id", "must be the group's school (or left out)");
            }
            Owner { district_id: group.district_id, school_id: group.school_id, group_id: Some(group.id) }
        }
        (None, Some(school_id)) => {
            let found = school::Entity::find_by_id(school_id)
                .one(db)
                .await?
                .filter(|s| s.archived_at.is_none() && actor.sees_school(s.district_id, s.id))
                .ok_or_else(|| DomainError::invalid("school_id", "no such school"))?;
            actor.require(actor.administers_school(found.district_id, found.id), what)?;
            Owner { district_id: found.district_id, school_id: Some(found.id), group_id: None }
        }
        (None, None) => {
            let district_id = body.district_id.or(actor.district_id).ok_or_else(|| {
                DomainError::invalid("district_id", "required for a district-wide task (or give school_id or group_id)")
            })?;
            let found = district::Entity::find_by_id(district_id)
                .one(db)
                .await?
                .filter(|d| d.archived_at.is_none() && actor.sees_district(d.id))
                .ok_or_else(|| DomainError::invalid("district_id", "no such district"))?;
            actor.require(actor.administers_district(found.id), what)?;
            Owner { district_id: found.id, school_id: None, group_id: None }
        }
    };
    if body.district_id.is_some_and(|d| d != owner.district_id) {
        checks.fail("district_id", "must be the district of the school or group (or left out)");
    }
    Ok(owner)
}

/// The semester must be a live one of the task's district and contain the due day.
async fn check_semester(
    db: &impl ConnectionTrait,
    checks: &mut Checks,
    district_id: i64,
    semester_id: i64,
    due_on: NaiveDate,
    semester_given: bool,
) -> DomainResult<()> {
    let found = semester::Entity::find_by_id(semester_id)
        .one(db)
        .await?
        .filter(|s| s.district_id == district_id && s.archived_at.is_none());
    match found {
        None if semester_given => checks.fail("semester_id", "no such semester in the task's district"),
        None => {}
        Some(s) => checks.ensure(
            s.start_date <= due_on && due_on <= s.end_date,
            "due_on",
            format!("due_on must lie within the semester ({} to {})", s.start_date, s.end_date),
        ),
    }
    Ok(())
}

/// List the record tasks the caller can see.
#[utoipa::path(tag = "record-tasks", params(RecordTaskFilter), responses((status = 200, description = "A page of record tasks", body = Page<RecordTaskView>)))]
#[get("/record-tasks")]
async fn list_record_tasks(
    state: State,
    actor: Actor,
    filter: Query<RecordTaskFilter>,
) -> ApiResult<web::Json<Page<RecordTaskView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let mut query = record_task::Entity::find().filter(visible_tasks(&actor));
    if let Some(s) = f.school_id {
        query = query.filter(record_task::Column::SchoolId.eq(s));
    }
    if let Some(g) = f.group_id {
        query = query.filter(record_task::Column::GroupId.eq(g));
    }
    if let Some(s) = f.semester_id {
        query = query.filter(record_task::Column::SemesterId.eq(s));
    }
    if let Some(k) = f.kind {
        query = query.filter(record_task::Column::Kind.eq(k));
    }
    if let Some(t) = f.teacher_id {
        query = query.filter(asked_of_teacher(t, crate::clock::today()));
    }
    if let Some(d) = f.due_from {
        query = query.filter(record_task::Column::DueOn.gte(d));
    }
    if let Some(d) = f.due_to {
        query = query.filter(record_task::Column::DueOn.lte(d));
    }
    if !f.include_archived.unwrap_or(false) {
        query = query.filter(record_task::Column::ArchivedAt.is_null());
    }
    let query = sorted(
        query,
        f.sort.as_deref(),
        &[
            ("due_on", record_task::Column::DueOn),
            ("created_at", record_task::Column::CreatedAt),
            ("id", record_task::Column::Id),
        ],
        record_task::Column::Id,
    )?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(RecordTaskView::from)))
}

/// Set a task: for a school (its administrators), a group (its administrators and leader) or the
/// whole district (its administrators).
#[utoipa::path(tag = "record-tasks", request_body = NewRecordTask, responses((status = 201, description = "Created", body = RecordTaskView)))]
#[post("/record-tasks")]
async fn create_record_task(state: State, actor: Actor, body: Json<NewRecordTask>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let mut checks = Checks::new();
    let title = checks.text("title", &body.title, MAX_TITLE_CHARS);
    let description = checks.optional_text("description", body.description.as_deref(), MAX_DESCRIPTION_CHARS);
    let owner = owner_of(&state.db, &actor, &body, &mut checks).await?;
    check_semester(&state.db, &mut checks, owner.district_id, body.semester_id, body.due_on, true).await?;
    checks.finish()?;
    let at = now();
    let saved = record_task::ActiveModel {
        district_id: Set(owner.district_id),
        school_id: Set(owner.school_id),
        group_id: Set(owner.group_id),
        semester_id: Set(body.semester_id),
        kind: Set(body.kind),
        title: Set(title),
        description: Set(description),
        due_on: Set(body.due_on),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/record-tasks/{}", saved.id), RecordTaskView::from(saved)))
}

/// Get a record task.
#[utoipa::path(tag = "record-tasks", params(("id" = i64, Path, description = "Record task id")), responses((status = 200, description = "The record task", body = RecordTaskView)))]
#[get("/record-tasks/{id}")]
async fn get_record_task(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<RecordTaskView>> {
    Ok(web::Json(load_task(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change a record task (whoever may set it). Moving `due_on` re-derives `late` of the records
/// already handed in, in the same transaction.
#[utoipa::path(
    tag = "record-tasks",
    params(("id" = i64, Path, description = "Record task id")),
    request_body = RecordTaskPatch,
    responses(
        (status = 200, description = "Updated", body = RecordTaskView),
        (status = 409, description = "Live records of another kind answer the task", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/record-tasks/{id}")]
async fn update_record_task(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<RecordTaskPatch>,
) -> ApiResult<web::Json<RecordTaskView>> {
    let body = body.0;
    let current = load_task(&state.db, &actor, id.into_inner()).await?;
    require_sets(&state.db, &actor, &current).await?;
    let mut checks = Checks::new();
    let title = body.title.as_deref().map(|t| checks.text("title", t, MAX_TITLE_CHARS));
    let description =
        body.description.map(|d| checks.optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS));
    let semester_id = body.semester_id.unwrap_or(current.semester_id);
    let due_on = body.due_on.unwrap_or(current.due_on);
    if body.semester_id.is_some() || body.due_on.is_some() {
        check_semester(&state.db, &mut checks, current.district_id, semester_id, due_on, body.semester_id.is_some())
            .await?;
    }
    checks.finish()?;

    let txn = crate::db::begin_write(&state.db).await?;
    if let Some(Some(kind)) = body.kind {
        let other_kinds = record::Entity::find()
            .filter(record::Column::TaskId.eq(current.id))
            .filter(record::Column::ArchivedAt.is_null())
            .filter(record::Column::Kind.ne(kind))
            .count(&txn)
            .await?;
        if other_kinds > 0 {
            return Err(ApiError::conflict(
                "kind",
                format!("{other_kinds} live records of another kind answer this task"),
            ));
        }
    }
    let moved = due_on != current.due_on;
    let task_id = current.id;
    let mut active = current.into_active_model();
    active.semester_id = Set(semester_id);
    active.due_on = Set(due_on);
    if let Some(kind) = body.kind {
        active.kind = Set(kind);
    }
    if let Some(title) = title {
        active.title = Set(title);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    if moved {
        refresh_lateness(&txn, task_id, due_on).await?;
    }
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// Archive a record task (whoever may set it). Idempotent; records answering it keep it.
#[utoipa::path(tag = "record-tasks", params(("id" = i64, Path, description = "Record task id")), responses((status = 204, description = "Archived")))]
#[delete("/record-tasks/{id}")]
async fn archive_record_task(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_task(&state.db, &actor, id.into_inner()).await?;
    require_sets(&state.db, &actor, &current).await?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}
