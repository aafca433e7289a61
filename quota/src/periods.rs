//! The periods a quota rule is counted over, and each period's minimum.
//!
//! A rule says "per week / fortnight / month / semester / school year" (the catalogue in
//! DOMAIN.md, e.g. 每周做一次教后反思 seed 004, 每两周至少一次反思 seed 002, 教师每月听课不少于4节
//! seed 000, 一学年至少要完成5000字的学习笔记 seed 000). [`periods`] turns that into dated periods:
//! - **week**: one period per *teaching* week ([`teaching_weeks`]: a week whose Monday–Friday are
//!   all holidays is skipped entirely, so records dated in it count towards no week), Monday to
//!   Sunday clipped to the semester;
//! - **fortnight**: consecutive pairs of teaching weeks (1+2, 3+4 … over teaching weeks only, so a
//!   skipped holiday week does not break the rhythm), from the first week's Monday to the second
//!   week's Sunday; a trailing single week is a short fortnight;
//! - **month**: calendar months intersected with the semester; a month without a single teaching
//!   day inside (all holidays) is dropped;
//! - **semester**: the semester; **school year**: the given range (first semester's start to the
//!   second's end), or the semester when none is given.
//!
//! ## Periods cut by the semester's start or end (docs/API-DESIGN.md, "Quota checks")
//! A period's `teaching_days` are its teaching days inside the semester; its `full_teaching_days`
//! are those the whole calendar unit would have: Monday–Friday, minus this semester's holidays,
//! and for days outside the semester every Monday–Friday (we do not know the holidays there). A
//! missing second week of a trailing fortnight counts as 5 such days.
//! - A period whose teaching days are all inside (including one shortened by holidays, such as
//!   October with 国庆) is *full* and needs exactly the rule's minimum: holidays are part of the
//!   calendar the rule was written for.
//! - A *cut* period needs the minimum pro-rated by its share of teaching days, **rounded up** to a
//!   whole number: `ceil(min × teaching_days / full_teaching_days)`, never more than `min`. So a
//!   month with half its teaching days inside needs 2 of "每月4节", one with 3 of 20 needs 1. We
//!   round up because records are whole (half an observation cannot be made) and a period that
//!   exists at all asks for something; the cost is that a lightly cut period (January 2027, 16 of
//!   21 days) keeps its full minimum of 4.
//! - Ratios (attendance rate, share of full lesson plans) are never pro-rated: see
//!   [`crate::evaluate`].
//!
//! `explain` can show the treatment from [`Period::teaching_days`], [`Period::full_teaching_days`]
//! and [`required_in`].
//!
//! The teaching-day counters [`teaching_days`] and [`nominal_teaching_days`] live here and are
//! used by the evaluation as well.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::calendar::{is_teaching_day, teaching_weeks, Calendar};

/// Per which period a rule's minimum applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// 每周: each teaching week (holiday weeks skipped).
    Week,
    /// 每两周: each pair of consecutive teaching weeks.
    Fortnight,
    /// 每月: each calendar month, cut by the semester.
    Month,
    /// 每学期: the semester.
    Semester,
    /// 每学年: the school year (both semesters).
    SchoolYear,
}

/// One period of a rule, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Teaching days inside the period (and the semester).
    pub teaching_days: u32,
    /// Teaching days of the whole calendar unit (week, fortnight, month); more than
    /// `teaching_days` only when the period is cut by the semester's start or end.
    pub full_teaching_days: u32,
}

impl Period {
    /// The share of the whole unit's teaching days that lie inside the semester: 1 for a full
    /// period.
    pub fn weight(&self) -> f64 {
        if self.full_teaching_days == 0 {
            return 1.0;
        }
        f64::from(self.teaching_days) / f64::from(self.full_teaching_days)
    }

    /// Whether the semester's start or end removed some of the unit's teaching days.
    pub fn is_cut(&self) -> bool {
        self.teaching_days < self.full_teaching_days
    }
}

/// Teaching days from `from` to `to`, both included: Monday–Friday, inside the semester, not a
/// holiday ([`is_teaching_day`]).
pub fn teaching_days(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days().take_while(|d| *d <= to).filter(|d| is_teaching_day(calendar, *d)).count() as u32
}

/// Teaching days from `from` to `to` as a whole calendar unit would have them: inside the
/// semester the real teaching days, outside it every Monday–Friday (the holidays there are not
/// known). Equal to [`teaching_days`] for a range inside the semester.
pub fn nominal_teaching_days(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| {
            if calendar.start_date <= *d && *d <= calendar.end_date {
                is_teaching_day(calendar, *d)
            } else {
                !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            }
        })
        .count() as u32
}

/// The periods of `kind` over the semester of `calendar`, in order and not overlapping.
/// `school_year` is used by [`PeriodKind::SchoolYear`] only.
pub fn periods(calendar: &Calendar, kind: PeriodKind, school_year: Option<(NaiveDate, NaiveDate)>) -> Vec<Period> {
    match kind {
        PeriodKind::Week => weeks(calendar),
        PeriodKind::Fortnight => fortnights(calendar),
        PeriodKind::Month => months(calendar),
        PeriodKind::Semester => whole(calendar, calendar.start_date, calendar.end_date),
        PeriodKind::SchoolYear => {
            let (start, end) = school_year.unwrap_or((calendar.start_date, calendar.end_date));
            whole(calendar, start, end)
        }
    }
}

/// One uncut period over `start..=end` (none when the range is empty).
fn whole(calendar: &Calendar, start: NaiveDate, end: NaiveDate) -> Vec<Period> {
    if start > end {
        return Vec::new();
    }
    let days = nominal_teaching_days(calendar, start, end);
    vec![Period { start, end, teaching_days: days, full_teaching_days: days }]
}

fn weeks(calendar: &Calendar) -> Vec<Period> {
    teaching_weeks(calendar)
        .into_iter()
        .map(|week| {
            let start = week.monday.max(calendar.start_date);
            let end = (week.monday + Days::new(6)).min(calendar.end_date);
            Period {
                start,
                end,
                teaching_days: teaching_days(calendar, start, end),
                full_teaching_days: nominal_teaching_days(calendar, week.monday, week.monday + Days::new(4)),
            }
        })
        .collect()
}

fn fortnights(calendar: &Calendar) -> Vec<Period> {
    weeks(calendar)
        .chunks(2)
        .map(|pair| {
            let first = pair[0];
            let last = pair[pair.len() - 1];
            // A trailing single week: its missing partner would have been a whole school week.
            let missing = if pair.len() == 1 { 5 } else { 0 };
            Period {
                start: first.start,
                end: last.end,
                teaching_days: pair.iter().map(|w| w.teaching_days).sum(),
                full_teaching_days: pair.iter().map(|w| w.full_teaching_days).sum::<u32>() + missing,
            }
        })
        .collect()
}

fn months(calendar: &Calendar) -> Vec<Period> {
    let mut out = Vec::new();
    let Some(mut first) = calendar.start_date.with_day(1) else { return out };
    while first <= calendar.end_date {
        let next = first + Months::new(1);
        let last = next - Days::new(1);
        let start = first.max(calendar.start_date);
        let end = last.min(calendar.end_date);
        let days = teaching_days(calendar, start, end);
        if days > 0 {
            out.push(Period {
                start,
                end,
                teaching_days: days,
                full_teaching_days: nominal_teaching_days(calendar, first, last),
            });
        }
        first = next;
    }
    out
}

/// The minimum of a count rule in `period`: `min` for a full period, and for a period cut by the
/// semester `ceil(min × teaching_days / full_teaching_days)`, never above `min` (see the module
/// documentation). A minimum of 0 or less needs 0.
pub fn required_in(period: &Period, min: f64) -> f64 {
    if min <= 0.0 {
        return 0.0;
    }
    if !period.is_cut() || period.full_teaching_days == 0 {
        return min;
    }
    // Multiply first: for whole minimums the product and the quotient are exact, so a share of
    // exactly one half does not become 2.0000000000000004 and round up to 3. The small tolerance
    // covers fractional minimums (hours).
    let share = min * f64::from(period.teaching_days) / f64::from(period.full_teaching_days);
    (share - 1e-9).ceil().clamp(0.0, min)
}

/// The index of the period containing `day`, if any (a skipped holiday week, a dropped month or a
/// day outside the semester has none).
pub fn period_of(periods: &[Period], day: NaiveDate) -> Option<usize> {
    let i = periods.partition_point(|p| p.end < day);
    (i < periods.len() && periods[i].start <= day).then_some(i)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calendar::Holiday;

    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn holiday(name: &str, start: NaiveDate, end: NaiveDate) -> Holiday {
        Holiday { name: name.into(), start, end }
    }

    /// Autumn 2026: Tuesday 1 September to Friday 22 January, week 1 from Monday 31 August,
    /// 国庆 Thursday 1 to Wednesday 7 October. 99 teaching days.
    pub(crate) fn autumn() -> Calendar {
        Calendar {
            start_date: d(2026, 9, 1),
            end_date: d(2027, 1, 22),
            week1_start: d(2026, 8, 31),
            holidays: vec![holiday("国庆节", d(2026, 10, 1), d(2026, 10, 7))],
        }
    }

    /// The same semester with 国庆 running to Friday 9 October, so week 6 has no school day.
    fn autumn_long_holiday() -> Calendar {
        Calendar { holidays: vec![holiday("国庆节", d(2026, 10, 1), d(2026, 10, 9))], ..autumn() }
    }

    /// Spring 2027: Wednesday 24 February to Friday 2 July, with 清明 and 劳动节.
    fn spring() -> Calendar {
        Calendar {
            start_date: d(2027, 2, 24),
            end_date: d(2027, 7, 2),
            week1_start: d(2027, 2, 22),
            holidays: vec![
                holiday("清明节", d(2027, 4, 3), d(2027, 4, 5)),
                holiday("劳动节", d(2027, 5, 1), d(2027, 5, 5)),
            ],
        }
    }

    fn span(p: &Period) -> (NaiveDate, NaiveDate, u32, u32) {
        (p.start, p.end, p.teaching_days, p.full_teaching_days)
    }

    #[test]
    fn teaching_days_leave_out_weekends_holidays_and_days_outside() {
        let cal = autumn();
        assert_eq!(teaching_days(&cal, cal.start_date, cal.end_date), 99);
        // Monday 31 August is before the start.
        assert_eq!(teaching_days(&cal, d(2026, 8, 31), d(2026, 9, 6)), 4);
        // 国庆 week: Monday 28 September to Sunday 4 October keeps Mon–Wed.
        assert_eq!(teaching_days(&cal, d(2026, 9, 28), d(2026, 10, 4)), 3);
        assert_eq!(teaching_days(&cal, d(2026, 10, 5), d(2026, 10, 11)), 2);
        assert_eq!(teaching_days(&cal, d(2026, 9, 5), d(2026, 9, 6)), 0);
        assert_eq!(teaching_days(&cal, d(2026, 9, 10), d(2026, 9, 9)), 0);
    }

    #[test]
    fn nominal_days_count_every_weekday_outside_the_semester() {
        let cal = autumn();
        assert_eq!(nominal_teaching_days(&cal, d(2026, 8, 31), d(2026, 9, 6)), 5);
        assert_eq!(nominal_teaching_days(&cal, d(2027, 1, 1), d(2027, 1, 31)), 21);
        // Inside the semester the holidays still count as days off.
        assert_eq!(nominal_teaching_days(&cal, d(2026, 10, 1), d(2026, 10, 31)), 17);
    }

    #[test]
    fn weeks_are_teaching_weeks_clipped_to_the_semester() {
        let cal = autumn();
        let weeks = periods(&cal, PeriodKind::Week, None);
        // 国庆 (Thu 1 – Wed 7 October) leaves school days in both its weeks: none is skipped.
        assert_eq!(weeks.len(), 21);
        assert_eq!(span(&weeks[0]), (d(2026, 9, 1), d(2026, 9, 6), 4, 5));
        assert_eq!(span(&weeks[1]), (d(2026, 9, 7), d(2026, 9, 13), 5, 5));
        // Holidays shorten a week without making it cut: it still needs the whole minimum.
        assert_eq!(span(&weeks[4]), (d(2026, 9, 28), d(2026, 10, 4), 3, 3));
        assert_eq!(span(&weeks[5]), (d(2026, 10, 5), d(2026, 10, 11), 2, 2));
        assert_eq!(span(&weeks[20]), (d(2027, 1, 18), d(2027, 1, 22), 5, 5));
        assert_eq!(weeks.iter().map(|w| w.teaching_days).sum::<u32>(), 99);
    }

    #[test]
    fn a_week_that_is_all_holiday_is_skipped() {
        let cal = autumn_long_holiday();
        let weeks = periods(&cal, PeriodKind::Week, None);
        assert_eq!(weeks.len(), 20);
        assert_eq!(weeks[4].start, d(2026, 9, 28));
        assert_eq!(weeks[5].start, d(2026, 10, 12));
        assert_eq!(period_of(&weeks, d(2026, 10, 6)), None);
        assert_eq!(period_of(&weeks, d(2026, 10, 3)), Some(4));
    }

    #[test]
    fn fortnights_pair_teaching_weeks_and_the_last_one_is_short() {
        let cal = autumn();
        let fortnights = periods(&cal, PeriodKind::Fortnight, None);
        assert_eq!(fortnights.len(), 11);
        assert_eq!(span(&fortnights[0]), (d(2026, 9, 1), d(2026, 9, 13), 9, 10));
        assert_eq!(span(&fortnights[2]), (d(2026, 9, 28), d(2026, 10, 11), 5, 5));
        // Week 21 alone: 5 of the 10 days a fortnight would have.
        assert_eq!(span(&fortnights[10]), (d(2027, 1, 18), d(2027, 1, 22), 5, 10));
        assert_eq!(required_in(&fortnights[10], 1.0), 1.0);
        assert_eq!(required_in(&fortnights[10], 2.0), 1.0);
        assert_eq!(required_in(&fortnights[10], 4.0), 2.0);
        assert_eq!(required_in(&fortnights[2], 2.0), 2.0);
    }

    #[test]
    fn fortnights_count_over_teaching_weeks_only() {
        let cal = autumn_long_holiday();
        let fortnights = periods(&cal, PeriodKind::Fortnight, None);
        // 20 teaching weeks: weeks 5 and 7 pair up across the holiday week 6.
        assert_eq!(fortnights.len(), 10);
        assert_eq!(span(&fortnights[2]), (d(2026, 9, 28), d(2026, 10, 18), 8, 8));
        assert_eq!(period_of(&fortnights, d(2026, 10, 6)), Some(2));
        assert_eq!(span(&fortnights[3]), (d(2026, 10, 19), d(2026, 11, 1), 10, 10));
        assert_eq!(span(&fortnights[9]), (d(2027, 1, 11), d(2027, 1, 22), 10, 10));
    }

    #[test]
    fn months_are_cut_by_the_semester() {
        let cal = autumn();
        let months = periods(&cal, PeriodKind::Month, None);
        let spans: Vec<_> = months.iter().map(span).collect();
        assert_eq!(
            spans,
            vec![
                // 1 September is the first of the month: September is whole (August, with only
                // Monday 31 of week 1, is outside the semester and has no period).
                (d(2026, 9, 1), d(2026, 9, 30), 22, 22),
                // 国庆 takes 5 school days, and October stays a full month.
                (d(2026, 10, 1), d(2026, 10, 31), 17, 17),
                (d(2026, 11, 1), d(2026, 11, 30), 21, 21),
                (d(2026, 12, 1), d(2026, 12, 31), 23, 23),
                // January is cut at Friday 22: 16 of its 21 school days.
                (d(2027, 1, 1), d(2027, 1, 22), 16, 21),
            ]
        );
        assert_eq!(required_in(&months[1], 4.0), 4.0);
        // ceil(4 × 16/21 = 3.05) = 4; ceil(2 × 16/21 = 1.52) = 2; ceil(10 × 16/21 = 7.6) = 8.
        assert_eq!(required_in(&months[4], 4.0), 4.0);
        assert_eq!(required_in(&months[4], 10.0), 8.0);
        assert!((months[4].weight() - 16.0 / 21.0).abs() < 1e-12);
        assert!(months[4].is_cut() && !months[0].is_cut());
    }

    #[test]
    fn a_month_cut_at_the_start_is_pro_rated_and_rounded_up() {
        let cal = spring();
        let months = periods(&cal, PeriodKind::Month, None);
        assert_eq!(months.len(), 6);
        // February 2027 has 20 school days; Wed 24 – Fri 26 are inside.
        assert_eq!(span(&months[0]), (d(2027, 2, 24), d(2027, 2, 28), 3, 20));
        assert_eq!(required_in(&months[0], 4.0), 1.0); // ceil(0.6)
        assert_eq!(required_in(&months[0], 20.0), 3.0); // exactly 3, not 4
                                                        // 清明 Monday 5 April: April keeps 21 of 22 and is not cut.
        assert_eq!(span(&months[2]), (d(2027, 4, 1), d(2027, 4, 30), 21, 21));
        // July: Thursday 1 and Friday 2 of 22.
        assert_eq!(span(&months[5]), (d(2027, 7, 1), d(2027, 7, 2), 2, 22));
        assert_eq!(required_in(&months[5], 4.0), 1.0);
        assert_eq!(required_in(&months[5], 0.0), 0.0);
    }

    #[test]
    fn exact_halves_are_not_rounded_past() {
        let p = Period { start: d(2027, 1, 1), end: d(2027, 1, 15), teaching_days: 11, full_teaching_days: 22 };
        assert_eq!(required_in(&p, 4.0), 2.0);
        assert_eq!(required_in(&p, 5.0), 3.0);
        // A fractional minimum never grows above itself.
        let almost = Period { teaching_days: 21, ..p };
        assert_eq!(required_in(&almost, 1.5), 1.5);
    }

    #[test]
    fn a_month_of_holidays_only_is_dropped() {
        // A semester starting in a February that is all 寒假 up to its last school day.
        let cal = Calendar {
            start_date: d(2027, 2, 1),
            end_date: d(2027, 4, 30),
            week1_start: d(2027, 2, 1),
            holidays: vec![holiday("春节", d(2027, 2, 1), d(2027, 2, 28))],
        };
        let months = periods(&cal, PeriodKind::Month, None);
        assert_eq!(months.iter().map(|m| m.start).collect::<Vec<_>>(), vec![d(2027, 3, 1), d(2027, 4, 1)]);
        assert_eq!(period_of(&months, d(2027, 2, 15)), None);
    }

    #[test]
    fn the_semester_is_one_full_period() {
        let cal = autumn();
        assert_eq!(
            periods(&cal, PeriodKind::Semester, None),
            vec![Period { start: d(2026, 9, 1), end: d(2027, 1, 22), teaching_days: 99, full_teaching_days: 99 }]
        );
        assert_eq!(periods(&cal, PeriodKind::SchoolYear, None), periods(&cal, PeriodKind::Semester, None));
    }

    #[test]
    fn the_school_year_spans_both_semesters() {
        let cal = autumn();
        let year = periods(&cal, PeriodKind::SchoolYear, Some((d(2026, 9, 1), d(2027, 7, 2))));
        // 99 teaching days of autumn, then every weekday from Monday 25 January to Friday 2 July:
        // 5 + 20 + 23 + 22 + 21 + 22 + 2 = 115.
        assert_eq!(
            year,
            vec![Period { start: d(2026, 9, 1), end: d(2027, 7, 2), teaching_days: 214, full_teaching_days: 214 }]
        );
        assert_eq!(required_in(&year[0], 5000.0), 5000.0);
        assert_eq!(period_of(&year, d(2027, 3, 15)), Some(0));
        assert!(periods(&cal, PeriodKind::SchoolYear, Some((d(2027, 7, 2), d(2026, 9, 1)))).is_empty());
    }

    #[test]
    fn period_of_finds_the_period_or_none() {
        let cal = autumn();
        let months = periods(&cal, PeriodKind::Month, None);
        assert_eq!(period_of(&months, d(2026, 9, 1)), Some(0));
        assert_eq!(period_of(&months, d(2026, 9, 30)), Some(0));
        assert_eq!(period_of(&months, d(2026, 10, 1)), Some(1));
        assert_eq!(period_of(&months, d(2027, 1, 22)), Some(4));
        assert_eq!(period_of(&months, d(2027, 1, 23)), None);
        assert_eq!(period_of(&months, d(2026, 8, 31)), None);
        assert_eq!(period_of(&[], d(2026, 9, 1)), None);
    }

    #[test]
    fn kinds_serialize_in_snake_case() {
        assert_eq!(serde_json::to_value(PeriodKind::SchoolYear).unwrap(), serde_json::json!("school_year"));
        assert_eq!(
            serde_json::from_value::<PeriodKind>(serde_json::json!("fortnight")).unwrap(),
            PeriodKind::Fortnight
        );
    }
}
