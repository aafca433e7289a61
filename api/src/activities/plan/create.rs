//! `POST /activities`: plan an activity, or record one that already took place (`status: held`)
//! with its lessons and attendance in one transaction. Holding passes through scheduling: the
//! organiser's people are listed as expected, then the attendance is recorded over them, with the
//! rules of `PUT /activities/{id}/attendance` — so one call stores what the three calls (create
//! scheduled, PATCH to held, PUT the attendance) would, or nothing.

use actix_web::{post, HttpResponse};
use entities::activity;
use entities::enums::{ActivityStatus, Modality};
use sea_orm::{ActiveModelTrait, ConnectionTrait};

use super::error::PlanResult;
use super::handlers::{check_meeting_url, check_people, enter_scheduled, refuse_incomplete, summary_due, view_of};
use super::lessons::{clean_lessons, replace_lessons};
use super::refs::{check_date_in, check_host_and_pairing, check_semester};
use super::rules::{check_timing, creatable, held_before_its_day, needs_four_fixed, parse_time};
use super::views::{ActivityView, NewActivity};
use crate::activities::access::{find_organiser, require_runs, Organiser};
use crate::activities::attendance::queries::{record_entries, visible_teachers};
use crate::activities::attendance::rules::{check_entry_count, clean_entries, CleanEntry};
use crate::activities::attendance::views::AttendanceEntry;
use crate::activities::participants::default_participants;
use crate::auth::Actor;
use crate::clock::today;
use crate::domain::DomainResult;
use crate::extract::Json;
use crate::resource::{created, now};
use crate::state::State;
use crate::validate::Checks;

/// Plan an activity (whoever runs the organiser's activities). With `status: scheduled` the
/// "四定" must be complete; scheduling fills the expected participants and the summary's due day.
///
/// With `status: held` an activity that already took place is recorded in one call: the "四定"
/// as for scheduling, a day on or before today, and optionally its `attendance` (the entries of
/// `PUT /activities/{id}/attendance`, named `attendance[i]...` in errors). Everything is stored
/// in one transaction, or nothing.
#[utoipa::path(
    tag = "activities",
    request_body(content = NewActivity, examples(
        ("scheduled" = (summary = "Plan a session with the 四定", value = json!({"organiser_kind": "group",
            "organiser_id": 2, "semester_id": 1, "activity_type": "lesson_study", "title": "二年级识字课例研讨",
            "topic": "低年级识字教学的有效性", "date": "2026-12-10", "start_time": "14:30", "end_time": "16:00",
            "venue": "语文教研室", "lead_speaker_teacher_id": 3, "status": "scheduled",
            "lessons": [{"teacher_id": 3, "subject": "语文", "grade": 2, "lesson_kind": "research"}]}))),
        ("held" = (summary = "Record a session that took place, with its attendance", value = json!({
            "organiser_kind": "group", "organiser_id": 2, "semester_id": 1, "activity_type": "collective_prep",
            "title": "三年级语文集体备课", "topic": "第三单元教学设计", "date": "2026-10-08", "start_time": "14:30",
            "venue": "语文教研室", "lead_speaker_teacher_id": 3, "status": "held",
            "lessons": [{"teacher_id": 3, "subject": "语文", "grade": 3, "lesson_kind": "demo"}],
            "attendance": [{"teacher_id": 3, "status": "present"},
                {"teacher_id": 12, "status": "on_leave", "leave_reason": "外出培训"},
                {"teacher_id": 14, "status": "late", "expected": false}]})))
    )),
    responses(
        (status = 201, description = "Created; the body is what `GET /activities/{id}` answers", body = ActivityView),
        (status = 422, description = "Invalid fields (`attendance[2].teacher_id` ...), a held activity dated after today, `attendance` without `status: held`, or the 四定 are incomplete for `scheduled` or `held`", body = crate::error::Problem, content_type = "application/problem+json")
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
        creatable(status),
        "status",
        "a new activity is draft, scheduled or held; cancelled and archived come through the life cycle",
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
    if status == ActivityStatus::Held {
        checks.ensure(
            !held_before_its_day(a.date, today()),
            "date",
            "an activity is held on or after its day, not before: a held activity's date is today or earlier (UTC+8)",
        );
    }
    let attendance =
        check_attendance(&state.db, &actor, &organiser, &a, status, body.attendance.as_deref(), &mut checks).await?;
    checks.finish()?;
    if needs_four_fixed(status) {
        refuse_incomplete(&a)?;
        a.status = status;
        a.summary_due_on = summary_due(&state.db, &a).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = activity::ActiveModel::from(a).reset_all();
    active.id = sea_orm::ActiveValue::NotSet;
    let saved = active.insert(&txn).await?;
    replace_lessons(&txn, saved.id, &lessons).await?;
    if needs_four_fixed(saved.status) {
        // A held activity was scheduled on the way: its organiser's people are expected.
        enter_scheduled(&txn, &saved, &organiser).await?;
    }
    record_entries(&txn, saved.id, attendance, actor.user_id).await?;
    txn.commit().await?;
    let view = view_of(&state.db, saved).await?;
    Ok(created(format!("/api/v1/activities/{}", view.id), view))
}

/// The attendance of an activity created as held, validated as `PUT /activities/{id}/attendance`
/// would validate it once the activity is scheduled: against the participants it will list (the
/// organiser's people on its day). A held activity takes every status, so no entry is refused for
/// the activity's state. With another status, `attendance` itself is refused.
async fn check_attendance(
    db: &impl ConnectionTrait,
    actor: &Actor,
    organiser: &Organiser,
    a: &activity::Model,
    status: ActivityStatus,
    entries: Option<&[AttendanceEntry]>,
    checks: &mut Checks,
) -> DomainResult<Vec<CleanEntry>> {
    let Some(entries) = entries else { return Ok(Vec::new()) };
    if status != ActivityStatus::Held {
        checks.fail(
            "attendance",
            "only with status held; a planned activity's attendance is recorded with PUT /activities/{id}/attendance",
        );
        return Ok(Vec::new());
    }
    check_entry_count("attendance", entries.len())?;
    let listed = match a.date {
        Some(date) => default_participants(db, organiser, date).await?,
        None => Vec::new(),
    };
    let ids: Vec<i64> = entries.iter().map(|e| e.teacher_id).collect();
    let visible = visible_teachers(db, actor, &ids).await?;
    Ok(clean_entries(checks, "attendance", entries, &listed, &visible))
}
