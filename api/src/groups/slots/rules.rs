//! Validation of a weekly slot (固定教研时间), as plain functions.

use chrono::NaiveTime;

use crate::validate::Checks;

/// Periods of a school day (节次).
pub const MAX_PERIOD: i32 = 12;

/// A slot's timing, after merging a request with the stored slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub weekday: i32,
    pub start_period: Option<i32>,
    pub end_period: Option<i32>,
    pub start_time: Option<NaiveTime>,
    pub end_time: Option<NaiveTime>,
    pub first_week: i32,
}

/// Parses an `HH:MM` time (24-hour clock); an error names `field`.
pub fn parse_time(checks: &mut Checks, field: &str, value: &str) -> Option<NaiveTime> {
    let value = value.trim();
    let shaped = value.len() == 5 && value.as_bytes()[2] == b':';
    match NaiveTime::parse_from_str(value, "%H:%M").ok().filter(|_| shaped) {
        Some(t) => Some(t),
        None => {
            checks.fail(field, "must be a time written HH:MM, e.g. 14:30");
            None
        }
    }
}

/// The API's `HH:MM` form of a stored time.
pub fn format_time(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Records every problem of `t`: weekday 1–7, periods 1–12 in order, times in order, each pair
/// given together, and at least one pair.
pub fn check_timing(checks: &mut Checks, t: &Timing) {
    checks.ensure((1..=7).contains(&t.weekday), "weekday", "must be 1 (Monday) to 7 (Sunday)");
    checks.ensure(t.first_week >= 1, "first_week", "must be at least 1");
    for (field, period) in [("start_period", t.start_period), ("end_period", t.end_period)] {
        if let Some(p) = period {
            checks.ensure((1..=MAX_PERIOD).contains(&p), field, format!("must be 1 to {MAX_PERIOD}"));
        }
    }
    match (t.start_period, t.end_period) {
        (Some(s), Some(e)) => checks.ensure(s <= e, "end_period", "must not be before start_period"),
        (Some(_), None) => checks.fail("end_period", "required with start_period"),
        (None, Some(_)) => checks.fail("start_period", "required with end_period"),
        (None, None) => {}
    }
    match (t.start_time, t.end_time) {
        (Some(s), Some(e)) => checks.ensure(s < e, "end_time", "must be after start_time"),
        (Some(_), None) => checks.fail("end_time", "required with start_time"),
        (None, Some(_)) => checks.fail("start_time", "required with end_time"),
        (None, None) => {}
    }
    let no_periods = t.start_period.is_none() && t.end_period.is_none();
    let no_times = t.start_time.is_none() && t.end_time.is_none();
    if no_periods && no_times {
        let message = "give the periods (start_period, end_period), the times (start_time, end_time), or both";
        checks.fail("start_period", message);
        checks.fail("start_time", message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(checks: Checks) -> Vec<String> {
        match checks.finish() {
            Ok(()) => vec![],
            Err(e) => e.problem().errors.unwrap().into_iter().map(|e| e.field).collect(),
        }
    }

    fn hm(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    /// 语文星期四下午第二节课 (seed 000).
    fn thursday_afternoon() -> Timing {
        Timing {
            weekday: 4,
            start_period: Some(6),
            end_period: Some(6),
            start_time: hm(14, 30),
            end_time: hm(15, 10),
            first_week: 1,
        }
    }

    #[test]
    fn the_seed_slot_is_valid() {
        let mut checks = Checks::new();
        check_timing(&mut checks, &thursday_afternoon());
        assert!(fields(checks).is_empty());
    }

    #[test]
    fn periods_or_times_alone_are_enough_but_one_is_needed() {
        let mut checks = Checks::new();
        check_timing(&mut checks, &Timing { start_time: None, end_time: None, ..thursday_afternoon() });
        check_timing(&mut checks, &Timing { start_period: None, end_period: None, ..thursday_afternoon() });
        assert!(fields(checks).is_empty());
        let mut checks = Checks::new();
        check_timing(
            &mut checks,
            &Timing { start_period: None, end_period: None, start_time: None, end_time: None, ..thursday_afternoon() },
        );
        assert_eq!(fields(checks), vec!["start_period", "start_time"]);
    }

    #[test]
    fn bounds_and_order_are_checked() {
        let mut checks = Checks::new();
        check_timing(
            &mut checks,
            &Timing {
                weekday: 8,
                start_period: Some(13),
                end_period: Some(7),
                start_time: hm(15, 0),
                end_time: hm(15, 0),
                first_week: 0,
            },
        );
        assert_eq!(fields(checks), vec!["weekday", "first_week", "start_period", "end_period", "end_time"]);
        let mut checks = Checks::new();
        check_timing(&mut checks, &Timing { end_period: None, start_time: None, ..thursday_afternoon() });
        assert_eq!(fields(checks), vec!["end_period", "start_time"]);
    }

    #[test]
    fn times_are_hh_mm() {
        let mut checks = Checks::new();
        assert_eq!(parse_time(&mut checks, "start_time", "14:30"), hm(14, 30));
        assert_eq!(format_time(hm(8, 5).unwrap()), "08:05");
        assert!(checks.is_empty());
        for bad in ["2:30", "14:30:00", "25:00", "afternoon", "14.30"] {
            let mut checks = Checks::new();
            assert_eq!(parse_time(&mut checks, "start_time", bad), None, "{bad}");
            assert!(!checks.is_empty());
        }
    }
}
