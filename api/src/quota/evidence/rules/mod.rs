//! Why a row does or does not count for a rule: pure functions over the facts of one row, the
//! same filters [`crate::quota::counting`] writes in SQL. Each returns the reason the row does not
//! count, `None` when it counts: [`observations`], [`records`], [`activities`] (lessons given,
//! activities held, participations); the date's verdict comes first ([`dating`]).

mod activities;
mod observations;
mod records;

use chrono::NaiveDate;
use jiaoyan_quota::vocab::LessonKind;

use crate::quota::periods::Period;

pub use activities::{
    activity_held_reason, lesson_reason, participation_reason, participation_value, ActivityFacts, Participation,
};
pub use observations::{observation_reason, pair_reason, ObservationFacts};
pub use records::{record_reason, record_value, RecordFacts};

/// The period a date falls in, and why the date alone keeps the row out (after `as_of`, or in no
/// period: a holiday week or month the rule skips).
pub fn dating(periods: &[Period], as_of: NaiveDate, date: NaiveDate) -> (Option<usize>, Option<String>) {
    let index = periods.iter().position(|p| p.start <= date && date <= p.end);
    let reason = if date > as_of {
        Some(format!("dated after as_of ({as_of})"))
    } else if index.is_none() {
        // Periods cover the semester except the holiday weeks (weeks, fortnights) or holiday
        // months they skip, and candidates are dated within the periods' span.
        let longest = periods.iter().map(|p| (p.end - p.start).num_days()).max().unwrap_or(0);
        let what = if longest < 14 { "holiday week" } else { "holiday month" };
        Some(format!("outside every period ({what})"))
    } else {
        None
    };
    (index, reason)
}

fn kinds_reason<T: PartialEq>(wanted: &[T], got: T, code: impl Fn(T) -> &'static str, what: &str) -> Option<String> {
    (!wanted.is_empty() && !wanted.contains(&got)).then(|| format!("{what}: {}", code(got)))
}

fn lesson_kind_reason(wanted: &[LessonKind], got: LessonKind) -> Option<String> {
    kinds_reason(wanted, got, LessonKind::code, "lesson kind not counted")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn period(start: NaiveDate, end: NaiveDate) -> Period {
        Period { start, end, teaching_days: 5, full_teaching_days: 5 }
    }

    #[test]
    fn dates_after_as_of_or_between_periods_do_not_count() {
        // Weeks of September, then the 国庆 week skipped, then the week of 10-12.
        let weeks = [period(day(9, 21), day(9, 27)), period(day(9, 28), day(9, 30)), period(day(10, 12), day(10, 18))];
        let as_of = day(10, 14);
        assert_eq!(dating(&weeks, as_of, day(9, 22)), (Some(0), None));
        assert_eq!(dating(&weeks, as_of, day(10, 14)), (Some(2), None), "as_of itself counts");
        assert_eq!(dating(&weeks, as_of, day(10, 15)), (Some(2), Some("dated after as_of (2026-10-14)".into())));
        assert_eq!(dating(&weeks, as_of, day(10, 5)), (None, Some("outside every period (holiday week)".into())));
        let months = [period(day(9, 1), day(9, 30)), period(day(11, 1), day(11, 30))];
        assert_eq!(dating(&months, day(12, 1), day(10, 9)).1.as_deref(), Some("outside every period (holiday month)"));
    }
}
