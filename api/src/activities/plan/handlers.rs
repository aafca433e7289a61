//! `/activities`: create, list, read, change (with the status life cycle) and withdraw.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use entities::enums::{ActivityStatus, ActivityType, Modality};
use entities::{activity, activity_lesson, activity_participant, school};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use super::error::{PlanError, PlanResult};
use super::lessons::{clean_lessons, lessons_of, replace_lessons, CleanLesson};
use super::refs::{check_date_in, check_host_and_pairing, check_semester, check_teacher};
use super::rules::{
    check_timing, is_read_only, minutes_writable, missing_four_fixed, needs_four_fixed, parse_time, summary_writable,
    transition_allowed,
};
use super::views::{ActivityFilter, ActivityPatch, ActivityView, LessonInput, NewActivity};
use crate::activities::access::{
    find_organiser, load_activity, organiser_of, require_runs, visible_activities, Organiser,
};
use crate::activities::participants::add_default_participants;
use crate::activities::policy::{effective_policy, place_of};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{Page, Paging};
use crate::resource::{archive, created, no_content, now, text_contains};
use crate::state::State;
use crate::validate::{comma_list, Checks};

/// The view of one stored activity, with its lessons.
pub async fn view_of(db: &impl ConnectionTrait, a: activity::Model) -> ApiResult<ActivityView> {
    let lessons = lessons_of(db, &[a.id]).await?.remove(&a.id).unwrap_or_default();
    Ok(ActivityView::new(a, lessons, today()))
}

/// `Some(Some(text))` trimmed and bounded, `Some(None)` (or an empty text) clears.
fn patch_text(checks: &mut Checks, field: &str, value: &Option<Option<String>>, max: usize) -> Option<Option<String>> {
    value.as_ref().map(|v| checks.optional_text(field, v.as_deref(), max))
}

fn check_meeting_url(checks: &mut Checks, url: Option<&str>) {
    if let Some(url) = url {
        checks.ensure(
            url.starts_with("https://") || url.starts_with("http://"),
            "meeting_url",
            "must be an http:// or https:// address",
        );
    }
}

/// Checks the lead speaker and the lessons' teachers against the activity as it will be.
async fn check_people(
    db: &impl ConnectionTrait,
    actor: &Actor,
    a: &activity::Model,
    lead_changed: bool,
    lessons: Option<&[CleanLesson]>,
    checks: &mut Checks,
) -> ApiResult<()> {
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
async fn enter_scheduled(db: &impl ConnectionTrait, a: &activity::Model, organiser: &Organiser) -> ApiResult<()> {
    if let Some(date) = a.date {
        add_default_participants(db, a, organiser, date).await?;
    }
    Ok(())
}

/// The summary's due day for the activity as it stands (none without a date).
async fn summary_due(db: &impl ConnectionTrait, a: &activity::Model) -> ApiResult<Option<NaiveDate>> {
    let Some(date) = a.date else { return Ok(None) };
    Ok(effective_policy(db, place_of(db, a).await?).await?.summary_due_on(date))
}

fn refuse_incomplete(a: &activity::Model) -> PlanResult<()> {
    let missing = missing_four_fixed(a);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(PlanError::Incomplete(missing))
    }
}

/// List the activities the caller can see.
#[utoipa::path(
    tag = "activities",
    params(ActivityFilter),
    responses((status = 200, description = "A page of activities", body = Page<ActivityView>))
)]
#[get("/activities")]
pub(super) async fn list_activities(
    state: State,
    actor: Actor,
    filter: Query<ActivityFilter>,
) -> ApiResult<web::Json<Page<ActivityView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let mut cond = Condition::all().add(visible_activities(&actor));
    let statuses: Vec<ActivityStatus> = parse_codes(f.status.as_deref(), "status")?;
    let types: Vec<ActivityType> = parse_codes(f.activity_type.as_deref(), "activity_type")?;
    if !statuses.is_empty() {
        cond = cond.add(activity::Column::Status.is_in(statuses));
    }
    if !types.is_empty() {
        cond = cond.add(activity::Column::ActivityType.is_in(types));
    }
    if let Some(s) = f.semester_id {
        cond = cond.add(activity::Column::SemesterId.eq(s));
    }
    if let Some(k) = f.organiser_kind {
        cond = cond.add(activity::Column::OrganiserKind.eq(k));
    }
    if let Some(g) = f.group_id {
        cond = cond.add(activity::Column::GroupId.eq(g));
    }
    if let Some(s) = f.school_id {
        cond =
            cond.add(Condition::any().add(activity::Column::SchoolId.eq(s)).add(activity::Column::HostSchoolId.eq(s)));
    }
    if let Some(z) = f.zone_id {
        let schools_of_zone =
            school::Entity::find().select_only().column(school::Column::Id).filter(school::Column::ZoneId.eq(z));
        cond = cond.add(
            Condition::any()
                .add(activity::Column::ZoneId.eq(z))
                .add(activity::Column::SchoolId.in_subquery(schools_of_zone.into_query())),
        );
    }
    if let Some(p) = f.pairing_id {
        cond = cond.add(activity::Column::PairingId.eq(p));
    }
    if let Some(slot) = f.slot_id {
        cond = cond.add(activity::Column::SlotId.eq(slot));
    }
    if let Some(m) = f.modality {
        cond = cond.add(activity::Column::Modality.eq(m));
    }
    if let Some(t) = f.teacher_id {
        let teaches = activity_lesson::Entity::find()
            .select_only()
            .column(activity_lesson::Column::ActivityId)
            .filter(activity_lesson::Column::TeacherId.eq(t));
        let listed = activity_participant::Entity::find()
            .select_only()
            .column(activity_participant::Column::ActivityId)
            .filter(activity_participant::Column::TeacherId.eq(t));
        cond = cond.add(
            Condition::any()
                .add(activity::Column::LeadSpeakerTeacherId.eq(t))
                .add(activity::Column::Id.in_subquery(teaches.into_query()))
                .add(activity::Column::Id.in_subquery(listed.into_query())),
        );
    }
    if let Some(d) = f.date_from {
        cond = cond.add(activity::Column::Date.gte(d));
    }
    if let Some(d) = f.date_to {
        cond = cond.add(activity::Column::Date.lte(d));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(text_contains(activity::Column::Title, q))
                .add(text_contains(activity::Column::Topic, q)),
        );
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(activity::Column::ArchivedAt.is_null());
    }
    let query = sort_activities(activity::Entity::find().filter(cond), f.sort.as_deref())?;
    let total = sea_orm::PaginatorTrait::count(query.clone(), &state.db).await?;
    let rows = query.limit(paging.limit).offset(paging.offset).all(&state.db).await?;
    let mut lessons = lessons_of(&state.db, &rows.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
    let today = today();
    let items = rows
        .into_iter()
        .map(|a| {
            let l = lessons.remove(&a.id).unwrap_or_default();
            ActivityView::new(a, l, today)
        })
        .collect();
    Ok(web::Json(Page::new(items, total, paging)))
}

/// Parses a comma list of enumeration codes; an unknown code is a 422 on `field`.
fn parse_codes<T: serde::de::DeserializeOwned>(value: Option<&str>, field: &str) -> ApiResult<Vec<T>> {
    comma_list(value)
        .into_iter()
        .map(|code| {
            serde_json::from_value(serde_json::Value::String(code.clone()))
                .map_err(|_| ApiError::invalid(field, format!("unknown value {code:?}")))
        })
        .collect()
}

/// `date` orders by day then start time (then id); the others by their column then id.
fn sort_activities(
    select: sea_orm::Select<activity::Entity>,
    sort: Option<&str>,
) -> ApiResult<sea_orm::Select<activity::Entity>> {
    let sort = sort.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("id");
    let (name, order) = match sort.strip_prefix('-') {
        Some(name) => (name, Order::Desc),
        None => (sort, Order::Asc),
    };
    let select = match name {
        "date" => select
            .order_by(activity::Column::Date, order.clone())
            .order_by(activity::Column::StartTime, order.clone())
            .order_by(activity::Column::StartPeriod, order),
        "created_at" => select.order_by(activity::Column::CreatedAt, order),
        "title" => select.order_by(activity::Column::Title, order),
        "id" => select.order_by(activity::Column::Id, order),
        _ => {
            return Err(ApiError::invalid(
                "sort",
                "must be one of date, created_at, title, id (prefix - for descending)",
            ))
        }
    };
    Ok(select.order_by(activity::Column::Id, Order::Asc))
}

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
    let (a, lessons) = merge_patch(&state.db, &actor, &current, &body).await?;
    let mut a = a;
    a.status = to;
    if needs_four_fixed(to) {
        refuse_incomplete(&a)?;
    }
    if to == ActivityStatus::Held && from != ActivityStatus::Held && a.date.is_some_and(|d| d > today()) {
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

/// Applies a PATCH to the stored activity and validates the result (the life cycle aside).
/// Returns the activity as it would be, and the new lessons when the PATCH carries them.
async fn merge_patch(
    db: &impl ConnectionTrait,
    actor: &Actor,
    current: &activity::Model,
    body: &ActivityPatch,
) -> ApiResult<(activity::Model, Option<Vec<CleanLesson>>)> {
    let mut checks = Checks::new();
    let mut a = current.clone();
    if let Some(title) = &body.title {
        a.title = checks.text("title", title, 200);
    }
    if let Some(t) = body.activity_type {
        a.activity_type = t;
    }
    if let Some(s) = body.semester_id {
        a.semester_id = s;
    }
    if let Some(topic) = patch_text(&mut checks, "topic", &body.topic, 500) {
        a.topic = topic;
    }
    if let Some(date) = body.date {
        a.date = date;
    }
    if let Some(t) = &body.start_time {
        a.start_time = t.as_deref().and_then(|t| parse_time(&mut checks, "start_time", t));
    }
    if let Some(t) = &body.end_time {
        a.end_time = t.as_deref().and_then(|t| parse_time(&mut checks, "end_time", t));
    }
    if let Some(p) = body.start_period {
        a.start_period = p;
    }
    if let Some(p) = body.end_period {
        a.end_period = p;
    }
    if let Some(venue) = patch_text(&mut checks, "venue", &body.venue, 200) {
        a.venue = venue;
    }
    if let Some(url) = patch_text(&mut checks, "meeting_url", &body.meeting_url, 500) {
        a.meeting_url = url;
    }
    if let Some(m) = body.modality {
        a.modality = m;
    }
    if let Some(lead) = body.lead_speaker_teacher_id {
        a.lead_speaker_teacher_id = lead;
    }
    if let Some(name) = patch_text(&mut checks, "lead_speaker_name", &body.lead_speaker_name, 100) {
        a.lead_speaker_name = name;
    }
    if let Some(d) = patch_text(&mut checks, "description", &body.description, 5000) {
        a.description = d;
    }
    if let Some(m) = patch_text(&mut checks, "minutes", &body.minutes, 50000) {
        a.minutes = m;
    }
    if let Some(s) = patch_text(&mut checks, "summary", &body.summary, 50000) {
        a.summary = s;
    }
    if let Some(reason) = &body.cancel_reason {
        checks.ensure(body.status == Some(ActivityStatus::Cancelled), "cancel_reason", "only with status cancelled");
        checks.optional_text("cancel_reason", Some(reason), 500);
    }
    check_meeting_url(&mut checks, a.meeting_url.as_deref());
    check_timing(&mut checks, &a);
    if body.semester_id.is_some() || body.date.is_some() {
        if let Some(semester) = check_semester(db, a.district_id, a.semester_id, &mut checks).await? {
            check_date_in(&mut checks, &a, &semester);
        }
    }
    if body.pairing_id.is_some() || body.host_school_id.is_some() {
        if let Some(p) = body.pairing_id {
            a.pairing_id = p;
        }
        let host_given = matches!(body.host_school_id, Some(Some(_)));
        if let Some(h) = body.host_school_id {
            a.host_school_id = h;
        } else if body.pairing_id == Some(None) {
            // Leaving the pairing also leaves its host school, unless a host is given.
            a.host_school_id = None;
        }
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
