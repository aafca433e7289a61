//! Counting what a rule counts, for every subject of a population at once: one aggregate query
//! per rule (GROUP BY subject and period bucket, the bucket a CASE over the periods' date
//! ranges), never a query per subject. This is what makes a district-wide check cheap (issue 4,
//! "Speed"). [`crate::quota::evidence`] lists the same rows one by one for `explain`; the two must
//! agree, and a black-box test checks that they do.
//!
//! What is counted, per metric (the subject id each row belongs to in brackets):
//! - `observations` [observer_teacher_id]: live observations (`archived_at` null), dated by
//!   `observed_on`;
//! - `records`, `record_words`, `record_hours` [author_teacher_id, and with `include_coauthored`
//!   also each co-author's teacher id]: live records dated by `written_on`;
//! - `lessons_given` [activity_lessons.teacher_id]: lessons of live activities whose status is
//!   held or archived (filed), dated by the activity's `date`;
//! - `activities_held` [group_id for a group, school_id for a school, with the matching
//!   organiser kind]: live activities held or archived, by `date`;
//! - `activities_attended` [participant teacher_id]: participants present or late at such
//!   activities;
//! - `attendance_rate` [teacher: participant teacher_id; group: the organising group]:
//!   `activities::attendance::rules::attendance_rate` over the expected participants of such
//!   activities; a period with nothing to measure is 1.0 (nothing was missed);
//! - `mentor_observes_mentee` / `mentee_observes_mentor` [mentorship id]: live observations
//!   between the pair's two teachers, in the stated direction;
//! - `full_lesson_plan_share` [author_teacher_id]: lesson-plan records written in full over all
//!   lesson-plan records; 1.0 with none.
//!
//! Only rows dated inside a period and on or before `as_of` count.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::error::ApiResult;
use crate::quota::evaluate::Shape;
use crate::quota::periods::Period;
use crate::quota::rules::{Metric, SubjectType};

/// Whose values to count: the subjects of one district, optionally narrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Population {
    pub district_id: i64,
    /// Only subjects of these schools (teachers, groups, pairs and schools by their school);
    /// `None`: the whole district (district groups such as 中心组 included).
    pub school_ids: Option<Vec<i64>>,
    /// Only these subject ids; `None`: every subject of the scope.
    pub subject_ids: Option<Vec<i64>>,
}

/// The value of a subject (or period) with no rows at all: 0 for a count, 1.0 for a ratio
/// (nothing to measure, so nothing was missed).
pub fn no_data(metric: &Metric) -> f64 {
    match metric.shape() {
        Shape::Count => 0.0,
        Shape::Ratio => 1.0,
    }
}

/// For every subject of `population` with at least one counted row: the value per period,
/// aligned with `periods` (`result[&id][i]` is what `periods[i]` holds up to `as_of`). Subjects
/// without rows are absent; use [`no_data`] for them.
pub async fn count(
    _db: &impl ConnectionTrait,
    _population: &Population,
    _subject_type: SubjectType,
    _metric: &Metric,
    _periods: &[Period],
    _as_of: NaiveDate,
) -> ApiResult<HashMap<i64, Vec<f64>>> {
    todo!("issue 4: aggregate counting")
}
