//! The semester calendar as pure functions: week numbering, holidays and teaching weeks.
//!
//! Week numbers count calendar weeks from `week1_start` (the Monday of teaching week 1): the week
//! starting on that Monday is week 1, the next week 2, and so on, holidays or not. A week whose
//! Monday–Friday (within the semester) are all holidays is a holiday week: it keeps its number but
//! is not a teaching week. Activities generated from weekly slots use [`teaching_weeks`].

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A holiday range (假期) within a semester, both ends included. This is what a semester's
/// `holidays` JSON column stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"}))]
pub struct Holiday {
    /// E.g. 国庆节, 元旦.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// First day off.
    pub start: NaiveDate,
    /// Last day off (not before `start`).
    pub end: NaiveDate,
}

impl Holiday {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// The dates of a semester that the calendar functions need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Monday of teaching week 1.
    pub week1_start: NaiveDate,
    pub holidays: Vec<Holiday>,
}

/// A teaching week: its number (as [`week_number`] gives it) and its Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeachingWeek {
    pub number: i32,
    pub monday: NaiveDate,
}

/// The week number of `date`: 1 for the week starting on `week1_start`, 0 for the week before,
/// negative further back.
pub fn week_number(week1_start: NaiveDate, date: NaiveDate) -> i32 {
    let days = (date - week1_start).num_days();
    (days.div_euclid(7) + 1) as i32
}

/// Whether `date` falls in one of the holidays.
pub fn is_holiday(holidays: &[Holiday], date: NaiveDate) -> bool {
    holidays.iter().any(|h| h.contains(date))
}

/// The Monday on or before `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// The two years of a school year written `YYYY-YYYY` (consecutive years, e.g. `2026-2027`).
pub fn parse_school_year(text: &str) -> Option<(i32, i32)> {
    let (first, second) = text.split_once('-')?;
    let year =
        |s: &str| (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<i32>().ok()).flatten();
    let (first, second) = (year(first)?, year(second)?);
    (second == first + 1).then_some((first, second))
}

/// Whether `week1_start` may start week 1 of a semester beginning on `start_date`: a Monday
/// within the 6 days before it, or the day itself. Only [`monday_of`]`(start_date)` qualifies.
pub fn valid_week1_start(start_date: NaiveDate, week1_start: NaiveDate) -> bool {
    week1_start.weekday() == Weekday::Mon && week1_start <= start_date && (start_date - week1_start).num_days() <= 6
}

/// Whether `date` is a school day of the semester: Monday–Friday, within the semester, and not a
/// holiday.
pub fn is_teaching_day(calendar: &Calendar, date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
        && calendar.start_date <= date
        && date <= calendar.end_date
        && !is_holiday(&calendar.holidays, date)
}

/// Every teaching week of the semester in order, from week 1 to the week of `end_date`, leaving
/// out holiday weeks (no teaching day from Monday to Friday).
pub fn teaching_weeks(calendar: &Calendar) -> Vec<TeachingWeek> {
    let mut weeks = Vec::new();
    let mut monday = calendar.week1_start;
    while monday <= calendar.end_date {
        let has_teaching_day = (0..5).any(|d| is_teaching_day(calendar, monday + Days::new(d)));
        if has_teaching_day {
            weeks.push(TeachingWeek { number: week_number(calendar.week1_start, monday), monday });
        }
        monday = monday + Days::new(7);
    }
    weeks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn holiday(start: NaiveDate, end: NaiveDate) -> Holiday {
        Holiday { name: "假".into(), start, end }
    }

    /// Autumn 2026: Tuesday 1 September to Friday 22 January, week 1 from Monday 31 August.
    fn autumn(holidays: Vec<Holiday>) -> Calendar {
        Calendar { start_date: d(2026, 9, 1), end_date: d(2027, 1, 22), week1_start: d(2026, 8, 31), holidays }
    }

    #[test]
    fn week_numbers_count_calendar_weeks_from_week1() {
        let w1 = d(2026, 8, 31);
        assert_eq!(week_number(w1, d(2026, 8, 31)), 1);
        assert_eq!(week_number(w1, d(2026, 9, 6)), 1);
        assert_eq!(week_number(w1, d(2026, 9, 7)), 2);
        assert_eq!(week_number(w1, d(2026, 10, 8)), 6);
        assert_eq!(week_number(w1, d(2026, 8, 30)), 0);
        assert_eq!(week_number(w1, d(2026, 8, 23)), -1);
        assert_eq!(week_number(w1, d(2026, 8, 24)), 0);
    }

    #[test]
    fn holidays_include_both_ends() {
        let holidays = vec![holiday(d(2026, 10, 1), d(2026, 10, 7))];
        assert!(!is_holiday(&holidays, d(2026, 9, 30)));
        assert!(is_holiday(&holidays, d(2026, 10, 1)));
        assert!(is_holiday(&holidays, d(2026, 10, 7)));
        assert!(!is_holiday(&holidays, d(2026, 10, 8)));
        assert!(!is_holiday(&[], d(2026, 10, 1)));
    }

    #[test]
    fn monday_of_goes_back_to_monday() {
        assert_eq!(monday_of(d(2026, 9, 1)), d(2026, 8, 31));
        assert_eq!(monday_of(d(2026, 8, 31)), d(2026, 8, 31));
        assert_eq!(monday_of(d(2026, 9, 6)), d(2026, 8, 31));
    }

    #[test]
    fn school_years_are_two_consecutive_years() {
        assert_eq!(parse_school_year("2026-2027"), Some((2026, 2027)));
        assert_eq!(parse_school_year("2026-2028"), None);
        assert_eq!(parse_school_year("2027-2026"), None);
        assert_eq!(parse_school_year("2026/2027"), None);
        assert_eq!(parse_school_year("26-27"), None);
        assert_eq!(parse_school_year("+026-2027"), None);
        assert_eq!(parse_school_year("2026-2027-2028"), None);
    }

    #[test]
    fn week1_starts_on_the_monday_of_the_first_day() {
        assert!(valid_week1_start(d(2026, 9, 1), d(2026, 8, 31)));
        assert!(valid_week1_start(d(2026, 8, 31), d(2026, 8, 31)));
        assert!(valid_week1_start(d(2026, 9, 6), d(2026, 8, 31)));
        assert!(!valid_week1_start(d(2026, 9, 1), d(2026, 8, 24)));
        assert!(!valid_week1_start(d(2026, 9, 1), d(2026, 9, 7)));
        assert!(!valid_week1_start(d(2026, 9, 1), d(2026, 9, 1)));
    }

    #[test]
    fn a_semester_without_holidays_has_every_week() {
        let weeks = teaching_weeks(&autumn(vec![]));
        assert_eq!(weeks.len(), 21);
        assert_eq!(weeks[0], TeachingWeek { number: 1, monday: d(2026, 8, 31) });
        assert_eq!(weeks[20], TeachingWeek { number: 21, monday: d(2027, 1, 18) });
    }

    #[test]
    fn a_week_off_from_monday_to_friday_is_skipped_but_numbering_goes_on() {
        // 国庆 Monday 5 to Friday 9 October 2026 covers week 6's school days.
        let weeks = teaching_weeks(&autumn(vec![holiday(d(2026, 10, 3), d(2026, 10, 9))]));
        assert_eq!(weeks.len(), 20);
        let numbers: Vec<i32> = weeks.iter().map(|w| w.number).collect();
        assert!(!numbers.contains(&6));
        assert!(numbers.contains(&5) && numbers.contains(&7));
        assert_eq!(weeks[5], TeachingWeek { number: 7, monday: d(2026, 10, 12) });
    }

    #[test]
    fn a_week_with_one_school_day_left_is_a_teaching_week() {
        // Thursday 1 to Thursday 8 October: Friday 9 is a school day of week 6.
        let weeks = teaching_weeks(&autumn(vec![holiday(d(2026, 10, 1), d(2026, 10, 8))]));
        assert_eq!(weeks.len(), 21);
    }

    #[test]
    fn days_outside_the_semester_do_not_teach() {
        // Starting on a Saturday: week 1 has no school day, so teaching starts in week 2.
        let calendar = Calendar {
            start_date: d(2026, 9, 5),
            end_date: d(2026, 9, 30),
            week1_start: d(2026, 8, 31),
            holidays: vec![],
        };
        let weeks = teaching_weeks(&calendar);
        assert_eq!(weeks.first().map(|w| w.number), Some(2));
        assert_eq!(weeks.last(), Some(&TeachingWeek { number: 5, monday: d(2026, 9, 28) }));
    }

    #[test]
    fn holidays_round_trip_as_stored_json() {
        let json = serde_json::json!([{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"}]);
        let holidays: Vec<Holiday> = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(holidays, vec![Holiday { name: "国庆节".into(), start: d(2026, 10, 1), end: d(2026, 10, 7) }]);
        assert_eq!(serde_json::to_value(&holidays).unwrap(), json);
    }
}
