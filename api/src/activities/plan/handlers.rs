//! `/activities/{id}`: read, change (with the status life cycle) and withdraw; and what creating
//! and changing share: the checks of named people and links, entering `scheduled`, the summary's
//! due day and the refusal of an incomplete "四定".

use actix_web::{delete, get, patch, web, HttpResponse};
use chrono::NaiveDate;
use entities::activity;
use entities::enums::ActivityStatus;
use sea_orm::{ActiveModelTrait, ConnectionTrait};

use super::error::{PlanError, PlanResult};
use super::lessons::{clean_lessons, lessons_of, replace_lessons, CleanLesson};
use super::refs::{check_date_in, check_host_and_pairing, check_semester, check_teacher};
use super::rules::{
    check_timing, held_before_its_day, is_read_only, merge_patch, minutes_writable, missing_four_fixed,
    needs_four_fixed, summary_writable, transition_allowed,
};
use super::views::{ActivityPatch, ActivityView, LessonInput};
use crate::activities::access::{load_activity, organiser_of, require_runs, Organiser};
use crate::activities::participants::add_default_participants;
use crate::activities::policy::{effective_policy, place_of};
use crate::auth::Actor;
use crate::clock::today;
use crate::domain::DomainResult;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::resource::{archive, no_content, now};
use crate::state::State;
use crate::validate::Checks;

/// The view of one stored activity, with its lessons.
pub async fn view_of(db: &impl ConnectionTrait, a: activity::Model) -> DomainResult<ActivityView> {
    let lessons = lessons_of(db, &[a.id]).await?.remove(&a.id).unwrap_or_default();
    Ok(ActivityView::new(a, lessons, today()))
}

pub(super) fn check_meeting_url(checks: &mut Checks, url: Option<&str>) {
    if let Some(url) = url {
        checks.ensure(
            url.starts_with("https://") || url.starts_with("http://"),
            "meeting_url",
            "must be an http:// or https:// address",
        );
    }
}

/// Checks the lead speaker and the lessons' teachers against the activity as it will be.
pub(super) async fn check_people(
    db: &impl ConnectionTrait,
    actor: &Actor,
    a: &activity::Model,
    lead_changed: bool,
    lessons: Option<&[CleanLesson]>,
    checks: &mut Checks,
) -> DomainResult<()> {
    if let Some(lead) = a.lead_speaker_teacher_id.filter(|_| lead_changed) {
        check_teacher(db, actor, a, lead, "lead_speaker_teacher_id", checks).await?;
    }
    for (i, lesson) in lessons.unwrap_or_default().iter().enumerate() {
        check_teacher(db, actor, a, lesson.teacher_id, &format!("lessons[{i}].teacher_id"), checks).await?;
    }
    Ok(())
}

/// Entering `scheduled`: the organiser's people become expected participants and the summary
/// gets its due day from the activity policy. Runs inside the status change's transaction.
pub(super) async fn enter_scheduled(
    db: &impl ConnectionTrait,
    a: &activity::Model,
    organiser: &Organiser,
) -> DomainResult<()> {
    if let Some(date) = a.date {
        add_default_participants(db, a, organiser, date).await?;
    }
    Ok(())
}

/// The summary's due day for the activity as it stands (none without a date).
pub(super) async fn summary_due(db: &impl ConnectionTrait, a: &activity::Model) -> DomainResult<Option<NaiveDate>> {
    let Some(date) = a.date else { return Ok(None) };
    Ok(effective_policy(db, place_of(db, a).await?).await?.summary_due_on(date))
}

pub(super) fn refuse_incomplete(a: &activity::Model) -> PlanResult<()> {
    let missing = missing_four_fixed(a);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(PlanError::Incomplete(missing))
    }
}

/// Get an activity, with its lessons and whether its "四定" are complete.
#[utoipa::path(
    tag = "activities",
    params(("id" = i64, Path, description = "Activity id")),
    responses((status = 200, description = "The activity", body = ActivityView))
)]
#[get("/activities/{id}")]
pub(super) async fn get_activity(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<ActivityView>> {
    let a = load_activity(&state.db, &actor, id.into_inner()).await?;
    Ok(web::Json(view_of(&state.db, a).await?))
}

/// Change an activity or move it along its life cycle (whoever runs the organiser's
/// activities). Cancelled, archived and withdrawn activities are read-only (409).
#[utoipa::path(
    tag = "activities",
    params(("id" = i64, Path, description = "Activity id")),
    request_body = ActivityPatch,
    responses(
        (status = 200, description = "Updated", body = ActivityView),
        (status = 409, description = "A transition the life cycle does not allow, an activity that is read-only, or held before its day", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the 四定 would be incomplete", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/activities/{id}")]
pub(super) async fn update_activity(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ActivityPatch>,
) -> PlanResult<web::Json<ActivityView>> {
    let body = body.0;
    let current = load_activity(&state.db, &actor, id.into_inner()).await?;
    let organiser = organiser_of(&state.db, &current).await?;
    require_runs(&state.db, &actor, &organiser).await?;
    if current.archived_at.is_some() {
        return Err(conflict("the activity was withdrawn (deleted) and is read-only").into());
    }
    if is_read_only(current.status) {
        return Err(conflict(format!("the activity is {} and read-only", current.status.code())).into());
    }
    let from = current.status;
    let to = body.status.unwrap_or(from);
    if to != from && !transition_allowed(from, to) {
        return Err(conflict(format!("an activity cannot move from {} to {}", from.code(), to.code())).into());
    }
    if body.minutes.is_some() && !minutes_writable(to) {
        return Err(conflict("minutes are written while the activity is scheduled or held").into());
    }
    if body.summary.is_some() && !summary_writable(to) {
        return Err(conflict("the summary is written once the activity is held").into());
    }
    let (a, lessons) = patched(&state.db, &actor, &current, &body).await?;
    let mut a = a;
    a.status = to;
    if needs_four_fixed(to) {
        refuse_incomplete(&a)?;
    }
    if to == ActivityStatus::Held && from != ActivityStatus::Held && held_before_its_day(a.date, today()) {
        return Err(conflict("an activity is held on or after its day, not before").into());
    }
    if to == ActivityStatus::Cancelled {
        a.cancel_reason = body.cancel_reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    }
    if a.summary.is_some() && a.summary_submitted_at.is_none() {
        a.summary_submitted_at = Some(now());
    }
    let entering_schedule = to == ActivityStatus::Scheduled && from != ActivityStatus::Scheduled;
    if to == ActivityStatus::Draft {
        a.summary_due_on = None;
    } else if entering_schedule || (needs_four_fixed(to) && a.date != current.date) {
        a.summary_due_on = summary_due(&state.db, &a).await?;
    }
    a.updated_at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = activity::ActiveModel::from(a).reset_all().update(&txn).await?;
    if let Some(lessons) = &lessons {
        replace_lessons(&txn, saved.id, lessons).await?;
    }
    if entering_schedule {
        enter_scheduled(&txn, &saved, &organiser).await?;
    }
    txn.commit().await?;
    Ok(web::Json(view_of(&state.db, saved).await?))
}

fn conflict(detail: impl Into<String>) -> ApiError {
    ApiError::Conflict { detail: detail.into(), field: Some("status".into()) }
}

/// The stored activity with the PATCH applied ([`merge_patch`]) and checked against the
/// database (the life cycle aside), and the new lessons when the PATCH carries them.
async fn patched(
    db: &impl ConnectionTrait,
    actor: &Actor,
    current: &activity::Model,
    body: &ActivityPatch,
) -> DomainResult<(activity::Model, Option<Vec<CleanLesson>>)> {
    let mut checks = Checks::new();
    let mut a = current.clone();
    merge_patch(&mut checks, &mut a, body);
    check_meeting_url(&mut checks, a.meeting_url.as_deref());
    check_timing(&mut checks, &a);
    if body.semester_id.is_some() || body.date.is_some() {
        if let Some(semester) = check_semester(db, a.district_id, a.semester_id, &mut checks).await? {
            check_date_in(&mut checks, &a, &semester);
        }
    }
    if body.pairing_id.is_some() || body.host_school_id.is_some() {
        let host_given = matches!(body.host_school_id, Some(Some(_)));
        if a.pairing_id.is_some() && a.school_id.is_none() {
            checks.fail("pairing_id", "only a school's activities belong to a school pairing");
        } else {
            check_host_and_pairing(db, actor, &mut a, host_given, &mut checks).await?;
        }
    }
    let lessons: Option<Vec<CleanLesson>> =
        body.lessons.as_ref().map(|l| clean_lessons(&mut checks, l.as_deref().unwrap_or_default() as &[LessonInput]));
    let lead_changed = a.lead_speaker_teacher_id != current.lead_speaker_teacher_id;
    check_people(db, actor, &a, lead_changed, lessons.as_deref(), &mut checks).await?;
    checks.finish()?;
    Ok((a, lessons))
}

/// Withdraw an activity entered by mistake (whoever runs the organiser's activities): it leaves
/// lists and stays readable by id. Unlike status `archived` (归档, a filed record of a session
/// that took place), this says the activity should not count. Idempotent.
#[utoipa::path(
    tag = "activities",
    params(("id" = i64, Path, description = "Activity id")),
    responses((status = 204, description = "Withdrawn"))
)]
#[delete("/activities/{id}")]
pub(super) async fn archive_activity(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_activity(&state.db, &actor, id.into_inner()).await?;
    let organiser = organiser_of(&state.db, &current).await?;
    require_runs(&state.db, &actor, &organiser).await?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    archive(&state.db, current).await?;
    Ok(no_content())
}
