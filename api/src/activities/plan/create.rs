//! `POST /activities`: plan an activity.

use actix_web::{post, HttpResponse};
use entities::activity;
use entities::enums::{ActivityStatus, Modality};
use sea_orm::ActiveModelTrait;

use super::error::PlanResult;
use super::handlers::{check_meeting_url, check_people, enter_scheduled, refuse_incomplete, summary_due, view_of};
use super::lessons::{clean_lessons, replace_lessons};
use super::refs::{check_date_in, check_host_and_pairing, check_semester};
use super::rules::{check_timing, parse_time};
use super::views::{ActivityView, NewActivity};
use crate::activities::access::{find_organiser, require_runs};
use crate::auth::Actor;
use crate::extract::Json;
use crate::resource::{created, now};
use crate::state::State;
use crate::validate::Checks;

/// Plan an activity (whoever runs the organiser's activities). With `status: scheduled` the
/// "四定" must be complete; scheduling fills the expected participants and the summary's due day.
#[utoipa::path(
    tag = "activities",
    request_body = NewActivity,
    responses(
        (status = 201, description = "Created", body = ActivityView),
        (status = 422, description = "Invalid fields, or the 四定 are incomplete for `scheduled`", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/activities")]
pub(super) async fn create_activity(state: State, actor: Actor, body: Json<NewActivity>) -> PlanResult<HttpResponse> {
    let body = body.0;
    let organiser = find_organiser(&state.db, &actor, body.organiser_kind, body.organiser_id, "organiser_id").await?;
    require_runs(&state.db, &actor, &organiser).await?;
    let mut checks = Checks::new();
    let status = body.status.unwrap_or(ActivityStatus::Draft);
    checks.ensure(
        matches!(status, ActivityStatus::Draft | ActivityStatus::Scheduled),
        "status",
        "a new activity is draft or scheduled",
    );
    let at = now();
    let mut a = activity::Model {
        id: 0,
        district_id: organiser.district_id(),
        school_id: organiser.school_id(),
        organiser_kind: organiser.kind(),
        group_id: organiser.group_id(),
        zone_id: organiser.zone_id(),
        pairing_id: body.pairing_id,
        host_school_id: body.host_school_id,
        semester_id: body.semester_id,
        activity_type: body.activity_type,
        title: checks.text("title", &body.title, 200),
        topic: checks.optional_text("topic", body.topic.as_deref(), 500),
        date: body.date,
        start_time: body.start_time.as_deref().and_then(|t| parse_time(&mut checks, "start_time", t)),
        end_time: body.end_time.as_deref().and_then(|t| parse_time(&mut checks, "end_time", t)),
        start_period: body.start_period,
        end_period: body.end_period,
        venue: checks.optional_text("venue", body.venue.as_deref(), 200),
        meeting_url: checks.optional_text("meeting_url", body.meeting_url.as_deref(), 500),
        modality: body.modality.unwrap_or(Modality::OnSite),
        lead_speaker_teacher_id: body.lead_speaker_teacher_id,
        lead_speaker_name: checks.optional_text("lead_speaker_name", body.lead_speaker_name.as_deref(), 100),
        description: checks.optional_text("description", body.description.as_deref(), 5000),
        status: ActivityStatus::Draft,
        cancel_reason: None,
        slot_id: None,
        generated_for: None,
        minutes: None,
        summary: None,
        summary_due_on: None,
        summary_submitted_at: None,
        created_by_user_id: Some(actor.user_id),
        created_at: at,
        updated_at: at,
        archived_at: None,
    };
    check_meeting_url(&mut checks, a.meeting_url.as_deref());
    check_timing(&mut checks, &a);
    if let Some(semester) = check_semester(&state.db, a.district_id, a.semester_id, &mut checks).await? {
        check_date_in(&mut checks, &a, &semester);
    }
    if a.pairing_id.is_some() && a.school_id.is_none() {
        checks.fail("pairing_id", "only a school's activities belong to a school pairing");
    } else {
        check_host_and_pairing(&state.db, &actor, &mut a, body.host_school_id.is_some(), &mut checks).await?;
    }
    let lessons = clean_lessons(&mut checks, body.lessons.as_deref().unwrap_or_default());
    check_people(&state.db, &actor, &a, true, Some(&lessons), &mut checks).await?;
    checks.finish()?;
    if status == ActivityStatus::Scheduled {
        refuse_incomplete(&a)?;
        a.status = ActivityStatus::Scheduled;
        a.summary_due_on = summary_due(&state.db, &a).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = activity::ActiveModel::from(a).reset_all();
    active.id = sea_orm::ActiveValue::NotSet;
    let saved = active.insert(&txn).await?;
    replace_lessons(&txn, saved.id, &lessons).await?;
    if saved.status == ActivityStatus::Scheduled {
        enter_scheduled(&txn, &saved, &organiser).await?;
    }
    txn.commit().await?;
    let view = view_of(&state.db, saved).await?;
    Ok(created(format!("/api/v1/activities/{}", view.id), view))
}
