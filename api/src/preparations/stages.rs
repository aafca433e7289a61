//! The stages of a preparation, each written by whom it belongs to: the lead's draft (初备), the
//! co-preparers' revision notes (一度调整), the consensus plan after the session (二度调整, by the
//! lead or the group's leader) and each teacher's post-lesson reflection (三度调整, a reflection
//! record of the records area, created or linked in the same transaction).

use actix_web::{post, put, web, HttpResponse};
use entities::enums::{PreparationRole, RecordKind, Role};
use entities::{preparation, preparation_note, preparation_participant, record};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::Value;

use super::handlers::detail;
use super::queries::{load_preparation, participants_of, save_with_completion};
use super::rules::{clean_sections, is_late};
use super::views::{ConsensusBody, DraftBody, NewNote, NewReflection, NoteView, PreparationView};
use crate::auth::Actor;
use crate::clock::today;
use crate::domain::{DomainError, DomainResult};
use crate::error::ApiResult;
use crate::extract::Json;
use crate::groups::access::{load_group, require_manages_contents};
use crate::records::queries::semester_for;
use crate::records::rules::{clean_body, word_count_of};
use crate::resource::{created, now};
use crate::state::State;
use crate::validate::Checks;

const NOTE_MAX: usize = 5000;
const CONSENSUS_MAX: usize = 20_000;
const TITLE_MAX: usize = 200;

fn conflict(detail: &str) -> DomainError {
    DomainError::Conflict { detail: detail.into(), field: None }
}

/// A live preparation (409 once archived).
async fn live(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<preparation::Model> {
    let found = load_preparation(db, actor, id).await?;
    if found.archived_at.is_some() {
        return Err(conflict("the preparation is archived"));
    }
    Ok(found)
}

/// The caller's own participation in the preparation, if any.
async fn own_part(
    db: &impl ConnectionTrait,
    actor: &Actor,
    p: &preparation::Model,
) -> DomainResult<Option<preparation_participant::Model>> {
    let Some(teacher_id) = actor.teacher_id else { return Ok(None) };
    Ok(participants_of(db, p.id).await?.into_iter().find(|t| t.teacher_id == teacher_id))
}

/// Submit or replace the draft (初备): the lead preparer only. The first submission's day decides
/// lateness against the due day. Replacing it is refused once notes were written on it or the
/// consensus is in.
#[utoipa::path(
    tag = "preparations",
    params(("id" = i64, Path, description = "Preparation id")),
    request_body = DraftBody,
    responses(
        (status = 200, description = "The preparation with its draft", body = PreparationView),
        (status = 409, description = "Archived, annotated already, or the consensus is in", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[put("/preparations/{id}/draft")]
pub async fn put_draft(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<DraftBody>,
) -> ApiResult<web::Json<PreparationView>> {
    let p = live(&state.db, &actor, id.into_inner()).await?;
    actor
        .require(actor.teacher_id == Some(p.lead_teacher_id), "write the draft: only the lead preparer (主备) does")?;
    let mut checks = Checks::new();
    let sections = clean_sections(&mut checks, &body.0.sections);
    checks.finish()?;
    let today = today();
    let txn = crate::db::begin_write(&state.db).await?;
    if p.consensus_on.is_some() {
        return Err(conflict("the consensus plan is in: the draft is closed").into());
    }
    let noted = preparation_note::Entity::find()
        .filter(preparation_note::Column::PreparationId.eq(p.id))
        .one(&txn)
        .await?
        .is_some();
    if noted {
        return Err(conflict("co-preparers have written notes on this draft; revise it in the consensus").into());
    }
    let submitted_on = p.draft_submitted_on.unwrap_or(today);
    let late = is_late(submitted_on, p.draft_due_on);
    let mut active = p.into_active_model();
    active.draft_sections = Set(Some(serde_json::to_value(&sections).unwrap_or(Value::Null)));
    active.draft_submitted_on = Set(Some(submitted_on));
    active.draft_late = Set(late);
    let saved = save_with_completion(&txn, active).await?;
    let view = detail(&txn, saved).await?;
    txn.commit().await?;
    Ok(web::Json(view))
}

/// Write a revision note (一度调整) on a section of the draft: the co-preparers only, once the
/// draft is in and until the consensus. A co-preparer is done with one note; notes after the
/// session day are marked late.
#[utoipa::path(
    tag = "preparations",
    params(("id" = i64, Path, description = "Preparation id")),
    request_body = NewNote,
    responses(
        (status = 201, description = "Written", body = NoteView),
        (status = 409, description = "Archived, no draft yet, or the consensus is in", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/preparations/{id}/notes")]
pub async fn add_note(state: State, actor: Actor, id: web::Path<i64>, body: Json<NewNote>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let p = live(&state.db, &actor, id.into_inner()).await?;
    let part = own_part(&state.db, &actor, &p).await?.filter(|t| t.role == PreparationRole::CoPreparer);
    let Some(part) = part else {
        return Err(DomainError::forbidden("only the co-preparers (副备) write revision notes").into());
    };
    let sections = p.draft_sections.as_ref().and_then(Value::as_array).map_or(0, Vec::len);
    if p.draft_submitted_on.is_none() {
        return Err(conflict("there is no draft to annotate yet").into());
    }
    if p.consensus_on.is_some() {
        return Err(conflict("the consensus plan is in: notes are closed").into());
    }
    let mut checks = Checks::new();
    checks.ensure(
        usize::try_from(body.section).is_ok_and(|s| s < sections),
        "section",
        format!("must be the index of a section of the draft (0 to {})", sections.saturating_sub(1)),
    );
    let text = checks.text("body", &body.body, NOTE_MAX);
    checks.finish()?;
    let today = today();
    let txn = crate::db::begin_write(&state.db).await?;
    let note = preparation_note::ActiveModel {
        preparation_id: Set(p.id),
        teacher_id: Set(part.teacher_id),
        section: Set(body.section),
        body: Set(text),
        written_on: Set(today),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if part.first_noted_on.is_none() {
        let mut active = part.into_active_model();
        active.first_noted_on = Set(Some(today));
        active.update(&txn).await?;
    }
    save_with_completion(&txn, p.into_active_model()).await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/preparations/{}", note.preparation_id), NoteView::from(note)))
}

/// Write the consensus plan (二度调整) after the session: the lead preparer or the group's leader.
/// Replacing it keeps the day it was first written.
#[utoipa::path(
    tag = "preparations",
    params(("id" = i64, Path, description = "Preparation id")),
    request_body = ConsensusBody,
    responses(
        (status = 200, description = "The preparation with its consensus", body = PreparationView),
        (status = 409, description = "Archived, no draft yet, or the session is still to come", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[put("/preparations/{id}/consensus")]
pub async fn put_consensus(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ConsensusBody>,
) -> ApiResult<web::Json<PreparationView>> {
    let p = live(&state.db, &actor, id.into_inner()).await?;
    let is_lead = actor.teacher_id == Some(p.lead_teacher_id);
    if !is_lead {
        let group = load_group(&state.db, &actor, p.group_id).await?;
        actor.require(actor.role == Role::GroupLeader, "write the consensus: the lead or the group's leader does")?;
        require_manages_contents(&state.db, &actor, &group).await?;
    }
    let mut checks = Checks::new();
    let text = checks.text("body", &body.0.body, CONSENSUS_MAX);
    checks.finish()?;
    let today = today();
    if p.draft_submitted_on.is_none() {
        return Err(conflict("there is no draft yet").into());
    }
    if today < p.session_on {
        return Err(conflict(&format!("the session ({}) is still to come", p.session_on)).into());
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let first_on = p.consensus_on.unwrap_or(today);
    let mut active = p.into_active_model();
    active.consensus_body = Set(Some(text));
    active.consensus_teacher_id = Set(actor.teacher_id);
    active.consensus_on = Set(Some(first_on));
    let saved = save_with_completion(&txn, active).await?;
    let view = detail(&txn, saved).await?;
    txn.commit().await?;
    Ok(web::Json(view))
}

/// A reflection record the teacher wrote and may link: live, theirs, a reflection, not yet
/// linked to a preparation.
async fn linkable_record(
    db: &impl ConnectionTrait,
    checks: &mut Checks,
    teacher_id: i64,
    record_id: i64,
) -> DomainResult<Option<record::Model>> {
    let found = record::Entity::find_by_id(record_id)
        .one(db)
        .await?
        .filter(|r| r.author_teacher_id == teacher_id && r.archived_at.is_none());
    let Some(found) = found else {
        checks.fail("record_id", "no such record of yours");
        return Ok(None);
    };
    checks.ensure(found.kind == RecordKind::Reflection, "record_id", "must be a reflection record");
    let linked = preparation_participant::Entity::find()
        .filter(preparation_participant::Column::ReflectionRecordId.eq(record_id))
        .one(db)
        .await?
        .is_some();
    checks.ensure(!linked, "record_id", "is already the reflection of a preparation");
    Ok(Some(found))
}

/// Hand in one's post-lesson reflection (三度调整) once the consensus is in: each teacher of the
/// preparation their own. From `body` a reflection record is created (it counts for reflection
/// rules like any other); or `record_id` links one already written.
#[utoipa::path(
    tag = "preparations",
    params(("id" = i64, Path, description = "Preparation id")),
    request_body = NewReflection,
    responses(
        (status = 201, description = "Handed in", body = PreparationView),
        (status = 409, description = "Archived, no consensus yet, or reflected already", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/preparations/{id}/reflections")]
pub async fn add_reflection(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<NewReflection>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let db = &state.db;
    let p = live(db, &actor, id.into_inner()).await?;
    let Some(part) = own_part(db, &actor, &p).await? else {
        return Err(DomainError::forbidden("only the teachers of the preparation hand in its reflections").into());
    };
    if p.consensus_on.is_none() {
        return Err(conflict("there is no consensus plan to reflect on yet").into());
    }
    if part.reflected_on.is_some() {
        return Err(conflict("your reflection is in already").into());
    }
    let today = today();
    let mut checks = Checks::new();
    let linked = match (&body.body, body.record_id) {
        (Some(_), Some(_)) | (None, None) => {
            checks.fail("body", "give either body (a new reflection) or record_id (one already written)");
            None
        }
        (None, Some(r)) => linkable_record(db, &mut checks, part.teacher_id, r).await?,
        (Some(_), None) => None,
    };
    let text = clean_body(&mut checks, body.body.as_deref());
    let words = word_count_of(&mut checks, text.as_deref(), None);
    let default_title = format!("《{}》教后反思", p.lesson_title);
    let title = checks.text("title", body.title.as_deref().unwrap_or(&default_title), TITLE_MAX);
    let semester_id = semester_for(db, &mut checks, p.district_id, today, None).await?;
    checks.finish()?;

    let txn = crate::db::begin_write(db).await?;
    let record_id = match linked {
        Some(r) => r.id,
        None => {
            let at = now();
            record::ActiveModel {
                district_id: Set(p.district_id),
                school_id: Set(p.school_id),
                author_teacher_id: Set(part.teacher_id),
                semester_id: Set(semester_id),
                kind: Set(RecordKind::Reflection),
                title: Set(title),
                body: Set(text),
                written_on: Set(today),
                word_count: Set(words),
                activity_id: Set(p.activity_id),
                submitted_on: Set(today),
                late: Set(false),
                created_by_user_id: Set(Some(actor.user_id)),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
    };
    let mut active = part.into_active_model();
    active.reflection_record_id = Set(Some(record_id));
    active.reflected_on = Set(Some(today));
    active.update(&txn).await?;
    let saved = save_with_completion(&txn, p.into_active_model()).await?;
    let view = detail(&txn, saved).await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/preparations/{}", view.id), view))
}
