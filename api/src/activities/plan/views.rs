//! What the activity endpoints accept and answer.

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::{ActivityStatus, ActivityType, LessonKind, Modality, OrganiserKind};
use entities::{activity, activity_lesson};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::{format_time, missing_four_fixed, summary_late};
use crate::activities::attendance::views::AttendanceEntry;
use crate::validate::nullable;

/// A lesson taught at an activity (公开课, 研究课 ...).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"position": 0, "teacher_id": 3, "subject": "语文", "grade": 2, "class_name": "二(1)班",
    "lesson_kind": "research", "title": "《小蝌蚪找妈妈》"}))]
pub struct LessonView {
    /// Order within the activity, from 0.
    pub position: i32,
    pub teacher_id: i64,
    pub subject: String,
    pub grade: Option<i32>,
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    pub title: Option<String>,
}

impl From<activity_lesson::Model> for LessonView {
    fn from(m: activity_lesson::Model) -> Self {
        LessonView {
            position: m.position,
            teacher_id: m.teacher_id,
            subject: m.subject,
            grade: m.grade,
            class_name: m.class_name,
            lesson_kind: m.lesson_kind,
            title: m.title,
        }
    }
}

/// An activity as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = activity_example)]
pub struct ActivityView {
    pub id: i64,
    pub district_id: i64,
    pub organiser_kind: OrganiserKind,
    /// The organising group, school, zone or district (by `organiser_kind`).
    pub organiser_id: i64,
    pub group_id: Option<i64>,
    /// The school whose activity this is; none for zone and district activities.
    pub school_id: Option<i64>,
    pub zone_id: Option<i64>,
    /// The school pairing (城乡结对, 送教下乡) this activity belongs to.
    pub pairing_id: Option<i64>,
    /// Where a cross-school activity takes place.
    pub host_school_id: Option<i64>,
    pub semester_id: i64,
    pub activity_type: ActivityType,
    pub title: String,
    /// 定内容.
    pub topic: Option<String>,
    /// 定时间: the school-local (UTC+8) day.
    pub date: Option<NaiveDate>,
    /// `HH:MM`.
    pub start_time: Option<String>,
    /// `HH:MM`.
    pub end_time: Option<String>,
    pub start_period: Option<i32>,
    pub end_period: Option<i32>,
    /// 定地点.
    pub venue: Option<String>,
    pub meeting_url: Option<String>,
    pub modality: Modality,
    /// 定主讲人: one of our teachers …
    pub lead_speaker_teacher_id: Option<i64>,
    /// … or someone else (a district 教研员, a guest).
    pub lead_speaker_name: Option<String>,
    pub description: Option<String>,
    pub status: ActivityStatus,
    pub cancel_reason: Option<String>,
    /// The weekly slot that generated this activity, and the day it was generated for.
    pub slot_id: Option<i64>,
    pub generated_for: Option<NaiveDate>,
    /// 纪要 / 活动记载.
    pub minutes: Option<String>,
    /// 简报.
    pub summary: Option<String>,
    /// When the summary is due (set on scheduling, from the activity policy).
    pub summary_due_on: Option<NaiveDate>,
    /// When the summary was first written.
    pub summary_submitted_at: Option<DateTime<Utc>>,
    /// Submitted after the due day (UTC+8), or the due day passed without one.
    pub summary_late: bool,
    /// The fields of the missing "四定" (`date`, `start_time`, `topic`, `venue`,
    /// `lead_speaker_teacher_id`); empty when the activity may be scheduled.
    pub missing_for_schedule: Vec<String>,
    pub lessons: Vec<LessonView>,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set by DELETE (withdrawn, e.g. entered by mistake): unlike status `archived` (归档, a filed
    /// record), the activity leaves lists.
    pub archived_at: Option<DateTime<Utc>>,
}

impl ActivityView {
    pub fn new(m: activity::Model, lessons: Vec<activity_lesson::Model>, today: NaiveDate) -> Self {
        let missing_for_schedule = missing_four_fixed(&m).into_iter().map(|f| f.field.to_string()).collect();
        let summary_late = summary_late(m.status, m.summary_due_on, m.summary_submitted_at, today);
        let organiser_id = match m.organiser_kind {
            OrganiserKind::Group => m.group_id,
            OrganiserKind::School => m.school_id,
            OrganiserKind::Zone => m.zone_id,
            OrganiserKind::District => Some(m.district_id),
        }
        .unwrap_or_default();
        let mut lessons = lessons;
        lessons.sort_by_key(|l| (l.position, l.id));
        ActivityView {
            id: m.id,
            district_id: m.district_id,
            organiser_kind: m.organiser_kind,
            organiser_id,
            group_id: m.group_id,
            school_id: m.school_id,
            zone_id: m.zone_id,
            pairing_id: m.pairing_id,
            host_school_id: m.host_school_id,
            semester_id: m.semester_id,
            activity_type: m.activity_type,
            title: m.title,
            topic: m.topic,
            date: m.date,
            start_time: m.start_time.map(format_time),
            end_time: m.end_time.map(format_time),
            start_period: m.start_period,
            end_period: m.end_period,
            venue: m.venue,
            meeting_url: m.meeting_url,
            modality: m.modality,
            lead_speaker_teacher_id: m.lead_speaker_teacher_id,
            lead_speaker_name: m.lead_speaker_name,
            description: m.description,
            status: m.status,
            cancel_reason: m.cancel_reason,
            slot_id: m.slot_id,
            generated_for: m.generated_for,
            minutes: m.minutes,
            summary: m.summary,
            summary_due_on: m.summary_due_on,
            summary_submitted_at: m.summary_submitted_at,
            summary_late,
            missing_for_schedule,
            lessons: lessons.into_iter().map(LessonView::from).collect(),
            created_by_user_id: m.created_by_user_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// The example of [`ActivityView`], built in parts: one `json!` of it all is deeper than the
/// macro recursion limit.
fn activity_example() -> serde_json::Value {
    let mut example = serde_json::json!({"id": 7, "district_id": 1, "organiser_kind": "group", "organiser_id": 2,
        "group_id": 2, "school_id": 1, "zone_id": null, "pairing_id": null, "host_school_id": null, "semester_id": 1,
        "activity_type": "lesson_study", "title": "二年级识字课例研讨", "topic": "低年级识字教学的有效性"});
    let parts = [
        serde_json::json!({"date": "2026-10-15", "start_time": "14:30", "end_time": "16:00", "start_period": 6,
            "end_period": 7, "venue": "语文教研室", "meeting_url": null, "modality": "on_site",
            "lead_speaker_teacher_id": 3, "lead_speaker_name": null, "description": null}),
        serde_json::json!({"status": "scheduled", "cancel_reason": null, "slot_id": null, "generated_for": null,
            "minutes": null, "summary": null, "summary_due_on": "2026-10-20", "summary_submitted_at": null,
            "summary_late": false, "missing_for_schedule": []}),
        serde_json::json!({"lessons": [{"position": 0, "teacher_id": 3, "subject": "语文", "grade": 2,
            "class_name": "二(1)班", "lesson_kind": "research", "title": "《小蝌蚪找妈妈》"}],
            "created_by_user_id": 5, "created_at": "2026-09-20T08:00:00Z", "updated_at": "2026-09-20T08:00:00Z",
            "archived_at": null}),
    ];
    for part in parts {
        if let (Some(all), serde_json::Value::Object(part)) = (example.as_object_mut(), part) {
            all.extend(part);
        }
    }
    example
}

/// A lesson to be taught at the activity.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"teacher_id": 3, "subject": "语文", "grade": 2, "class_name": "二(1)班",
    "lesson_kind": "research", "title": "《小蝌蚪找妈妈》"}))]
pub struct LessonInput {
    /// The teaching teacher: a live teacher of the activity's school or host school (any school
    /// of the district for zone and district activities) that the caller can see.
    pub teacher_id: i64,
    #[schema(min_length = 1, max_length = 32)]
    pub subject: String,
    #[schema(minimum = 1, maximum = 6)]
    pub grade: Option<i32>,
    #[schema(max_length = 32)]
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    #[schema(max_length = 200)]
    pub title: Option<String>,
}

/// A new activity. Only `organiser_kind`, `organiser_id`, `semester_id`, `activity_type` and
/// `title` are required for a draft; `status: scheduled` needs the "四定" as well. An activity that
/// already took place is recorded in one call with `status: held`, its "四定", lessons and
/// `attendance`: all of it is stored, or nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organiser_kind": "group", "organiser_id": 2, "semester_id": 1,
    "activity_type": "lesson_study", "title": "二年级识字课例研讨", "topic": "低年级识字教学的有效性",
    "date": "2026-10-15", "start_time": "14:30", "end_time": "16:00", "venue": "语文教研室",
    "lead_speaker_teacher_id": 3,
    "lessons": [{"teacher_id": 3, "subject": "语文", "grade": 2, "lesson_kind": "research"}], "status": "scheduled"}))]
pub struct NewActivity {
    pub organiser_kind: OrganiserKind,
    /// The group, school, zone or district (its own id) that organises the activity.
    pub organiser_id: i64,
    /// A live semester of the organiser's district.
    pub semester_id: i64,
    pub activity_type: ActivityType,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(max_length = 500)]
    pub topic: Option<String>,
    /// Within the semester.
    pub date: Option<NaiveDate>,
    /// `HH:MM`.
    pub start_time: Option<String>,
    /// `HH:MM`, after `start_time`.
    pub end_time: Option<String>,
    #[schema(minimum = 1, maximum = 12)]
    pub start_period: Option<i32>,
    #[schema(minimum = 1, maximum = 12)]
    pub end_period: Option<i32>,
    #[schema(max_length = 200)]
    pub venue: Option<String>,
    /// `http://` or `https://`.
    #[schema(max_length = 500)]
    pub meeting_url: Option<String>,
    /// Default `on_site`.
    pub modality: Option<Modality>,
    pub lead_speaker_teacher_id: Option<i64>,
    #[schema(max_length = 100)]
    pub lead_speaker_name: Option<String>,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    /// A live school of the same district, other than the activity's own.
    pub host_school_id: Option<i64>,
    /// A live school pairing including the activity's school; the host becomes the other school.
    pub pairing_id: Option<i64>,
    /// At most 20.
    #[schema(max_items = 20)]
    pub lessons: Option<Vec<LessonInput>>,
    /// `draft` (default), `scheduled`, or `held` for a session that took place (on or before
    /// today, UTC+8). `held` needs the "四定" like `scheduled`; `cancelled` and `archived` are
    /// reached through the life cycle only.
    pub status: Option<ActivityStatus>,
    /// With `status: held` only: the attendance, as `PUT /activities/{id}/attendance` takes it
    /// (at most 500 entries, each teacher once), recorded once the organiser's people are listed
    /// as expected, as scheduling lists them.
    #[schema(max_items = 500)]
    pub attendance: Option<Vec<AttendanceEntry>>,
}

/// Changes to an activity; absent fields stay as they are, `null` clears, `lessons` is replaced
/// whole. `status` moves it along its life cycle.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "scheduled", "venue": "多功能教室"}))]
pub struct ActivityPatch {
    pub semester_id: Option<i64>,
    pub activity_type: Option<ActivityType>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub topic: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub start_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub end_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 12)]
    pub start_period: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 12)]
    pub end_period: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub venue: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub meeting_url: Option<Option<String>>,
    pub modality: Option<Modality>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub lead_speaker_teacher_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub lead_speaker_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub host_school_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub pairing_id: Option<Option<i64>>,
    /// Replaces the lessons whole (`null` or `[]` removes them).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<LessonInput>>, max_items = 20)]
    pub lessons: Option<Option<Vec<LessonInput>>>,
    /// The next status: draft → scheduled → held → archived, draft|scheduled → cancelled,
    /// scheduled → draft.
    pub status: Option<ActivityStatus>,
    /// With `status: cancelled` only.
    #[schema(max_length = 500)]
    pub cancel_reason: Option<String>,
    /// 纪要: while scheduled or held.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 50000)]
    pub minutes: Option<Option<String>>,
    /// 简报: while held. The first one sets `summary_submitted_at`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 50000)]
    pub summary: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActivityFilter {
    pub semester_id: Option<i64>,
    pub organiser_kind: Option<OrganiserKind>,
    pub group_id: Option<i64>,
    /// Activities of this school, or hosted by it.
    pub school_id: Option<i64>,
    /// Activities organised by this zone, or of a school of it.
    pub zone_id: Option<i64>,
    pub pairing_id: Option<i64>,
    /// Activities generated from this weekly slot.
    pub slot_id: Option<i64>,
    /// Comma-separated activity types, e.g. `collective_prep,lesson_study`.
    pub activity_type: Option<String>,
    /// Comma-separated statuses, e.g. `scheduled,held`.
    pub status: Option<String>,
    pub modality: Option<Modality>,
    /// Activities this teacher leads, teaches a lesson at, or is listed as a participant of.
    pub teacher_id: Option<i64>,
    /// On or after this day.
    pub date_from: Option<NaiveDate>,
    /// On or before this day.
    pub date_to: Option<NaiveDate>,
    /// Title or topic contains this text.
    pub q: Option<String>,
    /// Include activities withdrawn with DELETE (default false).
    pub include_archived: Option<bool>,
    /// `date` (then start time), `created_at`, `title` or `id`; prefix `-` for descending.
    /// Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
