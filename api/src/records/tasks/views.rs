//! Wire types of the record-tasks API.

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::RecordKind;
use entities::record_task;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::validate::nullable;

/// A dated task that records answer ("3月25日前上交...", seeds 002/003).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 5, "district_id": 1, "school_id": 3, "group_id": null, "semester_id": 1,
    "kind": "reading_note", "title": "上交本学期读书笔记", "description": "每人一篇，不少于1000字", "due_on": "2026-12-25",
    "created_at": "2026-11-01T02:00:00Z", "updated_at": "2026-11-01T02:00:00Z", "archived_at": null}))]
pub struct RecordTaskView {
    pub id: i64,
    pub district_id: i64,
    /// The school whose teachers are asked (a group's task: the group's school); none for a
    /// district-wide task and a district team's.
    pub school_id: Option<i64>,
    /// Only this group's live members are asked.
    pub group_id: Option<i64>,
    pub semester_id: i64,
    /// The kind of record asked for; none: any kind answers.
    pub kind: Option<RecordKind>,
    pub title: String,
    pub description: Option<String>,
    /// Records handed in after this day are late.
    pub due_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<record_task::Model> for RecordTaskView {
    fn from(m: record_task::Model) -> Self {
        RecordTaskView {
            id: m.id,
            district_id: m.district_id,
            school_id: m.school_id,
            group_id: m.group_id,
            semester_id: m.semester_id,
            kind: m.kind,
            title: m.title,
            description: m.description,
            due_on: m.due_on,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new task: for a school (`school_id`), a group (`group_id`) or the whole district (neither;
/// `district_id`, default the caller's district).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"school_id": 3, "semester_id": 1, "kind": "reading_note", "title": "上交本学期读书笔记",
    "description": "每人一篇，不少于1000字", "due_on": "2026-12-25"}))]
pub struct NewRecordTask {
    /// A school the caller administers.
    pub school_id: Option<i64>,
    /// A live group whose contents the caller manages; `school_id`, if also given, must be its school.
    pub group_id: Option<i64>,
    /// For a district-wide task; must match the school's or group's district when given with them.
    pub district_id: Option<i64>,
    /// A semester of the task's district.
    pub semester_id: i64,
    pub kind: Option<RecordKind>,
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// At most 5000 characters.
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    /// A day within the semester.
    pub due_on: NaiveDate,
}

/// Changes to a task; absent fields stay as they are, `null` clears. Who is asked never changes.
/// Moving `due_on` re-derives `late` of the records already handed in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"due_on": "2026-12-31"}))]
pub struct RecordTaskPatch {
    pub semester_id: Option<i64>,
    /// Refused (409) while live records of another kind answer the task.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<RecordKind>)]
    pub kind: Option<Option<RecordKind>>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description: Option<Option<String>>,
    pub due_on: Option<NaiveDate>,
}

/// Filters of the task list; all combine (AND).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RecordTaskFilter {
    pub school_id: Option<i64>,
    pub group_id: Option<i64>,
    pub semester_id: Option<i64>,
    pub kind: Option<RecordKind>,
    /// Tasks that ask this teacher (their school's, their live groups', their district's).
    pub teacher_id: Option<i64>,
    /// Due on or after this day.
    pub due_from: Option<NaiveDate>,
    /// Due on or before this day.
    pub due_to: Option<NaiveDate>,
    /// Include archived tasks (default false).
    pub include_archived: Option<bool>,
    /// `due_on`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Where a teacher stands with a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// 按时: a record answering the task was handed in by the due day.
    OnTime,
    /// 逾期: handed in, but only after the due day.
    Late,
    /// 未交: nothing handed in yet.
    Missing,
}

/// One teacher's line of the submissions report.
#[derive(Debug, Serialize, ToSchema)]
pub struct Submission {
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_id: i64,
    /// Whether the task (still) asks this teacher; an answer from a teacher who has since left
    /// the group stays listed.
    pub asked: bool,
    pub status: SubmissionStatus,
    /// Live records of this teacher answering the task.
    pub record_count: i64,
    /// The first day they handed one in.
    pub first_submitted_on: Option<NaiveDate>,
}

/// Who was asked, who handed in on time, late, or not yet.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"task_id": 5, "due_on": "2026-12-25", "asked": 3, "on_time": 1, "late": 1, "missing": 1,
    "teachers": [
        {"teacher_id": 12, "teacher_name": "王芳", "school_id": 3, "asked": true, "status": "on_time", "record_count": 1, "first_submitted_on": "2026-12-20"},
        {"teacher_id": 13, "teacher_name": "李明", "school_id": 3, "asked": true, "status": "late", "record_count": 1, "first_submitted_on": "2026-12-27"},
        {"teacher_id": 14, "teacher_name": "张华", "school_id": 3, "asked": true, "status": "missing", "record_count": 0, "first_submitted_on": null}]}))]
pub struct SubmissionsReport {
    pub task_id: i64,
    pub due_on: NaiveDate,
    /// Teachers asked (of those the caller sees).
    pub asked: u64,
    /// Of the teachers listed, how many handed in on time, late, or not at all.
    pub on_time: u64,
    pub late: u64,
    pub missing: u64,
    /// Ordered by school, name and id.
    pub teachers: Vec<Submission>,
}

/// Filters of the submissions report.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubmissionFilter {
    /// Only the teachers in this state (the counts stay those of everyone).
    pub status: Option<SubmissionStatus>,
}
