//! Wire types of the records API.

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::{AwardRank, LessonPlanForm, Level, ProjectStage, RecordKind};
use entities::record;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::validate::nullable;

/// A research record as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 40, "district_id": 1, "school_id": 3, "author_teacher_id": 12,
    "coauthor_teacher_ids": [13], "semester_id": 1, "kind": "paper", "title": "低年级识字教学的几点思考",
    "body": "识字是低年级语文教学的重点……", "attachment_url": null, "written_on": "2026-10-20", "word_count": 2150,
    "hours": null, "lesson_plan_form": null, "project_level": null, "project_stage": null, "award_level": null,
    "award_rank": null, "activity_id": null, "observation_id": null, "task_id": 5, "due_on": "2026-10-25",
    "submitted_on": "2026-10-27", "late": true, "created_by_user_id": 7,
    "created_at": "2026-10-27T02:00:00Z", "updated_at": "2026-10-27T02:00:00Z", "archived_at": null}))]
pub struct RecordView {
    pub id: i64,
    pub district_id: i64,
    /// The author's school when the record was written; whoever sees this school reads it.
    pub school_id: i64,
    pub author_teacher_id: i64,
    /// Co-authors (a paper's second authors, a research project's members), ascending.
    pub coauthor_teacher_ids: Vec<i64>,
    /// The district semester containing `written_on`; `null` for work dated between semesters
    /// (a reading note of the winter holiday), which counts for school-year quota rules and
    /// date ranges, not for semester rules.
    pub semester_id: Option<i64>,
    pub kind: RecordKind,
    pub title: String,
    pub body: Option<String>,
    pub attachment_url: Option<String>,
    pub written_on: NaiveDate,
    /// 字数 of the body (see `records::words`), or the count given for a record without a body.
    pub word_count: i32,
    pub hours: Option<f64>,
    pub lesson_plan_form: Option<LessonPlanForm>,
    pub project_level: Option<Level>,
    pub project_stage: Option<ProjectStage>,
    pub award_level: Option<Level>,
    pub award_rank: Option<AwardRank>,
    pub activity_id: Option<i64>,
    pub observation_id: Option<i64>,
    /// The dated task this record answers.
    pub task_id: Option<i64>,
    /// The task's deadline.
    pub due_on: Option<NaiveDate>,
    /// The school-local day it was handed in; never changes afterwards.
    pub submitted_on: NaiveDate,
    /// Handed in after `due_on` ("过时不候": flagged, never hidden).
    pub late: bool,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl RecordView {
    pub fn new(m: record::Model, coauthor_teacher_ids: Vec<i64>) -> Self {
        RecordView {
            id: m.id,
            district_id: m.district_id,
            school_id: m.school_id,
            author_teacher_id: m.author_teacher_id,
            coauthor_teacher_ids,
            semester_id: m.semester_id,
            kind: m.kind,
            title: m.title,
            body: m.body,
            attachment_url: m.attachment_url,
            written_on: m.written_on,
            word_count: m.word_count,
            hours: m.hours,
            lesson_plan_form: m.lesson_plan_form,
            project_level: m.project_level,
            project_stage: m.project_stage,
            award_level: m.award_level,
            award_rank: m.award_rank,
            activity_id: m.activity_id,
            observation_id: m.observation_id,
            task_id: m.task_id,
            due_on: m.due_on,
            submitted_on: m.submitted_on,
            late: m.late,
            created_by_user_id: m.created_by_user_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new research record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "paper", "title": "低年级识字教学的几点思考", "body": "识字是低年级语文教学的重点……",
    "written_on": "2026-10-20", "task_id": 5, "coauthor_teacher_ids": [13]}))]
pub struct NewRecord {
    /// Default: the caller's own teacher. Teachers and group leaders write only their own
    /// records; administrators write their school's (district's) teachers' records.
    pub author_teacher_id: Option<i64>,
    pub kind: RecordKind,
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// The text, at most 200,000 characters; its word count is computed.
    #[schema(max_length = 200000)]
    pub body: Option<String>,
    /// An `http(s)://` URL or a storage reference (`records/2026/论文.pdf`), at most 500 characters.
    #[schema(max_length = 500)]
    pub attachment_url: Option<String>,
    /// Not in the future.
    pub written_on: NaiveDate,
    /// Default: the district's semester that contains `written_on`, none for a day between
    /// semesters; if given, it must contain the day.
    pub semester_id: Option<i64>,
    /// Only without a body (a record handed in on paper): computed from the body otherwise.
    #[schema(minimum = 0, maximum = 1000000)]
    pub word_count: Option<i32>,
    /// Required for `training` (above 0, at most 1000); optional otherwise.
    pub hours: Option<f64>,
    /// Required for `lesson_plan`, refused otherwise.
    pub lesson_plan_form: Option<LessonPlanForm>,
    /// Only for `research_project`.
    pub project_level: Option<Level>,
    /// Required for `research_project`, refused otherwise.
    pub project_stage: Option<ProjectStage>,
    /// Required for `award`, refused otherwise.
    pub award_level: Option<Level>,
    /// Required for `award`, refused otherwise.
    pub award_rank: Option<AwardRank>,
    /// An activity the caller sees.
    pub activity_id: Option<i64>,
    /// An observation the caller sees.
    pub observation_id: Option<i64>,
    /// A live task the author was asked for; a task with a kind takes only records of that kind.
    pub task_id: Option<i64>,
    /// Live teachers the caller sees, other than the author; at most 30.
    #[serde(default)]
    #[schema(max_items = 30)]
    pub coauthor_teacher_ids: Vec<i64>,
    /// Default today. Only administrators entering records handed in on paper may set it
    /// (others get 403); not in the future and not before `written_on`.
    pub submitted_on: Option<NaiveDate>,
}

/// Changes to a record; absent fields stay as they are, `null` clears. The author, the task and
/// the submission day (and so `late`) never change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "识字是低年级语文教学的重点，也是难点……", "coauthor_teacher_ids": []}))]
pub struct RecordPatch {
    /// The kind-specific fields must then fit the new kind (see `kind` rules).
    pub kind: Option<RecordKind>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// Recomputes `word_count`; `null` clears the body (and the count, unless one is given).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 200000)]
    pub body: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub attachment_url: Option<Option<String>>,
    /// The semester is derived again (none between semesters) unless `semester_id` is given too.
    pub written_on: Option<NaiveDate>,
    /// A semester containing `written_on`.
    pub semester_id: Option<i64>,
    /// Only for a record without a body.
    #[schema(minimum = 0, maximum = 1000000)]
    pub word_count: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub hours: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<LessonPlanForm>)]
    pub lesson_plan_form: Option<Option<LessonPlanForm>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Level>)]
    pub project_level: Option<Option<Level>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<ProjectStage>)]
    pub project_stage: Option<Option<ProjectStage>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Level>)]
    pub award_level: Option<Option<Level>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<AwardRank>)]
    pub award_rank: Option<Option<AwardRank>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub activity_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub observation_id: Option<Option<i64>>,
    /// Replaces the whole list (`null` or `[]` empties it).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<i64>>, max_items = 30)]
    pub coauthor_teacher_ids: Option<Option<Vec<i64>>>,
}

/// Filters of the record list; all combine (AND).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RecordFilter {
    pub author_teacher_id: Option<i64>,
    /// Records this teacher wrote or co-wrote.
    pub teacher_id: Option<i64>,
    pub school_id: Option<i64>,
    pub semester_id: Option<i64>,
    /// One kind or several, comma-separated: `paper,teaching_case`.
    pub kind: Option<String>,
    pub task_id: Option<i64>,
    /// Only late (`true`) or only not late (`false`) records.
    pub late: Option<bool>,
    /// Written on or after this day.
    pub date_from: Option<NaiveDate>,
    /// Written on or before this day.
    pub date_to: Option<NaiveDate>,
    /// At least this many words.
    pub min_words: Option<i32>,
    /// Title contains this text.
    pub q: Option<String>,
    /// Include archived records (default false).
    pub include_archived: Option<bool>,
    /// `written_on`, `created_at`, `word_count` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
