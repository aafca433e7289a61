//! The endpoints: extract, call, respond.

use super::super::queries::{district_semester, load_mentorship, observations_between};
use super::super::views::{Direction, LogCounts, LogEntry, LogFilter, MentorshipLog};
use super::rules::*;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::state::State;
use actix_web::{get, web};
use entities::observation;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// The pair's observations, either way, in date order (then by id), with counts per direction.
/// Archived observations are left out.
#[utoipa::path(
    tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id"), LogFilter),
    responses((status = 200, description = "The pair's observation log", body = MentorshipLog))
)]
#[get("/mentorships/{id}/log")]
pub async fn mentorship_log(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    filter: Query<LogFilter>,
) -> ApiResult<web::Json<MentorshipLog>> {
    use observation::Column as C;
    let pair = load_mentorship(&state.db, &actor, id.into_inner()).await?;
    let (mentor, mentee) = (pair.mentor_teacher_id, pair.mentee_teacher_id);
    let mut query =
        observation::Entity::find().filter(C::ArchivedAt.is_null()).filter(observations_between(mentor, mentee));
    if let Some(s) = filter.0.semester_id {
        if district_semester(&state.db, pair.district_id, s).await?.is_none() {
            return Err(ApiError::invalid("semester_id", "no such semester in the pair's district"));
        }
        query = query.filter(C::SemesterId.eq(s));
    }
    let found = query.order_by_asc(C::ObservedOn).order_by_asc(C::Id).all(&state.db).await?;
    let mut counts = LogCounts::default();
    let entries: Vec<LogEntry> = found
        .into_iter()
        .filter_map(|o| {
            let direction = direction(mentor, mentee, o.observer_teacher_id, o.observed_teacher_id)?;
            match direction {
                Direction::MentorObservedMentee => counts.mentor_observed_mentee += 1,
                Direction::MenteeObservedMentor => counts.mentee_observed_mentor += 1,
            }
            Some(LogEntry {
                observation_id: o.id,
                direction,
                observed_on: o.observed_on,
                semester_id: o.semester_id,
                subject: o.subject,
                grade: o.grade,
                class_name: o.class_name,
                lesson_kind: o.lesson_kind,
                lesson_title: o.lesson_title,
                activity_id: o.activity_id,
                critique_given: o.critique_given,
                strengths_count: o.strengths_count,
                weaknesses_count: o.weaknesses_count,
                suggestions_count: o.suggestions_count,
            })
        })
        .collect();
    counts.total = entries.len() as u64;
    Ok(web::Json(MentorshipLog {
        mentorship_id: pair.id,
        mentor_teacher_id: mentor,
        mentee_teacher_id: mentee,
        semester_id: filter.0.semester_id,
        counts,
        entries,
    }))
}
