//! Wire types of `/api/v1/appraisal-schemes`.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{appraisal_result, appraisal_scheme, appraisal_version};
use jiaoyan_appraisal::scheme::SchemeSpec;
use jiaoyan_appraisal::score::Breakdown;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::quota::reports::table::{Lang, ReportFormat};

/// A new scheme: its owner (a school, or a district for all its schools), what it appraises (one
/// semester, or one school year) and its scoring.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"school_id": 2, "semester_id": 1, "name": "2026年秋季学期教师量化考核",
    "spec": {"components": [
        {"name": "教研常规", "weight": 1.0, "cap": 40.0, "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 10.0, "severity": "required"}},
        {"name": "获奖与论文", "scoring": {"kind": "awards", "table": {"province": {"first": 20.0, "second": 15.0}, "county": {"first": 8.0}}}},
        {"name": "参与教研活动率", "scoring": {"kind": "attendance_rate", "points": 20.0}}],
        "group": {"member_weight": 1.0, "components": []}}}))]
pub struct NewScheme {
    pub school_id: Option<i64>,
    /// Give it (without `school_id`) for a district scheme.
    pub district_id: Option<i64>,
    /// The semester appraised; or give `school_year`.
    pub semester_id: Option<i64>,
    /// The school year appraised (`2026-2027`: every semester of it); or give `semester_id`.
    pub school_year: Option<String>,
    pub name: String,
    pub spec: SchemeSpec,
}

/// A change of a draft scheme (a published one no longer changes).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "2026年秋季学期教师量化考核（修订）"}))]
pub struct SchemePatch {
    pub name: Option<String>,
    pub spec: Option<SchemeSpec>,
}

/// A scheme.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "school_id": 2, "semester_id": 1, "school_year": null,
    "name": "2026年秋季学期教师量化考核", "status": "published", "published_version": 1,
    "spec": {"components": [{"name": "参与教研活动率", "weight": 1.0, "cap": null, "scoring": {"kind": "attendance_rate", "points": 20.0}}],
        "group": {"member_weight": 1.0, "components": []}},
    "created_at": "2026-12-01T08:00:00Z", "updated_at": "2026-12-01T08:00:00Z"}))]
pub struct SchemeView {
    pub id: i64,
    pub district_id: i64,
    pub school_id: Option<i64>,
    pub semester_id: Option<i64>,
    pub school_year: Option<String>,
    pub name: String,
    /// `draft` (may change, can be simulated) or `published` (frozen; publishing again makes a
    /// new version of the results).
    pub status: String,
    /// The newest published version (0: none yet).
    pub published_version: i32,
    pub spec: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<appraisal_scheme::Model> for SchemeView {
    fn from(m: appraisal_scheme::Model) -> Self {
        SchemeView {
            id: m.id,
            district_id: m.district_id,
            school_id: m.school_id,
            semester_id: m.semester_id,
            school_year: m.school_year,
            name: m.name,
            status: m.status,
            published_version: m.published_version,
            spec: m.spec,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Filters of the scheme list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SchemeFilter {
    /// Schemes of this school (not its district's).
    pub school_id: Option<i64>,
    /// Schemes of this district itself (not its schools').
    pub district_id: Option<i64>,
    pub semester_id: Option<i64>,
    /// `draft` or `published`.
    pub status: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A published version of a scheme's results.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"scheme_id": 1, "version": 2, "as_of": "2027-01-22", "published_at": "2027-01-23T02:00:00Z",
    "published_by_user_id": 3, "teachers": 58, "groups": 6,
    "spec": {"components": [{"name": "参与教研活动率", "weight": 1.0, "cap": null, "scoring": {"kind": "attendance_rate", "points": 20.0}}],
        "group": {"member_weight": 1.0, "components": []}}}))]
pub struct VersionView {
    pub scheme_id: i64,
    pub version: i32,
    /// The day the results were computed as of.
    pub as_of: NaiveDate,
    pub published_at: DateTime<Utc>,
    pub published_by_user_id: Option<i64>,
    /// How many teachers and groups it holds results of.
    pub teachers: i64,
    pub groups: i64,
    /// The scoring as it was published.
    pub spec: serde_json::Value,
}

impl VersionView {
    pub fn new(m: appraisal_version::Model, teachers: i64, groups: i64) -> Self {
        VersionView {
            scheme_id: m.scheme_id,
            version: m.version,
            as_of: m.as_of,
            published_at: m.published_at,
            published_by_user_id: m.published_by_user_id,
            teachers,
            groups,
            spec: m.spec,
        }
    }
}

/// The published versions of a scheme, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"items": [{"scheme_id": 1, "version": 1, "as_of": "2027-01-22", "published_at": "2027-01-23T02:00:00Z",
    "published_by_user_id": 3, "teachers": 58, "groups": 6,
    "spec": {"components": [{"name": "参与教研活动率", "weight": 1.0, "cap": null, "scoring": {"kind": "attendance_rate", "points": 20.0}}],
        "group": {"member_weight": 1.0, "components": []}}}]}))]
pub struct VersionList {
    pub items: Vec<VersionView>,
}

/// One teacher's or group's result: score, rank among its kind in its school, and the breakdown
/// that adds up to the score.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"subject_type": "teacher", "subject_id": 5, "name": "王芳", "school_id": 2, "score": 27.5, "rank": 1,
    "breakdown": {"score": 27.5, "components": [{"name": "参与教研活动率", "kind": "attendance_rate", "weight": 1.0, "cap": null, "points": 27.5,
        "lines": [{"source": "attendance", "source_id": null, "label": "参与教研活动率", "detail": "91.67% × 30", "raw": 27.5, "points": 27.5}]}]}}))]
pub struct ResultView {
    /// `teacher` or `group`.
    pub subject_type: String,
    pub subject_id: i64,
    pub name: String,
    pub school_id: Option<i64>,
    pub score: f64,
    /// 1 + how many of its kind in its school scored higher (equal scores share a rank: 1, 1, 3).
    pub rank: i32,
    pub breakdown: Breakdown,
}

impl ResultView {
    pub fn from_row(m: appraisal_result::Model) -> Result<Self, serde_json::Error> {
        Ok(ResultView {
            subject_type: m.subject_type,
            subject_id: m.subject_id,
            name: m.name,
            school_id: m.school_id,
            score: m.score,
            rank: m.rank,
            breakdown: serde_json::from_value(m.breakdown)?,
        })
    }
}

/// A line of a ranking.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"subject_id": 5, "name": "王芳", "score": 27.5, "rank": 1}))]
pub struct RankedView {
    pub subject_id: i64,
    pub name: String,
    pub score: f64,
    pub rank: i32,
}

impl From<&appraisal_result::Model> for RankedView {
    fn from(r: &appraisal_result::Model) -> Self {
        RankedView { subject_id: r.subject_id, name: r.name.clone(), score: r.score, rank: r.rank }
    }
}

/// A school's appraisal in one version: its teachers and its groups, each ranked.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"scheme_id": 1, "version": 1, "school_id": 2, "as_of": "2027-01-22",
    "teachers": [{"subject_id": 5, "name": "王芳", "score": 30.0, "rank": 1}, {"subject_id": 6, "name": "李明", "score": 30.0, "rank": 1},
        {"subject_id": 7, "name": "张华", "score": 22.5, "rank": 3}],
    "groups": [{"subject_id": 3, "name": "语文教研组", "score": 27.5, "rank": 1}]}))]
pub struct SchoolAppraisalView {
    pub scheme_id: i64,
    pub version: i32,
    pub school_id: i64,
    pub as_of: NaiveDate,
    pub teachers: Vec<RankedView>,
    pub groups: Vec<RankedView>,
}

/// One teacher's or group's appraisal in one version (a group's with its members ranked).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"scheme_id": 1, "version": 1, "as_of": "2027-01-22",
    "result": {"subject_type": "teacher", "subject_id": 5, "name": "王芳", "school_id": 2, "score": 20.0, "rank": 1,
        "breakdown": {"score": 20.0, "components": [{"name": "参与教研活动率", "kind": "attendance_rate", "weight": 1.0, "cap": null, "points": 20.0,
            "lines": [{"source": "attendance", "source_id": null, "label": "参与教研活动率", "detail": "100% × 20", "raw": 20.0, "points": 20.0}]}]}},
    "members": []}))]
pub struct AppraisalView {
    pub scheme_id: i64,
    pub version: i32,
    pub as_of: NaiveDate,
    pub result: ResultView,
    /// A group's members, ranked (empty for a teacher).
    pub members: Vec<RankedView>,
}

/// The results a simulation computed (nothing is stored).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"scheme_id": 1, "as_of": "2026-12-05",
    "teachers": [{"subject_type": "teacher", "subject_id": 5, "name": "王芳", "school_id": 2, "score": 20.0, "rank": 1,
        "breakdown": {"score": 20.0, "components": [{"name": "参与教研活动率", "kind": "attendance_rate", "weight": 1.0, "cap": null, "points": 20.0,
            "lines": [{"source": "attendance", "source_id": null, "label": "参与教研活动率", "detail": "100% × 20", "raw": 20.0, "points": 20.0}]}]}}],
    "groups": []}))]
pub struct SimulationView {
    pub scheme_id: i64,
    pub as_of: NaiveDate,
    pub teachers: Vec<ResultView>,
    pub groups: Vec<ResultView>,
}

/// Which version to read.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// A published version (default: the newest).
    #[param(minimum = 1)]
    pub version: Option<i32>,
}

/// What to simulate.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SimulateQuery {
    /// Only this school's teachers and groups (of a district scheme).
    pub school_id: Option<i64>,
}

/// What to export.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The school (required unless the caller administers the scheme's district).
    pub school_id: Option<i64>,
    #[param(minimum = 1)]
    pub version: Option<i32>,
    pub format: Option<ReportFormat>,
    /// `zh` for Chinese headers (教师, 得分, 排名 ...).
    pub lang: Option<Lang>,
    /// The table of a CSV: `teachers` (default), `groups` or `lines`.
    pub table: Option<String>,
}
