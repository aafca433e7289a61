//! The wire types of a school's teacher statistics.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::Figures;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// Comma-separated ages in ascending order, each 18–80, where age bands start (default
    /// `35,50`: under 35, 35–49, 50 and older).
    pub age_cutoffs: Option<String>,
    /// The day ages are computed on (default: today in China Standard Time, UTC+8).
    pub as_of: Option<NaiveDate>,
}

/// An age band and how many teachers fall in it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[schema(example = json!({"label": "35–49", "min_age": 35, "max_age": 49, "count": 23}))]
pub struct AgeBand {
    /// `<35`, `35–49`, `≥50` ...
    pub label: String,
    /// Youngest age in the band (none for the first band).
    pub min_age: Option<u32>,
    /// Oldest age in the band (none for the last band).
    pub max_age: Option<u32>,
    pub count: u64,
}

/// Teacher statistics of a school (教师队伍情况).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"school_id": 3, "as_of": "2026-09-01", "age_cutoffs": [35, 50], "total": 60,
    "by_age_band": [{"label": "<35", "min_age": null, "max_age": 34, "count": 35},
                    {"label": "35–49", "min_age": 35, "max_age": 49, "count": 23},
                    {"label": "≥50", "min_age": 50, "max_age": null, "count": 2}],
    "unknown_age": 0,
    "by_degree": {"associate": 24, "bachelor": 36, "doctorate": 0, "master": 0, "secondary": 0},
    "by_professional_title": {"first": 13, "full_senior": 0, "second": 40, "senior": 0, "third": 0, "unranked": 7},
    "by_employment_type": {"contract": 0, "part_time": 0, "permanent": 60, "support": 0},
    "by_gender": {"female": 48, "male": 12},
    "by_honour_level": {"city": 0, "county": 7, "district": 0, "national": 0, "province": 0, "school": 0},
    "by_honour_title": {"backbone_teacher": 1, "renowned_teacher": 0, "rising_star": 5, "subject_leader": 1, "teaching_expert": 0}}))]
pub struct SchoolStatistics {
    pub school_id: i64,
    /// The day ages were computed on.
    pub as_of: NaiveDate,
    /// The age cut-offs the bands were built from.
    pub age_cutoffs: Vec<u32>,
    /// Active, non-archived teachers.
    pub total: u64,
    /// Teachers per age band on `as_of`, youngest band first.
    pub by_age_band: Vec<AgeBand>,
    /// Teachers with no birth date recorded.
    pub unknown_age: u64,
    /// Teachers per degree code; every code appears, `unknown` only when some have none.
    pub by_degree: BTreeMap<String, u64>,
    /// Teachers per professional title code (`unknown` as for `by_degree`).
    pub by_professional_title: BTreeMap<String, u64>,
    /// Teachers per employment type code.
    pub by_employment_type: BTreeMap<String, u64>,
    /// Teachers per gender code (`unknown` as for `by_degree`).
    pub by_gender: BTreeMap<String, u64>,
    /// Distinct teachers holding at least one honour at each level (awarded in or before the
    /// year of `as_of`).
    pub by_honour_level: BTreeMap<String, u64>,
    /// Distinct teachers holding each honour title (awarded in or before the year of `as_of`).
    pub by_honour_title: BTreeMap<String, u64>,
}

impl SchoolStatistics {
    /// The statistics of school `school_id` from its figures.
    pub fn new(school_id: i64, as_of: NaiveDate, age_cutoffs: Vec<u32>, figures: Figures) -> SchoolStatistics {
        let [by_degree, by_professional_title, by_employment_type, by_gender, by_honour_level, by_honour_title] =
            figures.by_code;
        SchoolStatistics {
            school_id,
            as_of,
            age_cutoffs,
            total: figures.total,
            by_age_band: figures.by_age_band,
            unknown_age: figures.unknown_age,
            by_degree,
            by_professional_title,
            by_employment_type,
            by_gender,
            by_honour_level,
            by_honour_title,
        }
    }
}
