//! Subjects that exist for only part of the semester: a mentorship pair formed in week 7 or
//! ended early, a teacher who joined or left the school, a member who joined or left the group a
//! rule is for. The one rule (written down in `docs/API-DESIGN.md`, "Partial presence"):
//!
//! > A subject is judged only over the days it was present. Periods entirely outside those days
//! > are not judged (nor shown); a period partly inside is cut, exactly like a period cut by the
//! > semester's start or end: its teaching days are those inside, its minimum is pro-rated
//! > `ceil(min × teaching days inside / teaching days of the whole unit)` (counts only; ratios
//! > are never pro-rated), and only what is dated inside counts towards it.
//!
//! [`clip`] turns a rule's periods into the periods a present subject is judged over; the
//! evaluation ([`crate::evaluate`]) then needs nothing else, and [`Presence::map`] restricts a
//! scan's segments (cut at the presence's edges by [`crate::fold::segment`]) to the clipped
//! periods.

use chrono::{Days, NaiveDate};

use crate::calendar::Calendar;
use crate::periods::{nominal_teaching_days, Period};

/// The days a subject was present, both ends included; `None` at an end: open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Presence {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Presence {
    /// Present all along.
    pub const ALWAYS: Presence = Presence { from: None, until: None };

    pub fn new(from: Option<NaiveDate>, until: Option<NaiveDate>) -> Presence {
        Presence { from, until }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day <= u)
    }

    /// The days present in both.
    pub fn and(self, other: Presence) -> Presence {
        Presence {
            from: match (self.from, other.from) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            until: match (self.until, other.until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        }
    }

    /// The smallest presence holding both (the days from the earlier start to the later end).
    pub fn hull(self, other: Presence) -> Presence {
        Presence {
            from: self.from.zip(other.from).map(|(a, b)| a.min(b)),
            until: self.until.zip(other.until).map(|(a, b)| a.max(b)),
        }
    }

    /// Whether the presence cuts none of `periods` (the subject is judged like everyone else).
    pub fn covers(&self, periods: &[Period]) -> bool {
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else { return true };
        self.from.is_none_or(|f| f <= first.start) && self.until.is_none_or(|u| last.end <= u)
    }

    /// The days a new segment must start on so that every segment lies wholly inside or
    /// outside the presence.
    pub fn bounds(&self) -> impl Iterator<Item = NaiveDate> {
        self.from.into_iter().chain(self.until.and_then(|u| u.checked_add_days(Days::new(1))))
    }

    /// For each segment (by its first day) of a segmentation and its period in the original
    /// list (`map`), the index into [`clip`]'s periods, `None` for segments outside the
    /// presence. `kept[i]` is the original index of clipped period `i`.
    pub fn map(&self, starts: &[NaiveDate], map: &[Option<u32>], kept: &[usize]) -> Vec<Option<u32>> {
        starts
            .iter()
            .zip(map)
            .map(|(start, period)| {
                let period = (*period)? as usize;
                if !self.contains(*start) {
                    return None;
                }
                kept.iter().position(|k| *k == period).map(|i| i as u32)
            })
            .collect()
    }
}

/// The periods a subject present on `presence` is judged over, each with its index in
/// `periods`: those with at least one teaching day inside the presence, cut to it (teaching days
/// inside; the whole unit's teaching days kept, so that [`crate::periods::required_in`]
/// pro-rates the minimum as for a period cut by the semester).
pub fn clip(calendar: &Calendar, periods: &[Period], presence: Presence) -> Vec<(usize, Period)> {
    periods
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let start = presence.from.map_or(p.start, |f| f.max(p.start));
            let end = presence.until.map_or(p.end, |u| u.min(p.end));
            if start > end {
                return None;
            }
            if start == p.start && end == p.end {
                return Some((i, *p));
            }
            let teaching_days = nominal_teaching_days(calendar, start, end);
            (teaching_days > 0).then_some((
                i,
                Period { start, end, teaching_days, full_teaching_days: p.full_teaching_days.max(teaching_days) },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{evaluate, PeriodStatus, Shape, Status};
    use crate::fold::{fold, segment, Fold};
    use crate::periods::tests::{autumn, d};
    use crate::periods::{periods, required_in, PeriodKind};

    /// A pair formed on Monday 12 October (week 7) and ended on Friday 4 December (week 14).
    fn week7_to_14() -> Presence {
        Presence::new(Some(d(2026, 10, 12)), Some(d(2026, 12, 4)))
    }

    #[test]
    fn a_pair_formed_in_week_7_is_judged_from_week_7_only() {
        let cal = autumn();
        let weeks = periods(&cal, PeriodKind::Week, None);
        let clipped = clip(&cal, &weeks, Presence::new(Some(d(2026, 10, 12)), None));
        assert_eq!(clipped.first().map(|(_, p)| p.start), Some(d(2026, 10, 12)));
        assert_eq!(clipped.len(), weeks.len() - 6);
        let list: Vec<Period> = clipped.iter().map(|(_, p)| *p).collect();
        // 师傅每周听徒弟一节课: nothing in weeks 1–6 and one a week since is on track, not short.
        let e = evaluate(&list, &[1.0, 1.0], 1.0, Shape::Count, d(2026, 10, 21), &cal);
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.required, 15.0);
        let whole = evaluate(&weeks, &[0.0; 8], 1.0, Shape::Count, d(2026, 10, 21), &cal);
        assert_eq!(whole.status, Status::Short);
    }

    #[test]
    fn an_ended_pair_is_still_reported_for_the_weeks_it_ran() {
        let cal = autumn();
        let weeks = periods(&cal, PeriodKind::Week, None);
        let list: Vec<Period> = clip(&cal, &weeks, week7_to_14()).into_iter().map(|(_, p)| p).collect();
        assert_eq!(list.len(), 8);
        assert_eq!(list.last().map(|p| p.end), Some(d(2026, 12, 4)));
        // After its end, on 10 December, every week it ran had its observation: met.
        let e = evaluate(&list, &[1.0; 8], 1.0, Shape::Count, d(2026, 12, 10), &cal);
        assert_eq!(e.status, Status::Met);
        let mut missed = [1.0; 8];
        missed[3] = 0.0;
        let e = evaluate(&list, &missed, 1.0, Shape::Count, d(2026, 12, 10), &cal);
        assert_eq!(e.status, Status::Short);
    }

    #[test]
    fn a_period_partly_inside_is_pro_rated_like_a_period_cut_by_the_semester() {
        let cal = autumn();
        let months = periods(&cal, PeriodKind::Month, None);
        // Joined on Thursday 15 October: October has 17 teaching days, 5 of them before.
        let clipped = clip(&cal, &months, Presence::new(Some(d(2026, 10, 15)), None));
        let (index, october) = clipped[0];
        assert_eq!(index, 1);
        assert_eq!((october.start, october.teaching_days), (d(2026, 10, 15), 12));
        assert!(october.is_cut());
        // 每月4节: ceil(4 × 13 / full) of the month.
        assert_eq!(required_in(&october, 4.0), (4.0 * 12.0 / f64::from(october.full_teaching_days)).ceil());
        assert!(required_in(&october, 4.0) < 4.0);
        // A semester rule: 15 × 72 / 99 rounded up.
        let semester = periods(&cal, PeriodKind::Semester, None);
        let (_, part) = clip(&cal, &semester, Presence::new(Some(d(2026, 10, 15)), None))[0];
        assert_eq!(part.teaching_days, 72);
        assert_eq!(required_in(&part, 15.0), 11.0);
        // Ratios are never pro-rated.
        let e = evaluate(&[part], &[0.97], 0.98, Shape::Ratio, d(2027, 1, 25), &cal);
        assert_eq!((e.required, e.status), (0.98, Status::Short));
    }

    #[test]
    fn a_presence_over_weekends_or_holidays_only_is_not_judged() {
        let cal = autumn();
        let weeks = periods(&cal, PeriodKind::Week, None);
        // Saturday 12 to Sunday 13 September: no teaching day.
        assert!(clip(&cal, &weeks, Presence::new(Some(d(2026, 9, 12)), Some(d(2026, 9, 13)))).is_empty());
        // Joining on Saturday 12 September keeps the next week whole.
        let clipped = clip(&cal, &weeks, Presence::new(Some(d(2026, 9, 12)), None));
        assert_eq!(clipped[0].1, weeks[2]);
        assert!(Presence::ALWAYS.covers(&weeks));
        assert!(!week7_to_14().covers(&weeks));
    }

    #[test]
    fn only_what_is_dated_inside_the_presence_counts() {
        let cal = autumn();
        let months = periods(&cal, PeriodKind::Month, None);
        let presence = Presence::new(Some(d(2026, 10, 15)), None);
        let s = segment(&[&months], &presence.bounds().collect::<Vec<_>>(), d(2026, 10, 31));
        let starts: Vec<NaiveDate> = s.segments.iter().map(|g| g.start).collect();
        assert!(starts.contains(&d(2026, 10, 15)));
        let kept: Vec<usize> = clip(&cal, &months, presence).iter().map(|(i, _)| *i).collect();
        let map = presence.map(&starts, &s.maps[0], &kept);
        // One count per segment: September, 1–14 October, 15–31 October.
        let cells = vec![5.0; s.segments.len()];
        let values = fold(Some(&cells), 1, 0, Fold::Count, &map, kept.len(), 0.0);
        assert_eq!(values[0], 5.0);
        assert_eq!(values.iter().sum::<f64>(), 5.0);
        let e = evaluate(&[clip(&cal, &months, presence)[0].1], &values[..1], 4.0, Shape::Count, d(2026, 11, 2), &cal);
        assert_eq!(e.periods[0].status, PeriodStatus::Met);
    }

    #[test]
    fn presences_combine() {
        let a = Presence::new(Some(d(2026, 9, 1)), Some(d(2026, 10, 31)));
        let b = Presence::new(Some(d(2026, 10, 1)), None);
        assert_eq!(a.and(b), Presence::new(Some(d(2026, 10, 1)), Some(d(2026, 10, 31))));
        assert_eq!(a.hull(b), Presence::new(Some(d(2026, 9, 1)), None));
        assert_eq!(Presence::ALWAYS.and(a), a);
        assert!(a.contains(d(2026, 10, 31)) && !a.contains(d(2026, 11, 1)));
        assert_eq!(a.bounds().collect::<Vec<_>>(), vec![d(2026, 9, 1), d(2026, 11, 1)]);
    }
}
