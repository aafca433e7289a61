//! What the group report reads.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::quota::reports::table::{Lang, ReportFormat};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GroupReportQuery {
    /// The semester reported on (one of the group's district).
    /// Default: the district's semester containing `as_of` (a 422 on `semester_id` when none
    /// does).
    pub semester_id: Option<i64>,
    /// Count what happened up to this day (default: today, UTC+8).
    pub as_of: Option<NaiveDate>,
    /// `json` (default), `csv` (one table, see `table`) or `xlsx` (a sheet per table).
    pub format: Option<ReportFormat>,
    /// Headers and titles in English (`en`, default) or Chinese (`zh`).
    pub lang: Option<Lang>,
    /// With `format=csv`: the table to export (default the first): `activities_by_type`,
    /// `activities`, `attendance`, `topics`, `open_lessons`.
    pub table: Option<String>,
}
