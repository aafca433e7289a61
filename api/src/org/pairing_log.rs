//! A school pairing's log (城乡结对, 送教下乡): its activities, the lessons taught at them and the
//! observations made at them.
//!
//! Whoever sees the pairing (staff of either school, the district's administrators) reads the
//! whole log: sharing it between the two schools is what the pairing is for. Observations are
//! listed when made by a teacher of one of the two schools.

use std::collections::HashMap;

use actix_web::{get, web};
use chrono::{NaiveDate, NaiveTime};
use entities::enums::{ActivityStatus, ActivityType, LessonKind};
use entities::{activity, activity_lesson, observation, semester};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::org::pairings::load_school_pairing;
use crate::state::State;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(school_pairing_log);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PairingLogFilter {
    /// Only activities of this semester.
    pub semester_id: Option<i64>,
}

/// A lesson taught at a pairing activity.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 5, "teacher_id": 12, "subject": "语文", "grade": 3, "class_name": "三(1)班",
    "lesson_kind": "demo", "title": "秋天的雨"}))]
pub struct PairingLessonView {
    pub id: i64,
    pub teacher_id: i64,
    pub subject: String,
    pub grade: Option<i32>,
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    pub title: Option<String>,
}

/// An observation made at a pairing activity.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 40, "observer_teacher_id": 30, "observer_school_id": 4, "observed_teacher_id": 12,
    "observed_on": "2026-10-15", "subject": "语文", "lesson_kind": "demo", "critique_given": true}))]
pub struct PairingObservationView {
    pub id: i64,
    pub observer_teacher_id: i64,
    pub observer_school_id: i64,
    pub observed_teacher_id: Option<i64>,
    pub observed_on: NaiveDate,
    pub subject: String,
    pub lesson_kind: LessonKind,
    pub critique_given: bool,
}

/// One activity of the pairing, with its lessons and observations.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 9, "semester_id": 1, "activity_type": "outreach", "title": "送教下乡：三年级语文",
    "status": "held", "date": "2026-10-15", "start_time": "14:00:00", "school_id": 3, "host_school_id": 4,
    "lessons": [{"id": 5, "teacher_id": 12, "subject": "语文", "grade": 3, "class_name": "三(1)班",
    "lesson_kind": "demo", "title": "秋天的雨"}],
    "observations": [{"id": 40, "observer_teacher_id": 30, "observer_school_id": 4, "observed_teacher_id": 12,
    "observed_on": "2026-10-15", "subject": "语文", "lesson_kind": "demo", "critique_given": true}]}))]
pub struct PairingLogEntry {
    pub id: i64,
    pub semester_id: i64,
    pub activity_type: ActivityType,
    pub title: String,
    pub status: ActivityStatus,
    pub date: Option<NaiveDate>,
    pub start_time: Option<NaiveTime>,
    pub school_id: Option<i64>,
    pub host_school_id: Option<i64>,
    /// In their order at the activity.
    pub lessons: Vec<PairingLessonView>,
    /// In date order, then by id.
    pub observations: Vec<PairingObservationView>,
}

/// What the log holds.
#[derive(Debug, Default, Serialize, ToSchema)]
#[schema(example = json!({"activities": 3, "held": 2, "lessons": 4, "observations": 9}))]
pub struct PairingLogCounts {
    pub activities: u64,
    /// Activities held (or held and archived).
    pub held: u64,
    pub lessons: u64,
    pub observations: u64,
}

/// A school pairing's log.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"pairing_id": 2, "mentor_school_id": 3, "partner_school_id": 4, "semester_id": null,
    "counts": {"activities": 1, "held": 1, "lessons": 1, "observations": 1},
    "activities": [{"id": 9, "semester_id": 1, "activity_type": "outreach", "title": "送教下乡：三年级语文",
    "status": "held", "date": "2026-10-15", "start_time": "14:00:00", "school_id": 3, "host_school_id": 4,
    "lessons": [], "observations": []}]}))]
pub struct SchoolPairingLog {
    pub pairing_id: i64,
    pub mentor_school_id: i64,
    pub partner_school_id: i64,
    pub semester_id: Option<i64>,
    pub counts: PairingLogCounts,
    /// In date order (undated drafts last), then by id.
    pub activities: Vec<PairingLogEntry>,
}

/// Undated activities (drafts) sort after dated ones.
fn date_order(a: &activity::Model, b: &activity::Model) -> std::cmp::Ordering {
    (a.date.is_none(), a.date, a.start_time, a.id).cmp(&(b.date.is_none(), b.date, b.start_time, b.id))
}

/// A pairing's activities (not archived) in date order, with their lessons and the observations
/// made at them by teachers of the two schools, and counts.
#[utoipa::path(
    tag = "school-pairings",
    params(("id" = i64, Path, description = "Pairing id"), PairingLogFilter),
    responses((status = 200, description = "The pairing's log", body = SchoolPairingLog))
)]
#[get("/school-pairings/{id}/log")]
async fn school_pairing_log(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undated_activities_sort_last() {
        let dated = |id, d: Option<NaiveDate>| activity::Model { id, date: d, ..blank() };
        let mut list = [
            dated(1, None),
            dated(2, NaiveDate::from_ymd_opt(2026, 10, 2)),
            dated(3, NaiveDate::from_ymd_opt(2026, 9, 2)),
        ];
        list.sort_by(date_order);
        assert_eq!(list.iter().map(|a| a.id).collect::<Vec<_>>(), vec![3, 2, 1]);
    }

    fn blank() -> activity::Model {
        activity::Model {
            id: 0,
            school_id: None,
            organiser_kind: entities::enums::OrganiserKind::School,
            group_id: None,
            pairing_id: Some(1),
            activity_type: ActivityType::Outreach,
            title: "送教下乡".into(),
            ..crate::activities::sample_activity()
        }
    }
}
