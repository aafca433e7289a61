//! What the observations API reads and answers.

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::LessonKind;
use entities::observation;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::{FeedbackCounts, Score};
use crate::validate::nullable;

/// A lesson observation (听课记录) with its feedback and the checks computed from it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "district_id": 1, "semester_id": 1,
    "observer_teacher_id": 3, "observer_school_id": 2, "observed_teacher_id": 4, "observed_school_id": 2,
    "observed_name": null, "observed_on": "2026-10-15", "period": 2, "subject": "语文", "grade": 3,
    "class_name": "三(2)班", "lesson_kind": "unannounced", "lesson_title": "秋天的雨", "activity_id": null,
    "rubric_id": 1, "scores": [{"dimension_id": 11, "points": 9}, {"dimension_id": 12, "points": 18}],
    "total_score": 27.0, "max_score": 100,
    "strengths": ["朗读指导到位"], "weaknesses": ["小组合作流于形式", "板书不够清晰"],
    "suggestions": ["多给学生质疑的时间", "合作前明确分工", "板书突出重点"],
    "three_ones": true, "one_two_three": true, "critique_given": true, "critique": "课后与执教老师交流",
    "notes": null, "created_at": "2026-10-15T06:00:00Z", "updated_at": "2026-10-15T06:00:00Z", "archived_at": null}))]
pub struct ObservationView {
    pub id: i64,
    pub district_id: i64,
    /// The district semester containing `observed_on`; `null` for a day between semesters,
    /// which counts for school-year quota rules and date ranges, not for semester rules.
    pub semester_id: Option<i64>,
    pub observer_teacher_id: i64,
    pub observer_school_id: i64,
    /// `null` for an outside teacher (see `observed_name`).
    pub observed_teacher_id: Option<i64>,
    pub observed_school_id: Option<i64>,
    pub observed_name: Option<String>,
    pub observed_on: NaiveDate,
    pub period: Option<i32>,
    pub subject: String,
    pub grade: Option<i32>,
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    pub lesson_title: Option<String>,
    pub activity_id: Option<i64>,
    pub rubric_id: Option<i64>,
    /// `null` without a rubric.
    pub scores: Option<Vec<Score>>,
    /// The sum of `scores`; `null` without a rubric.
    pub total_score: Option<f64>,
    /// The rubric's best total (the sum of its dimensions' max points); `null` without a rubric.
    pub max_score: Option<i32>,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    pub suggestions: Vec<String>,
    /// "三个一" (seed 000): at least one strength, one weakness and one suggestion.
    pub three_ones: bool,
    /// "听评课123" (seed 000): at least 1 good point, 2 weaknesses and 3 suggestions.
    pub one_two_three: bool,
    /// Whether the observer gave a critique (评课); quotas count it separately (seed 002).
    pub critique_given: bool,
    pub critique: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    serde_json::from_value(value.clone()).unwrap_or_default()
}

impl ObservationView {
    /// `max_score` is the observation's rubric's best total, if it has one.
    pub fn new(m: observation::Model, max_score: Option<i32>) -> Self {
        let counts = FeedbackCounts {
            strengths: m.strengths_count as usize,
            weaknesses: m.weaknesses_count as usize,
            suggestions: m.suggestions_count as usize,
        };
        ObservationView {
            id: m.id,
            district_id: m.district_id,
            semester_id: m.semester_id,
            observer_teacher_id: m.observer_teacher_id,
            observer_school_id: m.observer_school_id,
            observed_teacher_id: m.observed_teacher_id,
            observed_school_id: m.observed_school_id,
            observed_name: m.observed_name,
            observed_on: m.observed_on,
            period: m.period,
            subject: m.subject,
            grade: m.grade,
            class_name: m.class_name,
            lesson_kind: m.lesson_kind,
            lesson_title: m.lesson_title,
            activity_id: m.activity_id,
            rubric_id: m.rubric_id,
            scores: m.scores.and_then(|s| serde_json::from_value(s).ok()),
            total_score: m.total_score,
            max_score: max_score.filter(|_| m.rubric_id.is_some()),
            strengths: strings(&m.strengths),
            weaknesses: strings(&m.weaknesses),
            suggestions: strings(&m.suggestions),
            three_ones: counts.three_ones(),
            one_two_three: counts.one_two_three(),
            critique_given: m.critique_given,
            critique: m.critique,
            notes: m.notes,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new observation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"observed_teacher_id": 4, "observed_on": "2026-10-15", "period": 2, "subject": "语文",
    "grade": 3, "class_name": "三(2)班", "lesson_kind": "unannounced", "lesson_title": "秋天的雨",
    "rubric_id": 1, "scores": [{"dimension_id": 11, "points": 9}, {"dimension_id": 12, "points": 18}],
    "strengths": ["朗读指导到位"], "weaknesses": ["小组合作流于形式"], "suggestions": ["多给学生质疑的时间"],
    "critique_given": true}))]
pub struct NewObservation {
    /// Who observed; defaults to the caller's own teacher. Teachers and group leaders record only
    /// their own observations; administrators record for their school's teachers.
    pub observer_teacher_id: Option<i64>,
    /// A live teacher the caller sees, or a teaching teacher of `activity_id`. Give this or
    /// `observed_name`.
    pub observed_teacher_id: Option<i64>,
    /// An outside teacher's name (1–100 characters), instead of `observed_teacher_id`.
    #[schema(max_length = 100)]
    pub observed_name: Option<String>,
    /// Not in the future; the district's semester containing it becomes `semester_id` (none for
    /// a day between semesters).
    pub observed_on: NaiveDate,
    /// 1–12.
    #[schema(minimum = 1, maximum = 12)]
    pub period: Option<i32>,
    /// 1–32 characters.
    #[schema(min_length = 1, max_length = 32)]
    pub subject: String,
    /// 1–6.
    #[schema(minimum = 1, maximum = 6)]
    pub grade: Option<i32>,
    #[schema(max_length = 32)]
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    #[schema(max_length = 200)]
    pub lesson_title: Option<String>,
    /// An activity the caller sees; when it has a date, `observed_on` must be that date.
    pub activity_id: Option<i64>,
    /// A live rubric of the observer's school or district.
    pub rubric_id: Option<i64>,
    /// Only with `rubric_id`; at most 30 (a rubric's dimensions, each once).
    #[schema(max_items = 30)]
    pub scores: Option<Vec<Score>>,
    /// Up to 10 items of 1–500 characters each.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub strengths: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub weaknesses: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub suggestions: Vec<String>,
    /// Default false.
    #[serde(default)]
    pub critique_given: bool,
    #[schema(max_length = 5000)]
    pub critique: Option<String>,
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
}

/// Changes to an observation; absent fields stay as they are, `null` clears, lists are replaced
/// whole. The observer cannot change (archive the observation and record a new one). Clearing
/// `rubric_id` clears the scores.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"suggestions": ["多给学生质疑的时间", "合作前明确分工", "板书突出重点"], "critique_given": true}))]
pub struct ObservationPatch {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub observed_teacher_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub observed_name: Option<Option<String>>,
    pub observed_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 12)]
    pub period: Option<Option<i32>>,
    #[schema(min_length = 1, max_length = 32)]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 6)]
    pub grade: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 32)]
    pub class_name: Option<Option<String>>,
    pub lesson_kind: Option<LessonKind>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub lesson_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub activity_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub rubric_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<Score>>, max_items = 30)]
    pub scores: Option<Option<Vec<Score>>>,
    #[schema(max_items = 10)]
    pub strengths: Option<Vec<String>>,
    #[schema(max_items = 10)]
    pub weaknesses: Option<Vec<String>>,
    #[schema(max_items = 10)]
    pub suggestions: Option<Vec<String>>,
    pub critique_given: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub critique: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ObservationFilter {
    pub observer_teacher_id: Option<i64>,
    pub observed_teacher_id: Option<i64>,
    /// Observations where this teacher observed or was observed.
    pub teacher_id: Option<i64>,
    /// Observations whose observer or observed teacher belongs to this school.
    pub school_id: Option<i64>,
    pub semester_id: Option<i64>,
    /// Comma-separated lesson kinds, e.g. `unannounced,ordinary`.
    pub lesson_kind: Option<String>,
    pub subject: Option<String>,
    pub activity_id: Option<i64>,
    pub critique_given: Option<bool>,
    /// Observed on or after this date.
    pub date_from: Option<NaiveDate>,
    /// Observed on or before this date.
    pub date_to: Option<NaiveDate>,
    /// Include archived observations (default false).
    pub include_archived: Option<bool>,
    /// `observed_on`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
