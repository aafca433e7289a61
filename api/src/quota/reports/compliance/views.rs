//! What the compliance report reads.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::quota::reports::table::{Lang, ReportFormat};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// Default: the semester of the caller's district containing `as_of` (a 422 on `semester_id`
    /// when none does, or for an installation administrator, who has no district).
    pub semester_id: Option<i64>,
    /// Default today (UTC+8).
    pub as_of: Option<NaiveDate>,
    /// One school (school administrators: their own); none: the caller's whole reach.
    pub school_id: Option<i64>,
    /// One zone (district administrators).
    pub zone_id: Option<i64>,
    pub format: Option<ReportFormat>,
    pub lang: Option<Lang>,
    /// The table a CSV holds: `compliance` (default) or `rules`.
    pub table: Option<String>,
}
