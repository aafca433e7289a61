//! The endpoints: extract, call, respond.

use super::rules::*;
use super::views::*;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::org::pairings::load_school_pairing;
use crate::state::State;
use actix_web::{get, web};
use entities::enums::ActivityStatus;
use entities::{activity, activity_lesson, observation, semester};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// A pairing's activities (not archived) in date order, with their lessons and the observations
/// made at them by teachers of the two schools, and counts.
#[utoipa::path(
    tag = "school-pairings",
    params(("id" = i64, Path, description = "Pairing id"), PairingLogFilter),
    responses((status = 200, description = "The pairing's log", body = SchoolPairingLog))
)]
#[get("/school-pairings/{id}/log")]
pub(super) async fn school_pairing_log(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    filter: Query<PairingLogFilter>,
) -> ApiResult<web::Json<SchoolPairingLog>> {
    let pairing = load_school_pairing(&state.db, &actor, id.into_inner()).await?;
    let mut query = activity::Entity::find()
        .filter(activity::Column::PairingId.eq(pairing.id))
        .filter(activity::Column::ArchivedAt.is_null());
    if let Some(s) = filter.0.semester_id {
        let known =
            semester::Entity::find_by_id(s).one(&state.db).await?.is_some_and(|s| s.district_id == pairing.district_id);
        if !known {
            return Err(ApiError::invalid("semester_id", "no such semester in the pairing's district"));
        }
        query = query.filter(activity::Column::SemesterId.eq(s));
    }
    let mut activities = query.all(&state.db).await?;
    activities.sort_by(date_order);
    let ids: Vec<i64> = activities.iter().map(|a| a.id).collect();
    let lessons = activity_lesson::Entity::find()
        .filter(activity_lesson::Column::ActivityId.is_in(ids.clone()))
        .order_by_asc(activity_lesson::Column::Position)
        .order_by_asc(activity_lesson::Column::Id)
        .all(&state.db)
        .await?;
    let observations = observation::Entity::find()
        .filter(observation::Column::ActivityId.is_in(ids))
        .filter(observation::Column::ArchivedAt.is_null())
        .filter(observation::Column::ObserverSchoolId.is_in([pairing.mentor_school_id, pairing.partner_school_id]))
        .order_by_asc(observation::Column::ObservedOn)
        .order_by_asc(observation::Column::Id)
        .all(&state.db)
        .await?;
    let counts = PairingLogCounts {
        activities: activities.len() as u64,
        held: activities.iter().filter(|a| matches!(a.status, ActivityStatus::Held | ActivityStatus::Archived)).count()
            as u64,
        lessons: lessons.len() as u64,
        observations: observations.len() as u64,
    };
    let mut lessons_of: HashMap<i64, Vec<PairingLessonView>> = HashMap::new();
    for l in lessons {
        lessons_of.entry(l.activity_id).or_default().push(PairingLessonView {
            id: l.id,
            teacher_id: l.teacher_id,
            subject: l.subject,
            grade: l.grade,
            class_name: l.class_name,
            lesson_kind: l.lesson_kind,
            title: l.title,
        });
    }
    let mut observations_of: HashMap<i64, Vec<PairingObservationView>> = HashMap::new();
    for o in observations {
        let Some(activity_id) = o.activity_id else { continue };
        observations_of.entry(activity_id).or_default().push(PairingObservationView {
            id: o.id,
            observer_teacher_id: o.observer_teacher_id,
            observer_school_id: o.observer_school_id,
            observed_teacher_id: o.observed_teacher_id,
            observed_on: o.observed_on,
            subject: o.subject,
            lesson_kind: o.lesson_kind,
            critique_given: o.critique_given,
        });
    }
    let activities = activities
        .into_iter()
        .map(|a| PairingLogEntry {
            lessons: lessons_of.remove(&a.id).unwrap_or_default(),
            observations: observations_of.remove(&a.id).unwrap_or_default(),
            id: a.id,
            semester_id: a.semester_id,
            activity_type: a.activity_type,
            title: a.title,
            status: a.status,
            date: a.date,
            start_time: a.start_time,
            school_id: a.school_id,
            host_school_id: a.host_school_id,
        })
        .collect();
    Ok(web::Json(SchoolPairingLog {
        pairing_id: pairing.id,
        mentor_school_id: pairing.mentor_school_id,
        partner_school_id: pairing.partner_school_id,
        semester_id: filter.0.semester_id,
        counts,
        activities,
    }))
}
