//! The 2026–2027 school year of the generated county: two semesters, their holidays and their
//! teaching days (Monday to Friday, not in a holiday).

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{json, Value};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A semester as written to `semesters`.
#[derive(Debug, Clone)]
pub struct Semester {
    pub name: &'static str,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub week1_start: NaiveDate,
    pub holidays: Vec<(&'static str, NaiveDate, NaiveDate)>,
}

pub const SCHOOL_YEAR: &str = "2026-2027";

pub fn autumn() -> Semester {
    Semester {
        name: "2026年秋季学期",
        start: date(2026, 9, 1),
        end: date(2027, 1, 22),
        week1_start: date(2026, 8, 31),
        holidays: vec![("国庆节", date(2026, 10, 1), date(2026, 10, 7)), ("元旦", date(2027, 1, 1), date(2027, 1, 1))],
    }
}

pub fn spring() -> Semester {
    Semester {
        name: "2027年春季学期",
        start: date(2027, 2, 24),
        end: date(2027, 7, 2),
        week1_start: date(2027, 2, 22),
        holidays: vec![("清明节", date(2027, 4, 3), date(2027, 4, 5)), ("劳动节", date(2027, 5, 1), date(2027, 5, 5))],
    }
}

impl Semester {
    /// The holidays as the demo stores them: `[{name, start, end}]` with ISO dates.
    pub fn holidays_json(&self) -> Value {
        Value::Array(
            self.holidays
                .iter()
                .map(|(name, start, end)| json!({"name": name, "start": start.to_string(), "end": end.to_string()}))
                .collect(),
        )
    }

    pub fn is_teaching_day(&self, day: NaiveDate) -> bool {
        day >= self.start
            && day <= self.end
            && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.holidays.iter().any(|(_, a, b)| day >= *a && day <= *b)
    }

    /// Every teaching day, in order.
    pub fn teaching_days(&self) -> Vec<NaiveDate> {
        self.start.iter_days().take_while(|d| *d <= self.end).filter(|d| self.is_teaching_day(*d)).collect()
    }

    /// Teaching week (1-based) of a day.
    pub fn week_of(&self, day: NaiveDate) -> i64 {
        (day - self.week1_start).num_days() / 7 + 1
    }

    /// The teaching days grouped by teaching week (weeks without one are left out).
    pub fn teaching_weeks(&self) -> Vec<Vec<NaiveDate>> {
        let mut weeks: Vec<Vec<NaiveDate>> = Vec::new();
        let mut current = 0;
        for day in self.teaching_days() {
            let week = self.week_of(day);
            if week != current {
                weeks.push(Vec::new());
                current = week;
            }
            weeks.last_mut().expect("a week was pushed").push(day);
        }
        weeks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teaching_days_skip_weekends_and_holidays() {
        let a = autumn();
        let days = a.teaching_days();
        assert_eq!(days[0], date(2026, 9, 1));
        assert_eq!(*days.last().unwrap(), date(2027, 1, 22));
        assert!(!days.contains(&date(2026, 10, 5)));
        assert!(!days.contains(&date(2027, 1, 1)));
        assert!(days.contains(&date(2026, 10, 8)));
        assert_eq!(a.week_of(date(2026, 9, 1)), 1);
        assert_eq!(a.teaching_weeks().iter().map(Vec::len).sum::<usize>(), days.len());
        assert!(spring().teaching_days().iter().all(|d| d.weekday() != Weekday::Sat));
    }
}
