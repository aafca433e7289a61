//! Pure rules, no database.

use crate::domain::{DomainError, DomainResult};
use crate::org::calendar::{self, Calendar, Holiday};
use crate::validate::Checks;
use chrono::NaiveDate;
use entities::semester;

pub(crate) const NAME_MAX: usize = 100;

pub(super) const MAX_DAYS: i64 = 366;

pub(super) const MAX_HOLIDAYS: usize = 50;

/// The calendar of a stored semester (a 500 if its stored holidays are corrupt).
pub fn calendar_of(m: &semester::Model) -> DomainResult<Calendar> {
    calendar::calendar_of_semester(m)
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("semester {} has an unreadable holidays column: {e}", m.id)))
}

/// Checks a complete calendar, naming each bad field; returns the cleaned-up holidays.
pub(crate) fn check_calendar(
    checks: &mut Checks,
    school_year: &str,
    start: NaiveDate,
    end: NaiveDate,
    week1_start: NaiveDate,
    holidays: Vec<Holiday>,
) -> Vec<Holiday> {
    checks.ensure(
        calendar::parse_school_year(school_year).is_some(),
        "school_year",
        "must be two consecutive years written YYYY-YYYY",
    );
    if end <= start {
        checks.fail("end_date", "must be after start_date");
    } else if (end - start).num_days() > MAX_DAYS {
        checks.fail("end_date", format!("must be at most {MAX_DAYS} days after start_date"));
    }
    checks.ensure(
        calendar::valid_week1_start(start, week1_start),
        "week1_start",
        "must be the Monday on or before start_date",
    );
    checks.ensure(holidays.len() <= MAX_HOLIDAYS, "holidays", format!("at most {MAX_HOLIDAYS} holidays"));
    holidays
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let name = checks.text(&format!("holidays[{i}].name"), &h.name, NAME_MAX);
            checks.ensure(h.start >= start, format!("holidays[{i}].start"), "must not be before start_date");
            if h.end < h.start {
                checks.fail(format!("holidays[{i}].end"), "must not be before its start");
            } else {
                checks.ensure(h.end <= end, format!("holidays[{i}].end"), "must not be after end_date");
            }
            Holiday { name, start: h.start, end: h.end }
        })
        .collect()
}

pub(crate) fn holidays_json(holidays: &[Holiday]) -> DomainResult<serde_json::Value> {
    serde_json::to_value(holidays).map_err(|e| DomainError::Internal(e.into()))
}
