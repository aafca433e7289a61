//! What the checks API reads and answers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::audience::Selection;
use super::engine::CheckItem;
use crate::quota::evaluate::Status;
use crate::quota::evidence::Evidence;
use crate::quota::rules::SubjectType;
use crate::quota::store::views::QuotaRuleView;

/// The [`Selection`] named by a wire type's five subject fields (`teacher_id` ... `zone_id`),
/// which the checks list's query and the simulation's body share.
macro_rules! selection_of {
    ($wire:expr) => {
        Selection {
            teacher_id: $wire.teacher_id,
            group_id: $wire.group_id,
            mentorship_id: $wire.mentorship_id,
            school_id: $wire.school_id,
            zone_id: $wire.zone_id,
        }
    };
}

/// Which checks to compute.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// Default: the semester of the caller's district containing `as_of` (a 422 on `semester_id`
    /// when none does, or for an installation administrator, who has no district).
    pub semester_id: Option<i64>,
    /// Compute as of this day (records dated later are ignored); default today (UTC+8).
    pub as_of: Option<NaiveDate>,
    /// One teacher (at most one of teacher_id, group_id, mentorship_id, school_id, zone_id;
    /// none: the caller's whole reach).
    pub teacher_id: Option<i64>,
    pub group_id: Option<i64>,
    pub mentorship_id: Option<i64>,
    pub school_id: Option<i64>,
    pub zone_id: Option<i64>,
    pub subject_type: Option<SubjectType>,
    /// Only results with this status (the summary still counts every status).
    pub status: Option<Status>,
    /// Only results of this rule.
    pub rule_id: Option<i64>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

impl CheckQuery {
    pub fn selection(&self) -> Selection {
        selection_of!(self)
    }
}

/// How many results have each status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"met": 3, "short": 1, "at_risk": 2, "on_track": 5, "total": 11}))]
pub struct Summary {
    pub met: u64,
    pub short: u64,
    pub at_risk: u64,
    pub on_track: u64,
    pub total: u64,
}

impl Summary {
    pub fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Met => self.met += 1,
            Status::Short => self.short += 1,
            Status::AtRisk => self.at_risk += 1,
            Status::OnTrack => self.on_track += 1,
        }
    }

    pub fn of<'a>(items: impl IntoIterator<Item = &'a CheckItem>) -> Summary {
        let mut s = Summary::default();
        for item in items {
            s.total += 1;
            match item.status {
                Status::Met => s.met += 1,
                Status::Short => s.short += 1,
                Status::AtRisk => s.at_risk += 1,
                Status::OnTrack => s.on_track += 1,
            }
        }
        s
    }
}

/// A page of check results with the counts per status.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"semester_id": 1, "as_of": "2026-11-20",
    "summary": {"met": 3, "short": 1, "at_risk": 2, "on_track": 5, "total": 11},
    "items": [{"subject": {"type": "teacher", "id": 5, "name": "王芳", "school_id": 2},
        "rule": {"id": 3, "index": null, "name": "教师每月听课不少于4节", "severity": "required", "metric": "observations",
            "period": "month", "min": 4.0, "family": null},
        "required": 20.0, "actual": 7.0, "status": "on_track", "expected_by_now": 6.26, "projected": 22.35,
        "periods": [{"start": "2026-09-01", "end": "2026-09-30", "required": 4.0, "actual": 4.0, "status": "met",
            "teaching_days": 21, "full_teaching_days": 22}]}], "total": 11, "limit": 50, "offset": 0}))]
pub struct CheckList {
    pub semester_id: i64,
    pub as_of: NaiveDate,
    /// Counts over every result matching the filters except `status` (before paging).
    pub summary: Summary,
    /// Ordered by subject type (teacher, group, mentorship, school), subject name and id, then
    /// rule.
    pub items: Vec<CheckItem>,
    /// Results matching every filter.
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

/// Which result to explain.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExplainQuery {
    pub rule_id: i64,
    pub subject_type: SubjectType,
    pub subject_id: i64,
    /// Default: the semester of the caller's district containing `as_of` (a 422 on `semester_id`
    /// when none does, or for an installation administrator, who has no district).
    pub semester_id: Option<i64>,
    /// Default today (UTC+8).
    pub as_of: Option<NaiveDate>,
}

/// One result and the rows behind it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"rule": {"id": 3, "district_id": 1, "school_id": 2, "semester_ids": [], "template_id": "observations-monthly-4",
    "name": "教师每月听课不少于4节", "subject_type": "teacher", "applies_to": {}, "metric": {"kind": "observations"},
    "period": "month", "min": 4.0, "max": null, "severity": "required", "family": null, "priority": 0,
    "source": "教师每月听课不少于4节 (seed 000)", "created_at": "2026-09-01T02:00:00Z", "updated_at": "2026-09-01T02:00:00Z",
    "archived_at": null},
    "result": {"subject": {"type": "teacher", "id": 5, "name": "王芳", "school_id": 2},
        "rule": {"id": 3, "index": null, "name": "教师每月听课不少于4节", "severity": "required", "metric": "observations",
            "period": "month", "min": 4.0, "family": null},
        "required": 20.0, "actual": 7.0, "status": "on_track", "expected_by_now": 6.26, "projected": 22.35,
        "periods": [{"start": "2026-09-01", "end": "2026-09-30", "required": 4.0, "actual": 4.0, "status": "met",
            "teaching_days": 21, "full_teaching_days": 22}]},
    "evidence": [{"source": "observation", "id": 812, "date": "2026-09-14", "title": "语文 《荷花》", "value": 1.0,
        "period_index": 0, "counted": true, "reason": null},
        {"source": "observation", "id": 813, "date": "2026-09-15", "title": "数学 《分数》", "value": 1.0,
        "period_index": 0, "counted": false, "reason": "other subject: 数学"}],
    "notes": ["This rule counts inside the semester: observations dated outside every semester (in the holidays, stored without a semester) do not count for it; they count for school-year rules only."]}))]
pub struct Explanation {
    pub rule: QuotaRuleView,
    /// The result, as the checks list gives it (its periods say how each period's minimum was
    /// set: `teaching_days` of `full_teaching_days`).
    pub result: CheckItem,
    /// Every candidate row in the periods' span, counted or not (with the reason), by date.
    pub evidence: Vec<Evidence>,
    /// What the evidence cannot show: for a rule counting records or observations, whether those
    /// dated outside every semester (stored without a semester) count for it — for a
    /// school-year rule they do, for any other rule they do not. Empty for other metrics.
    pub notes: Vec<String>,
}

/// Draft rules to try on a population without saving them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"semester_id": 1, "as_of": "2026-11-20", "school_id": 2,
    "rules": [{"template_id": "observations-monthly-4", "min": 3}], "include_saved": false}))]
pub struct SimulateRequest {
    /// Default: the semester of the caller's district containing `as_of` (a 422 on `semester_id`
    /// when none does, or for an installation administrator, who has no district).
    pub semester_id: Option<i64>,
    pub as_of: Option<NaiveDate>,
    pub teacher_id: Option<i64>,
    pub group_id: Option<i64>,
    pub mentorship_id: Option<i64>,
    pub school_id: Option<i64>,
    pub zone_id: Option<i64>,
    /// Rule bodies as for `POST /quota-rules`, without an owner: a `template_id` with overrides,
    /// or a full rule. They measure every subject of the population.
    #[schema(value_type = Vec<Object>, min_items = 1, max_items = 50)]
    pub rules: Vec<serde_json::Value>,
    /// Also run the saved rules (families then choose among saved and draft rules alike).
    #[serde(default)]
    pub include_saved: bool,
    pub subject_type: Option<SubjectType>,
    pub status: Option<Status>,
    /// 1–500, default 50.
    #[schema(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

impl SimulateRequest {
    pub fn selection(&self) -> Selection {
        selection_of!(self)
    }
}
