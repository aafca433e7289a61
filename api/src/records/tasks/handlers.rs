//! The handlers of `/record-tasks`: extract, call, respond.

use super::access::{load_task, require_sets};
use super::queries::{check_semester, owner_of, tasks_matching, MAX_DESCRIPTION_CHARS};
use super::views::{NewRecordTask, RecordTaskFilter, RecordTaskPatch, RecordTaskView};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::records::queries::refresh_lateness;
use crate::records::rules::MAX_TITLE_CHARS;
use crate::resource::{archive, created, no_content, now, InsertWritten};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::{record, record_task};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};

/// List the record tasks the caller can see.
#[utoipa::path(tag = "record-tasks", params(RecordTaskFilter), responses((status = 200, description = "A page of record tasks", body = Page<RecordTaskView>)))]
#[get("/record-tasks")]
pub(super) async fn list_record_tasks(
    state: State,
    actor: Actor,
    filter: Query<RecordTaskFilter>,
) -> ApiResult<web::Json<Page<RecordTaskView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = tasks_matching(&actor, &f)?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(RecordTaskView::from)))
}

/// Set a task: for a school (its administrators), a group (its administrators and leader) or the
/// whole district (its administrators).
#[utoipa::path(tag = "record-tasks", request_body = NewRecordTask, responses((status = 201, description = "Created", body = RecordTaskView)))]
#[post("/record-tasks")]
pub(super) async fn create_record_task(
    state: State,
    actor: Actor,
    body: Json<NewRecordTask>,
) -> ApiResult<HttpResponse> {
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
pub(super) async fn get_record_task(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<RecordTaskView>> {
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
pub(super) async fn update_record_task(
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
pub(super) async fn archive_record_task(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_task(&state.db, &actor, id.into_inner()).await?;
    require_sets(&state.db, &actor, &current).await?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}
