//! The rows behind one subject's value for one rule, each with why it did or did not count: what
//! `GET /quota-checks/explain` shows. Fetches the subject's candidate rows (the metric's base
//! table, without the metric's filters) and judges each with pure functions, so the reasons are
//! unit-tested without a database. Must agree with [`crate::quota::counting`].

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::quota::periods::Period;
use crate::quota::rules::{Metric, SubjectType};

/// What kind of row an [`Evidence`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// A lesson observation (`id`: the observation).
    Observation,
    /// A research record (`id`: the record).
    Record,
    /// An activity held (`id`: the activity).
    Activity,
    /// A lesson given at an activity (`id`: the activity).
    Lesson,
    /// A participation in an activity (`id`: the activity).
    Attendance,
}

/// One row and what it did for the rule.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"source": "record", "id": 812, "date": "2026-10-14", "title": "《荷花》教学反思",
    "value": 320.0, "period_index": 1, "counted": false, "reason": "too short: 320 字, the rule asks for at least 500"}))]
pub struct Evidence {
    pub source: EvidenceSource,
    pub id: i64,
    pub date: NaiveDate,
    /// What a person recognises the row by: the record's title, the observed lesson, the activity.
    pub title: String,
    /// What the row adds when it counts: 1, or its words or hours; for a rate, 1 attended or 0
    /// missed.
    pub value: f64,
    /// The period (index into the evaluation's periods) the row's date falls in, if any.
    pub period_index: Option<usize>,
    pub counted: bool,
    /// Why it did not count (`None` when it counted): "wrong kind: reflection", "late", "other
    /// subject: 数学", "dated after as_of" ...
    pub reason: Option<String>,
}

/// Every candidate row of `subject_id` for `metric` dated within the periods' span (first start
/// to last end), counted or not, ordered by date then id.
pub async fn evidence(
    _db: &impl ConnectionTrait,
    _subject_type: SubjectType,
    _subject_id: i64,
    _metric: &Metric,
    _periods: &[Period],
    _as_of: NaiveDate,
) -> ApiResult<Vec<Evidence>> {
    todo!("issue 4: explain's evidence")
}
