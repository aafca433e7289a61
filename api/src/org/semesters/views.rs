//! Wire types: what the API reads and shows.

use super::rules::*;
use crate::domain::DomainResult;
use crate::org::calendar::{self, Holiday};
use chrono::{DateTime, NaiveDate, Utc};
use entities::semester;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A semester as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "name": "2026年秋季学期", "school_year": "2026-2027",
    "start_date": "2026-09-01", "end_date": "2027-01-22", "week1_start": "2026-08-31",
    "holidays": [{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"}], "teaching_weeks": 21,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct SemesterView {
    pub id: i64,
    pub district_id: i64,
    /// Unique within the district, e.g. 2026年秋季学期.
    pub name: String,
    /// `YYYY-YYYY`, e.g. `2026-2027`.
    pub school_year: String,
    /// First day of the semester.
    pub start_date: NaiveDate,
    /// Last day of the semester.
    pub end_date: NaiveDate,
    /// Monday of teaching week 1; week numbers count calendar weeks from it.
    pub week1_start: NaiveDate,
    /// Holiday ranges (both ends included).
    pub holidays: Vec<Holiday>,
    /// How many teaching weeks the semester has: weeks with at least one school day from Monday
    /// to Friday that is not a holiday.
    pub teaching_weeks: usize,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// The semester as the API shows it.
pub fn view(m: semester::Model) -> DomainResult<SemesterView> {
    let calendar = calendar_of(&m)?;
    Ok(SemesterView {
        id: m.id,
        district_id: m.district_id,
        name: m.name,
        school_year: m.school_year,
        start_date: m.start_date,
        end_date: m.end_date,
        week1_start: m.week1_start,
        teaching_weeks: calendar::teaching_weeks(&calendar).len(),
        holidays: calendar.holidays,
        created_at: m.created_at,
        updated_at: m.updated_at,
        archived_at: m.archived_at,
    })
}

/// A new semester.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"district_id": 1, "name": "2026年秋季学期", "school_year": "2026-2027",
    "start_date": "2026-09-01", "end_date": "2027-01-22",
    "holidays": [{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"}]}))]
pub struct NewSemester {
    pub district_id: i64,
    /// Unique within the district.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// `YYYY-YYYY`, two consecutive years.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{4}$")]
    pub school_year: String,
    pub start_date: NaiveDate,
    /// After `start_date`, at most 366 days later.
    pub end_date: NaiveDate,
    /// The Monday on or before `start_date` (the default; no other day is accepted).
    pub week1_start: Option<NaiveDate>,
    /// Holidays within the semester, each `start` ≤ `end` (default none; at most 50).
    #[serde(default)]
    #[schema(max_items = 50)]
    pub holidays: Vec<Holiday>,
}

/// Changes to a semester; absent fields stay as they are. `holidays` replaces the whole list.
/// When `start_date` changes, `week1_start` follows it unless given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2027-01-29"}))]
pub struct SemesterPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{4}$")]
    pub school_year: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub week1_start: Option<NaiveDate>,
    /// At most 50.
    #[schema(max_items = 50)]
    pub holidays: Option<Vec<Holiday>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SemesterFilter {
    pub district_id: Option<i64>,
    /// `YYYY-YYYY`.
    pub school_year: Option<String>,
    /// Semesters whose dates include this day.
    pub contains_date: Option<NaiveDate>,
    /// Include archived semesters (default false).
    pub include_archived: Option<bool>,
    /// `start_date`, `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
