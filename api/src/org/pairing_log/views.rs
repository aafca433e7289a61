//! Wire types: what the API reads and shows.

use chrono::{NaiveDate, NaiveTime};
use entities::enums::{ActivityStatus, ActivityType, LessonKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
