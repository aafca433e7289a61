//! The endpoints of one activity's attendance.

use actix_web::{delete, get, post, put, web, HttpResponse};
use entities::activity_participant;
use entities::enums::{ActivityStatus, AttendanceStatus};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::queries::{
    attendance_view, listed_participants, participant, participant_view, record_entries, visible_teachers,
};
use super::rules::{check_entry_count, clean_entries, leave_cut_off, status_allowed, SignInWindow};
use super::views::{AttendanceUpdate, AttendanceView, LeaveRequest, ParticipantView};
use crate::activities::access::{load_activity, require_runs_activity};
use crate::activities::policy::{effective_policy, place_of};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::resource::InsertWritten;
use crate::resource::{no_content, now, save_changes};
use crate::state::State;
use crate::validate::Checks;

fn conflict(detail: impl Into<String>) -> ApiError {
    ApiError::Conflict { detail: detail.into(), field: None }
}

/// Read an activity's attendance: its participants and the counts per status.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Activity id")),
    responses((status = 200, description = "The activity's attendance", body = AttendanceView))
)]
#[get("/activities/{id}/attendance")]
pub async fn get_attendance(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<AttendanceView>> {
    let activity = load_activity(&state.db, &actor, id.into_inner()).await?;
    Ok(web::Json(attendance_view(&state.db, &actor, &activity).await?))
}

/// Record or correct attendance (the organiser): each entry sets one teacher's status, adding
/// the teacher when not yet listed. All entries are saved together or none.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Activity id")),
    request_body = AttendanceUpdate,
    responses(
        (status = 200, description = "The activity's attendance after the change", body = AttendanceView),
        (status = 409, description = "The activity's state does not take these statuses (a draft takes only leave; cancelled and archived activities take nothing)", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[put("/activities/{id}/attendance")]
pub async fn record_attendance(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<AttendanceUpdate>,
) -> ApiResult<web::Json<AttendanceView>> {
    let entries = body.0.entries;
    let activity = load_activity(&state.db, &actor, id.into_inner()).await?;
    require_runs_activity(&state.db, &actor, &activity).await?;
    check_entry_count("entries", entries.len())?;
    let ids: Vec<i64> = entries.iter().map(|e| e.teacher_id).collect();
    let listed: Vec<i64> =
        listed_participants(&state.db, activity.id, &ids).await?.into_iter().map(|p| p.teacher_id).collect();
    let visible = visible_teachers(&state.db, &actor, &ids).await?;
    let mut checks = Checks::new();
    let entries = clean_entries(&mut checks, "entries", &entries, &listed, &visible);
    checks.finish()?;
    for entry in &entries {
        status_allowed(activity.status, entry.status).map_err(conflict)?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    record_entries(&txn, activity.id, entries, actor.user_id).await?;
    txn.commit().await?;
    Ok(web::Json(attendance_view(&state.db, &actor, &activity).await?))
}

/// Take a teacher off the participant list (the organiser), before the activity is held.
/// Idempotent: a teacher who is not listed answers 204 too.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Activity id"), ("teacher_id" = i64, Path, description = "Teacher id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "The activity is already held, filed or cancelled", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/activities/{id}/attendance/{teacher_id}")]
pub async fn remove_participant(state: State, actor: Actor, path: web::Path<(i64, i64)>) -> ApiResult<HttpResponse> {
    let (id, teacher_id) = path.into_inner();
    let activity = load_activity(&state.db, &actor, id).await?;
    require_runs_activity(&state.db, &actor, &activity).await?;
    if !matches!(activity.status, ActivityStatus::Draft | ActivityStatus::Scheduled) {
        return Err(conflict(format!(
            "the activity is {}: participants are removed only before it is held",
            activity.status.code()
        )));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    activity_participant::Entity::delete_many()
        .filter(activity_participant::Column::ActivityId.eq(activity.id))
        .filter(activity_participant::Column::TeacherId.eq(teacher_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(no_content())
}

/// The caller's teacher signs in (签到): present, or late after the policy's grace minutes. Open
/// from `sign_in_opens_minutes_before` the start to `sign_in_closes_minutes_after` it (the whole
/// day when the activity has no start time). A teacher who was not expected is added as a
/// walk-in. Signing in again changes nothing.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The caller's attendance row", body = ParticipantView),
        (status = 403, description = "The account has no teacher", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Outside the sign-in window (the detail gives it), or the activity is not scheduled or held", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/activities/{id}/attendance/sign-in")]
pub async fn sign_in(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<ParticipantView>> {
    // The activity first: one out of reach is a 404 to every account, with or without a teacher.
    let activity = load_activity(&state.db, &actor, id.into_inner()).await?;
    let teacher_id = actor.teacher_id.ok_or_else(|| ApiError::forbidden("only a teacher's account signs in"))?;
    if !matches!(activity.status, ActivityStatus::Scheduled | ActivityStatus::Held) {
        return Err(conflict(format!("the activity is {}: sign-in is closed", activity.status.code())));
    }
    let date = activity.date.ok_or_else(|| conflict("the activity has no date yet"))?;
    let current = participant(&state.db, activity.id, teacher_id).await?;
    if let Some(row) =
        current.clone().filter(|r| matches!(r.status, AttendanceStatus::Present | AttendanceStatus::Late))
    {
        return Ok(web::Json(participant_view(&state.db, row).await?));
    }
    let policy = effective_policy(&state.db, place_of(&state.db, &activity).await?).await?;
    let at = now();
    let status = SignInWindow::of(date, activity.start_time, &policy).status_at(at).map_err(conflict)?;
    let saved = match current {
        Some(row) => {
            let mut row = row.into_active_model();
            row.status = Set(status);
            row.leave_reason = Set(None);
            row.signed_in_at = Set(Some(at));
            row.recorded_by_user_id = Set(Some(actor.user_id));
            row.updated_at = Set(at);
            save_changes(&state.db, row).await?
        }
        None => {
            activity_participant::ActiveModel {
                activity_id: Set(activity.id),
                teacher_id: Set(teacher_id),
                expected: Set(false),
                status: Set(status),
                leave_reason: Set(None),
                signed_in_at: Set(Some(at)),
                recorded_by_user_id: Set(Some(actor.user_id)),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert_written(&state.db)
            .await?
        }
    };
    Ok(web::Json(participant_view(&state.db, saved).await?))
}

/// The caller's teacher asks for leave (请假) from an activity they are expected at, before it
/// starts (before its day when it has no start time); later, the organiser records it.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Activity id")),
    request_body = LeaveRequest,
    responses(
        (status = 200, description = "The caller's attendance row, now on leave", body = ParticipantView),
        (status = 403, description = "The account has no teacher", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Past the start, already signed in, not expected, or the activity is no longer planned", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/activities/{id}/attendance/leave")]
pub async fn ask_for_leave(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<LeaveRequest>,
) -> ApiResult<web::Json<ParticipantView>> {
    let activity = load_activity(&state.db, &actor, id.into_inner()).await?;
    let teacher_id = actor.teacher_id.ok_or_else(|| ApiError::forbidden("only a teacher's account asks for leave"))?;
    let mut checks = Checks::new();
    let reason = checks.text("reason", &body.0.reason, 500);
    checks.finish()?;
    if !matches!(activity.status, ActivityStatus::Draft | ActivityStatus::Scheduled) {
        return Err(conflict(format!("the activity is {}: ask the organiser", activity.status.code())));
    }
    if let Some(date) = activity.date {
        let cut_off = leave_cut_off(date, activity.start_time);
        if now() >= cut_off {
            return Err(conflict("leave is asked before the activity starts; ask the organiser to record it"));
        }
    }
    let row = participant(&state.db, activity.id, teacher_id)
        .await?
        .filter(|r| r.expected)
        .ok_or_else(|| conflict("you are not expected at this activity"))?;
    if matches!(row.status, AttendanceStatus::Present | AttendanceStatus::Late) {
        return Err(conflict("you have already signed in"));
    }
    let mut row = row.into_active_model();
    row.status = Set(AttendanceStatus::OnLeave);
    row.leave_reason = Set(Some(reason));
    row.recorded_by_user_id = Set(Some(actor.user_id));
    row.updated_at = Set(now());
    let saved = save_changes(&state.db, row).await?;
    Ok(web::Json(participant_view(&state.db, saved).await?))
}
