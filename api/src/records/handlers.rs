//! The five endpoints of `/api/v1/records`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::record;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::queries::{
    check_activity, check_coauthors, check_observation, check_patch, check_task, coauthors_of, filtered, load_record,
    read_record, replace_coauthors, require_writes, semester_for, visible_author, writes_for,
};
use super::rules::{self, KindFields, MAX_TITLE_CHARS};
use super::views::{NewRecord, RecordFilter, RecordPatch, RecordView};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

async fn view_of(db: &impl ConnectionTrait, m: record::Model) -> ApiResult<RecordView> {
    let coauthors = coauthors_of(db, &[m.id]).await?.remove(&m.id).unwrap_or_default();
    Ok(RecordView::new(m, coauthors))
}

/// List the research records the caller can see.
#[utoipa::path(tag = "records", params(RecordFilter), responses((status = 200, description = "A page of records", body = Page<RecordView>)))]
#[get("/records")]
async fn list_records(
    state: State,
    actor: Actor,
    filter: Query<RecordFilter>,
) -> ApiResult<web::Json<Page<RecordView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let page = fetch_page(filtered(&actor, &f)?, paging, &state.db).await?;
    let coauthors = coauthors_of(&state.db, &page.ids(|r| r.id)).await?;
    Ok(web::Json(page.joined(|r| r.id, coauthors, RecordView::new)))
}

/// Hand in a research record (a teacher their own; administrators their teachers').
///
/// The word count is computed from the body; the semester is the district's semester containing
/// `written_on`; a record answering a task copies its `due_on` and is flagged `late` when handed
/// in after it.
#[utoipa::path(tag = "records", request_body = NewRecord, responses((status = 201, description = "Created", body = RecordView)))]
#[post("/records")]
async fn create_record(state: State, actor: Actor, body: Json<NewRecord>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let db = &state.db;
    let author_id = body
        .author_teacher_id
        .or(actor.teacher_id)
        .ok_or_else(|| ApiError::invalid("author_teacher_id", "required: your account is not a teacher's"))?;
    let (author, school) = visible_author(db, &actor, author_id)
        .await?
        .ok_or_else(|| ApiError::invalid("author_teacher_id", "no such teacher"))?;
    actor.require(writes_for(&actor, school.district_id, school.id, author.id), "write records for another teacher")?;
    if body.submitted_on.is_some() {
        // Paper records entered afterwards by the academic office keep the day they were handed
        // in; a teacher's own record is handed in when it is entered.
        actor.require(actor.administers_school(school.district_id, school.id), "set submitted_on")?;
    }

    let today = today();
    let mut checks = Checks::new();
    let title = checks.text("title", &body.title, MAX_TITLE_CHARS);
    let text = rules::clean_body(&mut checks, body.body.as_deref());
    let attachment_url = rules::clean_attachment(&mut checks, body.attachment_url.as_deref());
    let word_count = rules::word_count_of(&mut checks, text.as_deref(), body.word_count);
    rules::check_dates(&mut checks, body.written_on, body.submitted_on, today);
    let kind_fields = KindFields {
        hours: body.hours,
        lesson_plan_form: body.lesson_plan_form,
        project_level: body.project_level,
        project_stage: body.project_stage,
        award_level: body.award_level,
        award_rank: body.award_rank,
    };
    rules::check_kind_fields(&mut checks, body.kind, &kind_fields);
    // A day in the future has no semester worth naming a second error about.
    let semester_id = match body.written_on <= today {
        true => semester_for(db, &mut checks, school.district_id, body.written_on, body.semester_id).await?,
        false => None,
    };
    if let Some(a) = body.activity_id {
        check_activity(db, &actor, &mut checks, a).await?;
    }
    if let Some(o) = body.observation_id {
        check_observation(db, &actor, &mut checks, o).await?;
    }
    let task = match body.task_id {
        Some(t) => check_task(db, &actor, &mut checks, t, author.id, body.kind).await?,
        None => None,
    };
    let coauthors = check_coauthors(db, &actor, &mut checks, &body.coauthor_teacher_ids, author.id).await?;
    checks.finish()?;

    let submitted_on = body.submitted_on.unwrap_or(today);
    let due_on = task.as_ref().map(|t| t.due_on);
    let at = now();
    let txn = crate::db::begin_write(db).await?;
    let saved = record::ActiveModel {
        district_id: Set(school.district_id),
        school_id: Set(school.id),
        author_teacher_id: Set(author.id),
        semester_id: Set(semester_id),
        kind: Set(body.kind),
        title: Set(title),
        body: Set(text),
        attachment_url: Set(attachment_url),
        written_on: Set(body.written_on),
        word_count: Set(word_count),
        hours: Set(kind_fields.hours),
        lesson_plan_form: Set(kind_fields.lesson_plan_form),
        project_level: Set(kind_fields.project_level),
        project_stage: Set(kind_fields.project_stage),
        award_level: Set(kind_fields.award_level),
        award_rank: Set(kind_fields.award_rank),
        activity_id: Set(body.activity_id),
        observation_id: Set(body.observation_id),
        task_id: Set(task.as_ref().map(|t| t.id)),
        due_on: Set(due_on),
        submitted_on: Set(submitted_on),
        late: Set(rules::is_late(submitted_on, due_on)),
        created_by_user_id: Set(Some(actor.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    replace_coauthors(&txn, saved.id, &coauthors).await?;
    let view = view_of(&txn, saved).await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/records/{}", view.id), view))
}

/// Get a research record.
#[utoipa::path(tag = "records", params(("id" = i64, Path, description = "Record id")), responses((status = 200, description = "The record", body = RecordView)))]
#[get("/records/{id}")]
async fn get_record(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<RecordView>> {
    let (found, version) = read_record(&state.db, &actor, id.into_inner()).await?;
    crate::changes::etag::read_with(version);
    Ok(web::Json(view_of(&state.db, found).await?))
}

/// Change a research record (its author, or the school's administrators).
///
/// A new body recomputes the word count. The author, the task, `submitted_on` and `late` never
/// change.
#[utoipa::path(
    tag = "records",
    params(("id" = i64, Path, description = "Record id")),
    request_body = RecordPatch,
    responses((status = 200, description = "Updated", body = RecordView))
)]
#[patch("/records/{id}")]
async fn update_record(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<RecordPatch>,
) -> ApiResult<web::Json<RecordView>> {
    let body = body.0;
    let db = &state.db;
    let current = load_record(db, &actor, id.into_inner()).await?;
    require_writes(&actor, &current)?;
    let today = today();
    let mut checks = Checks::new();
    let mut active = rules::merge_patch(&mut checks, &current, &body, today);
    let coauthors = check_patch(db, &actor, &mut checks, &current, &body, &mut active, today).await?;
    checks.finish()?;

    active.updated_at = Set(now());
    let txn = crate::db::begin_write(db).await?;
    let saved = active.update(&txn).await?;
    if let Some(coauthors) = coauthors {
        replace_coauthors(&txn, current.id, &coauthors).await?;
    }
    let view = view_of(&txn, saved).await?;
    txn.commit().await?;
    Ok(web::Json(view))
}

/// Archive a research record (its author, or the school's administrators). Idempotent.
#[utoipa::path(tag = "records", params(("id" = i64, Path, description = "Record id")), responses((status = 204, description = "Archived")))]
#[delete("/records/{id}")]
async fn archive_record(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_record(&state.db, &actor, id.into_inner()).await?;
    require_writes(&actor, &current)?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}
