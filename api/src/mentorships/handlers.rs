//! The mentorship pair endpoints: thin handlers over [`super::rules`] and [`super::queries`].

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use entities::enums::{MentorshipStatus, RuleEnforcement};
use entities::{mentorship, semester};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;

use super::policy::rules_for_school;
use super::queries::{
    district_semester, grades_of, honours_of, load_mentorship, lock_teachers, mentee_has_mentor, mentor_load,
    mentorships_matching, pairable_teacher, semester_by_id, start_semester,
};
use super::rules::{
    capacity_of, capacity_refusal, check_days, clean_duties, grade_bands_differ, merge_patch, PatchSemesters, Rules,
    AGREEMENT_MAX, DEFAULT_DUTIES,
};
use super::views::{MentorshipFilter, MentorshipPatch, MentorshipView, NewMentorship};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

/// The days a pair spans: from its start semester's first day to its end semester's last.
fn span(start: &semester::Model, end: &semester::Model) -> (NaiveDate, NaiveDate) {
    (start.start_date, end.end_date)
}

/// The capacity (422 on `mentor_teacher_id`) and one-mentor-at-a-time (409 on
/// `mentee_teacher_id`) rules, for an active pair over `days`.
async fn check_capacity(
    db: &impl ConnectionTrait,
    rules: &Rules,
    mentor_id: i64,
    mentee_id: i64,
    days: (NaiveDate, NaiveDate),
    except: Option<i64>,
) -> ApiResult<()> {
    let capacity = capacity_of(rules, &honours_of(db, mentor_id).await?);
    if let Some(why) = capacity_refusal(capacity, mentor_load(db, mentor_id, days, except).await?) {
        return Err(ApiError::invalid("mentor_teacher_id", why));
    }
    if mentee_has_mentor(db, mentee_id, days, except).await? {
        return Err(ApiError::conflict(
            "mentee_teacher_id",
            "the mentee already has an active mentor in these semesters",
        ));
    }
    Ok(())
}

/// List the pairs of the schools the caller sees.
#[utoipa::path(tag = "mentorships", params(MentorshipFilter), responses((status = 200, description = "A page of pairs", body = Page<MentorshipView>)))]
#[get("/mentorships")]
pub async fn list_mentorships(
    state: State,
    actor: Actor,
    filter: Query<MentorshipFilter>,
) -> ApiResult<web::Json<Page<MentorshipView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = mentorships_matching(&state.db, &actor, &f).await?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(MentorshipView::from)))
}

/// Pair a mentor with a mentee of the same school (the school's and the district's
/// administrators). Refused (422 on `mentor_teacher_id`) when the mentor is at capacity; 409
/// when the mentee already has an active mentor in those semesters. A pair across grade bands
/// is refused or created with a warning, as the school's policy says.
#[utoipa::path(
    tag = "mentorships",
    request_body = NewMentorship,
    responses(
        (status = 201, description = "Created (with `warnings` when a rule is broken but only warned about)", body = MentorshipView),
        (status = 409, description = "The mentee already has an active mentor in these semesters", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/mentorships")]
pub async fn create_mentorship(state: State, actor: Actor, body: Json<NewMentorship>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let mut checks = Checks::new();
    let mentor = pairable_teacher(&state.db, &actor, body.mentor_teacher_id).await?;
    checks.ensure(mentor.is_some(), "mentor_teacher_id", "no such teacher");
    let mentee = if body.mentee_teacher_id == body.mentor_teacher_id {
        checks.fail("mentee_teacher_id", "must be another teacher than mentor_teacher_id");
        None
    } else {
        let found = pairable_teacher(&state.db, &actor, body.mentee_teacher_id).await?;
        checks.ensure(found.is_some(), "mentee_teacher_id", "no such teacher");
        found
    };
    let (Some((mentor, school)), Some((mentee, _))) = (mentor, mentee) else {
        checks.finish()?;
        return Err(ApiError::invalid("mentee_teacher_id", "no such teacher"));
    };
    if mentee.school_id != mentor.school_id {
        return Err(ApiError::invalid("mentee_teacher_id", "must be a teacher of the mentor's school"));
    }
    actor.require(actor.administers_school(school.district_id, school.id), "pair teachers of this school")?;

    let start = district_semester(&state.db, school.district_id, body.start_semester_id).await?;
    checks.ensure(start.is_some(), "start_semester_id", "no such semester in the school's district");
    let end = match body.end_semester_id {
        Some(id) => {
            let found = district_semester(&state.db, school.district_id, id).await?;
            checks.ensure(found.is_some(), "end_semester_id", "no such semester in the school's district");
            found
        }
        None => start.clone(),
    };
    let mut days = None;
    if let (Some(s), Some(e)) = (&start, &end) {
        checks.ensure(e.start_date >= s.start_date, "end_semester_id", "must not be before start_semester_id");
        let (first, last) = (body.start_date.unwrap_or(s.start_date), body.end_date.unwrap_or(e.end_date));
        if e.start_date >= s.start_date {
            check_days(&mut checks, first, last, (s.start_date, e.end_date));
        }
        days = Some((first, last));
    }
    let agreement = checks.optional_text("agreement", body.agreement.as_deref(), AGREEMENT_MAX);
    let duties = match &body.duties {
        Some(d) => clean_duties(&mut checks, d),
        None => DEFAULT_DUTIES.iter().map(|d| d.to_string()).collect(),
    };
    checks.finish()?;
    let (Some(start), Some(end), Some((start_date, end_date))) = (start, end, days) else {
        return Err(ApiError::invalid("start_semester_id", "no such semester in the school's district"));
    };
    let status = body.status.unwrap_or(MentorshipStatus::Active);

    let txn = crate::db::begin_write(&state.db).await?;
    lock_teachers(&txn, [mentor.id, mentee.id]).await?;
    let (rules, _) = rules_for_school(&txn, school.district_id, school.id).await?;
    if status == MentorshipStatus::Active {
        check_capacity(&txn, &rules, mentor.id, mentee.id, span(&start, &end), None).await?;
    }
    let mismatch = grade_bands_differ(&grades_of(&txn, mentor.id).await?, &grades_of(&txn, mentee.id).await?);
    if mismatch && rules.grade_band_rule == RuleEnforcement::Refuse {
        return Err(ApiError::invalid(
            "mentee_teacher_id",
            "the mentee teaches in another grade band than the mentor (结对教师原则上是本学段教师, seed 000), and this school's policy refuses such pairs",
        ));
    }
    let at = now();
    let saved = mentorship::ActiveModel {
        district_id: Set(school.district_id),
        school_id: Set(school.id),
        mentor_teacher_id: Set(mentor.id),
        mentee_teacher_id: Set(mentee.id),
        start_semester_id: Set(start.id),
        end_semester_id: Set(end.id),
        start_date: Set(start_date),
        end_date: Set(end_date),
        agreement: Set(agreement),
        duties: Set(Value::from(duties)),
        status: Set(status),
        grade_band_mismatch: Set(mismatch),
        assessment_grade: Set(None),
        assessment_comment: Set(None),
        reward: Set(None),
        assessed_on: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/mentorships/{}", saved.id), MentorshipView::from(saved)))
}

/// Get a pair.
#[utoipa::path(tag = "mentorships", params(("id" = i64, Path, description = "Mentorship id")), responses((status = 200, description = "The pair", body = MentorshipView)))]
#[get("/mentorships/{id}")]
pub async fn get_mentorship(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<MentorshipView>> {
    Ok(web::Json(load_mentorship(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change a pair's agreement, duties, end semester, status or assessment (the school's and the
/// district's administrators). Extending an active pair checks the mentor's capacity again.
#[utoipa::path(
    tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")),
    request_body = MentorshipPatch,
    responses(
        (status = 200, description = "Updated", body = MentorshipView),
        (status = 409, description = "The mentee already has an active mentor in the new semesters", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/mentorships/{id}")]
pub async fn update_mentorship(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<MentorshipPatch>,
) -> ApiResult<web::Json<MentorshipView>> {
    let body = body.0;
    let current = load_mentorship(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(current.district_id, current.school_id), "change this pair")?;
    let start = start_semester(&state.db, &current).await?;
    let new_end = match body.end_semester_id.filter(|e| *e != current.end_semester_id) {
        Some(e) => Some(district_semester(&state.db, current.district_id, e).await?),
        None => None,
    };
    let stored_end = match &new_end {
        Some(Some(_)) => None,
        _ => semester_by_id(&state.db, current.end_semester_id).await?,
    };
    let semesters = PatchSemesters {
        start: &start,
        new_end: new_end.as_ref().map(Option::as_ref),
        stored_end: stored_end.as_ref(),
    };
    let mut checks = Checks::new();
    let mut active = merge_patch(&mut checks, &current, &body, semesters, today());
    checks.finish()?;

    let txn = crate::db::begin_write(&state.db).await?;
    if let Some(Some(end)) = &new_end {
        // Only a longer pair can take a place it did not hold; shortening one is always allowed,
        // even under a policy that was tightened since.
        let old_end = semester_by_id(&txn, current.end_semester_id).await?;
        let longer = old_end.is_none_or(|old| end.end_date > old.end_date);
        let status = body.status.unwrap_or(current.status);
        if longer && status == MentorshipStatus::Active && current.archived_at.is_none() {
            lock_teachers(&txn, [current.mentor_teacher_id, current.mentee_teacher_id]).await?;
            let (rules, _) = rules_for_school(&txn, current.district_id, current.school_id).await?;
            let days = span(&start, end);
            check_capacity(&txn, &rules, current.mentor_teacher_id, current.mentee_teacher_id, days, Some(current.id))
                .await?;
        }
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// Archive a pair (the school's and the district's administrators). Idempotent.
#[utoipa::path(tag = "mentorships", params(("id" = i64, Path, description = "Mentorship id")), responses((status = 204, description = "Archived")))]
#[delete("/mentorships/{id}")]
pub async fn archive_mentorship(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_mentorship(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(current.district_id, current.school_id), "archive this pair")?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}
