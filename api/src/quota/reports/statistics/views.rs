//! What the teacher statistics report reads.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::quota::reports::table::{Lang, ReportFormat};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TeacherStatisticsQuery {
    /// The zone's live schools (give this or `district_id`).
    pub zone_id: Option<i64>,
    /// The district's live schools (give this or `zone_id`).
    pub district_id: Option<i64>,
    /// Comma-separated ages in ascending order, each 18–80, where age bands start (default
    /// `35,50`: under 35, 35–49, 50 and older).
    pub age_cutoffs: Option<String>,
    /// The day ages are computed on (default: today, UTC+8).
    pub as_of: Option<NaiveDate>,
    /// `json` (default), `csv` (one table, see `table`) or `xlsx` (a sheet per table).
    pub format: Option<ReportFormat>,
    /// Headers and titles in English (`en`, default) or Chinese (`zh`).
    pub lang: Option<Lang>,
    /// With `format=csv`: `totals` (default) or `schools`.
    pub table: Option<String>,
}
