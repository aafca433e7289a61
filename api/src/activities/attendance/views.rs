//! What the attendance endpoints take and answer.

use chrono::{DateTime, NaiveDate, Utc};
use entities::activity_participant;
use entities::enums::{ActivityStatus, AttendanceStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::AttendanceCounts;

/// A teacher expected at (or walking into) an activity, with their attendance.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"teacher_id": 12, "teacher_name": "王老师", "expected": true, "status": "on_leave",
    "leave_reason": "外出培训", "signed_in_at": null, "recorded_by_user_id": 3, "updated_at": "2026-10-08T06:20:00Z"}))]
pub struct ParticipantView {
    pub teacher_id: i64,
    pub teacher_name: String,
    /// Invited (from the organiser's members or by hand); `false` for a walk-in.
    pub expected: bool,
    pub status: AttendanceStatus,
    /// Given with `on_leave` (请假) only.
    pub leave_reason: Option<String>,
    /// When the teacher signed in themselves (the first time; signing in again keeps it).
    pub signed_in_at: Option<DateTime<Utc>>,
    /// The account that last recorded this row (the teacher signing in, or the organiser).
    pub recorded_by_user_id: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

impl ParticipantView {
    pub fn new(m: activity_participant::Model, teacher_name: String) -> Self {
        ParticipantView {
            teacher_id: m.teacher_id,
            teacher_name,
            expected: m.expected,
            status: m.status,
            leave_reason: m.leave_reason,
            signed_in_at: m.signed_in_at,
            recorded_by_user_id: m.recorded_by_user_id,
            updated_at: m.updated_at,
        }
    }
}

/// An activity's attendance (考勤): its participants and the counts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"activity_id": 7, "activity_status": "held",
    "items": [{"teacher_id": 12, "teacher_name": "王老师", "expected": true, "status": "present", "leave_reason": null,
        "signed_in_at": "2026-10-08T06:28:00Z", "recorded_by_user_id": 5, "updated_at": "2026-10-08T06:28:00Z"}],
    "summary": {"expected": 2, "pending": 0, "present": 1, "late": 0, "on_leave": 1, "absent": 0, "walk_ins": 0,
        "attended": 1, "excused": 1, "rate": 1.0}}))]
pub struct AttendanceView {
    pub activity_id: i64,
    pub activity_status: ActivityStatus,
    /// The participants, by teacher id. School-level readers of a zone or district activity see
    /// only their own school's teachers here.
    pub items: Vec<ParticipantView>,
    /// Counts over every participant, whoever reads them.
    pub summary: AttendanceCounts,
}

/// Attendance to record, one entry per teacher (added when not yet listed).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"entries": [
    {"teacher_id": 12, "status": "present"},
    {"teacher_id": 13, "status": "on_leave", "leave_reason": "外出培训"},
    {"teacher_id": 14, "status": "late", "expected": false}]}))]
pub struct AttendanceUpdate {
    /// At most 500 entries, each teacher once.
    #[schema(max_items = 500)]
    pub entries: Vec<AttendanceEntry>,
}

/// One teacher's attendance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"teacher_id": 13, "status": "on_leave", "leave_reason": "外出培训"}))]
pub struct AttendanceEntry {
    /// A teacher the caller sees.
    pub teacher_id: i64,
    /// `present`, `late` and `absent` need a scheduled or held activity.
    pub status: AttendanceStatus,
    /// Required with `on_leave` (1–500 characters), refused with any other status.
    pub leave_reason: Option<String>,
    /// Whether the teacher was invited; default: unchanged for listed teachers, `true` for new ones.
    pub expected: Option<bool>,
}

/// A teacher asking for leave (请假) from an activity.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "外出参加县级培训"}))]
pub struct LeaveRequest {
    /// 1–500 characters.
    pub reason: String,
}

/// The semester a rate is computed over.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RateParams {
    /// A semester of the teacher's (or group's) district.
    pub semester_id: i64,
}

/// A teacher's attendance over a semester's held (and filed) activities where they were expected.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"teacher_id": 12, "semester_id": 1, "activities": 8,
    "counts": {"expected": 8, "pending": 0, "present": 6, "late": 1, "on_leave": 1, "absent": 0, "walk_ins": 1,
        "attended": 7, "excused": 1, "rate": 1.0}}))]
pub struct TeacherRateView {
    pub teacher_id: i64,
    pub semester_id: i64,
    /// Activities counted (held or archived, where the teacher was expected).
    pub activities: i64,
    pub counts: AttendanceCounts,
}

/// One activity of a group's semester.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"activity_id": 7, "title": "三年级语文集体备课", "date": "2026-10-08",
    "counts": {"expected": 6, "pending": 0, "present": 5, "late": 0, "on_leave": 1, "absent": 0, "walk_ins": 0,
        "attended": 5, "excused": 1, "rate": 1.0}}))]
pub struct ActivityRateRow {
    pub activity_id: i64,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub counts: AttendanceCounts,
}

/// One teacher's attendance at a group's activities of a semester.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"teacher_id": 12, "teacher_name": "王老师",
    "counts": {"expected": 8, "pending": 0, "present": 7, "late": 0, "on_leave": 0, "absent": 1, "walk_ins": 0,
        "attended": 7, "excused": 0, "rate": 0.875}}))]
pub struct MemberRateRow {
    pub teacher_id: i64,
    pub teacher_name: String,
    pub counts: AttendanceCounts,
}

/// A group's attendance over a semester's held (and filed) activities it organised.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"group_id": 2, "semester_id": 1,
    "overall": {"expected": 12, "pending": 0, "present": 10, "late": 1, "on_leave": 1, "absent": 0, "walk_ins": 0,
        "attended": 11, "excused": 1, "rate": 1.0},
    "activities": [{"activity_id": 7, "title": "三年级语文集体备课", "date": "2026-10-08",
        "counts": {"expected": 6, "pending": 0, "present": 5, "late": 0, "on_leave": 1, "absent": 0, "walk_ins": 0,
            "attended": 5, "excused": 1, "rate": 1.0}}],
    "members": [{"teacher_id": 12, "teacher_name": "王老师",
        "counts": {"expected": 2, "pending": 0, "present": 2, "late": 0, "on_leave": 0, "absent": 0, "walk_ins": 0,
            "attended": 2, "excused": 0, "rate": 1.0}}]}))]
pub struct GroupRateView {
    pub group_id: i64,
    pub semester_id: i64,
    /// Every participant of every counted activity.
    pub overall: AttendanceCounts,
    /// The counted activities, by date then id.
    pub activities: Vec<ActivityRateRow>,
    /// Per teacher who had a row at any counted activity, by teacher id. School-level readers of
    /// a district team see only their own school's teachers here.
    pub members: Vec<MemberRateRow>,
}
