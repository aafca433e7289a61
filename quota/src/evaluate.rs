//! Evaluating one rule for one subject as of a date: the four statuses, what is expected by now
//! and the projection at the current pace.
//!
//! The statuses (docs/API-DESIGN.md, "Quota checks"):
//! - `met` — "decided in the subject's favour: every period of the semester has reached its
//!   minimum (a whole-semester rule as soon as actual ≥ min; a per-month rule only once its last
//!   month has reached it)";
//! - `short` — "a finished period missed its minimum (or the semester is over and the total is
//!   below)";
//! - `at_risk` — "not yet decided, but the projection at the current pace ends below the minimum,
//!   or the current period cannot be met in the days left at the subject's best pace so far";
//! - `on_track` — "not yet decided and the projection meets the minimum".
//!
//! Decisions:
//! - A period is *finished* once `as_of` is after its last day; on its last day it is still in
//!   progress, and records dated `as_of` already count. A count period that has reached its
//!   minimum is met at once (counts only grow); a ratio period is decided only when finished.
//! - "The semester" is the span of the rule's periods: for a school-year rule the school year.
//!   Teaching days are counted per period ([`nominal_teaching_days`]), so for every other kind the
//!   totals are exactly the semester's teaching days.
//! - **Count rules with many periods** (per week, fortnight, month) are judged period by period
//!   at the subject's per-period rhythm ([`Schedule::per_period_pace`]; docs/API-DESIGN.md, "Quota checks"): finished
//!   periods count as they are, the current one is at risk only if its minimum can no longer be
//!   reached at that rhythm in its teaching days left, and future periods are projected at the
//!   rhythm — so a subject that met every finished period on time is on track, however a later
//!   period is shortened by holidays. The days left are the teaching days *after* `as_of`
//!   (as_of itself is elapsed), so a per-week rule with 1 required and 0 done on the week's last
//!   teaching day is at risk.
//! - **Rules with one period** (semester, school year) are judged by their per-teaching-day pace:
//!   at risk when the projection (actual / elapsed × all teaching days) ends below the minimum,
//!   or the minimum needs more than the best pace so far brings in the days left.
//! - With no teaching day elapsed yet (before the start, or a semester opening on a weekend)
//!   there is no pace: expected and projected are 0 and an undecided rule is on track.
//! - A minimum of 0 (or less) is always met, in every period.
//! - `expected_by_now` and `projected` are rounded to 2 decimals for display; the comparisons use
//!   the exact values.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::periods::{nominal_teaching_days, required_in, Period};
use crate::calendar::Calendar;

/// Tolerance of comparisons between sums of floats (word counts and hours are summed as f64).
const EPS: f64 = 1e-9;

/// Where a subject stands with a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 达标: decided in the subject's favour (every period of the semester has reached its minimum).
    Met,
    /// 未达标: a finished period missed its minimum, or the semester is over and the total is below.
    Short,
    /// 有风险: not decided, but at the current pace the minimum (or the current period's) will be missed.
    AtRisk,
    /// 进度正常: not decided, and the projection meets the minimum.
    OnTrack,
}

/// Where a subject stands in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodStatus {
    /// 达标: the period reached its minimum.
    Met,
    /// 未达标: the period is over and missed its minimum.
    Short,
    /// 进行中: the period contains `as_of` and has not reached its minimum yet.
    InProgress,
    /// 未开始: the period starts after `as_of`.
    Upcoming,
}

/// How a counted value behaves over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// 计数: observations, records, words, hours, activities — they add up over time, and a cut
    /// period's minimum is pro-rated.
    Count,
    /// 比率: attendance rate, share of full lesson plans — they do not add up; each period's
    /// value is its own ratio and the minimum is never pro-rated.
    Ratio,
}

/// One period of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"start": "2026-10-01", "end": "2026-10-31", "required": 4.0, "actual": 3.0, "status": "short"}))]
pub struct PeriodResult {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The period's minimum: pro-rated and rounded up for a count period cut by the semester.
    pub required: f64,
    /// Counted in the period up to `as_of` (for a ratio, the period's ratio).
    pub actual: f64,
    pub status: PeriodStatus,
}

/// One rule evaluated for one subject as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"required": 20.0, "actual": 7.0, "status": "on_track", "expected_by_now": 6.26, "projected": 22.35,
    "periods": [
        {"start": "2026-09-01", "end": "2026-09-30", "required": 4.0, "actual": 4.0, "status": "met"},
        {"start": "2026-10-01", "end": "2026-10-31", "required": 4.0, "actual": 3.0, "status": "in_progress"},
        {"start": "2026-11-01", "end": "2026-11-30", "required": 4.0, "actual": 0.0, "status": "upcoming"},
        {"start": "2026-12-01", "end": "2026-12-31", "required": 4.0, "actual": 0.0, "status": "upcoming"},
        {"start": "2027-01-01", "end": "2027-01-22", "required": 4.0, "actual": 0.0, "status": "upcoming"}]}))]
pub struct Evaluation {
    /// Counts: the sum of the periods' minimums; ratios: the minimum ratio.
    pub required: f64,
    /// Counts: the sum over the periods; ratios: the latest period's ratio.
    pub actual: f64,
    pub status: Status,
    /// Counts over one period: `required` × teaching days elapsed (to `as_of` included) / all
    /// teaching days; over many: each finished period's minimum plus the current period's share
    /// of its teaching days elapsed; ratios: the minimum.
    pub expected_by_now: f64,
    /// Counts over one period: `actual` at the current pace at the end (actual / elapsed × all
    /// teaching days); over many: what finished periods counted, plus the current period's
    /// actual and what the subject's per-period rhythm brings in its days left, plus the rhythm
    /// for each period to come; ratios: the current ratio.
    pub projected: f64,
    pub periods: Vec<PeriodResult>,
}

/// Evaluates a rule of minimum `min` over `periods` (from [`super::periods::periods`]) as of
/// `as_of`. `actual_per_period[i]` is what was counted in `periods[i]` up to `as_of` (records
/// dated later are already left out by the caller); for a ratio, each period's ratio. Missing
/// entries count as 0. See the module documentation for the rules.
pub fn evaluate(
    periods: &[Period],
    actual_per_period: &[f64],
    min: f64,
    shape: Shape,
    as_of: NaiveDate,
    calendar: &Calendar,
) -> Evaluation {
    Schedule::new(periods, min, shape, as_of, calendar).evaluate(actual_per_period)
}

/// What one evaluation decides, without its periods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub required: f64,
    pub actual: f64,
    pub status: Status,
    pub expected_by_now: f64,
    pub projected: f64,
}

/// One period of a [`Schedule`]: what the calendar alone says about it as of the day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The period's minimum ([`required_in`] for counts, the minimum for ratios).
    pub required: f64,
    teaching_days: u32,
    /// Teaching days elapsed in the period, `as_of` included.
    elapsed: u32,
    /// Teaching days of the period after `as_of`.
    days_left: u32,
}

/// A rule's periods prepared for evaluation as of a day: everything that depends on the calendar
/// and the rule but not on what a subject did, so that evaluating thousands of subjects against
/// one rule counts teaching days once ([`evaluate`] is `Schedule::new(..).evaluate(..)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    shape: Shape,
    min: f64,
    as_of: NaiveDate,
    pub slots: Vec<Slot>,
    total_days: u32,
    elapsed_days: u32,
    before_start: bool,
}

impl Schedule {
    pub fn new(periods: &[Period], min: f64, shape: Shape, as_of: NaiveDate, calendar: &Calendar) -> Schedule {
        let slots: Vec<Slot> = periods
            .iter()
            .map(|p| Slot {
                start: p.start,
                end: p.end,
                required: match shape {
                    Shape::Count => required_in(p, min),
                    Shape::Ratio => min.max(0.0),
                },
                teaching_days: p.teaching_days,
                // Teaching days elapsed (as_of included) and left, period by period.
                elapsed: if as_of < p.start { 0 } else { nominal_teaching_days(calendar, p.start, as_of.min(p.end)) },
                days_left: if as_of >= p.end {
                    0
                } else {
                    nominal_teaching_days(calendar, as_of + Days::new(1), p.end)
                },
            })
            .collect();
        let total_days: u32 = periods.iter().map(|p| p.teaching_days).sum();
        let elapsed_days: u32 = slots.iter().map(|s| s.elapsed).sum();
        let before_start = periods.first().is_none_or(|p| as_of < p.start) || elapsed_days == 0;
        Schedule { shape, min, as_of, slots, total_days, elapsed_days, before_start }
    }

    /// The evaluation of a subject that counted `actual_per_period` (missing entries count as 0).
    pub fn evaluate(&self, actual_per_period: &[f64]) -> Evaluation {
        let mut statuses = Vec::with_capacity(self.slots.len());
        let verdict = self.judge(actual_per_period, &mut statuses);
        Evaluation {
            required: verdict.required,
            actual: verdict.actual,
            status: verdict.status,
            expected_by_now: verdict.expected_by_now,
            projected: verdict.projected,
            periods: self
                .slots
                .iter()
                .zip(statuses)
                .enumerate()
                .map(|(i, (s, status))| PeriodResult {
                    start: s.start,
                    end: s.end,
                    required: s.required,
                    actual: actual_per_period.get(i).copied().unwrap_or(0.0),
                    status,
                })
                .collect(),
        }
    }

    /// The verdict for `actual_per_period`, with each period's status appended to `statuses`.
    pub fn judge(&self, actual_per_period: &[f64], statuses: &mut Vec<PeriodStatus>) -> Verdict {
        let (shape, as_of) = (self.shape, self.as_of);
        let actual_of = |i: usize| actual_per_period.get(i).copied().unwrap_or(0.0);
        let first = statuses.len();
        for (i, s) in self.slots.iter().enumerate() {
            let (required, actual) = (s.required, actual_of(i));
            let reached = required <= 0.0 || actual + EPS >= required;
            statuses.push(if required <= 0.0 {
                // Nothing to wait for (a minimum of 0 is always met).
                PeriodStatus::Met
            } else if as_of < s.start {
                PeriodStatus::Upcoming
            } else if s.end < as_of {
                if reached {
                    PeriodStatus::Met
                } else {
                    PeriodStatus::Short
                }
            } else if reached && shape == Shape::Count {
                PeriodStatus::Met
            } else {
                PeriodStatus::InProgress
            });
        }
        let own = &statuses[first..];

        let (required, actual) = match shape {
            Shape::Count => (self.slots.iter().map(|s| s.required).sum(), (0..self.slots.len()).map(actual_of).sum()),
            // The latest period that has started holds the current ratio.
            Shape::Ratio => (
                self.min.max(0.0),
                (0..self.slots.len()).rev().find(|i| self.slots[*i].start <= as_of).map_or(0.0, actual_of),
            ),
        };

        let any_short = own.contains(&PeriodStatus::Short);
        let all_met = own.iter().all(|s| *s == PeriodStatus::Met);
        let per_period = shape == Shape::Count && self.slots.len() > 1;
        let (expected_exact, projected_exact, behind) = if self.before_start {
            (0.0, 0.0, false)
        } else if per_period {
            self.per_period_pace(own, actual_of)
        } else {
            match shape {
                Shape::Count => {
                    let share = f64::from(self.elapsed_days) / f64::from(self.total_days);
                    let (expected, projected) = (required * share, actual / share);
                    let behind = projected + EPS < required || self.current_period_hopeless(own, actual_of);
                    (expected, projected, behind)
                }
                Shape::Ratio => (required, actual, actual + EPS < required),
            }
        };

        let status = if self.min <= 0.0 || all_met {
            Status::Met
        } else if any_short {
            Status::Short
        } else if self.before_start || !behind {
            Status::OnTrack
        } else {
            Status::AtRisk
        };
        Verdict {
            required,
            actual,
            status,
            expected_by_now: round2(expected_exact),
            projected: round2(projected_exact),
        }
    }

    /// Expected by now, projected and whether the subject is behind, for a count rule with many
    /// periods (the per-period pace, docs/API-DESIGN.md "Quota checks"): each period is judged on its own.
    /// - The subject's *rhythm* is how much of a period's minimum it brings in per period: the
    ///   mean of actual / required over the finished periods (1, the rule's own pace, before
    ///   any period has finished).
    /// - Finished periods count as they are; the current one is projected at its actual plus the
    ///   rhythm over its teaching days left (rounded up to whole records); future periods at the
    ///   rhythm times their minimum
    ///   (pro-rated where the rule pro-rates: cut periods).
    /// - Behind only when the current period cannot reach its minimum at the rhythm in the
    ///   teaching days left, counted in whole records (rounded up: one more is possible as long
    ///   as a teaching day is left at a pace of at least one a period).
    /// - Expected by now: each finished period's minimum plus the current one's share of its
    ///   teaching days elapsed — never more than the finished periods plus the current one need.
    fn per_period_pace(&self, statuses: &[PeriodStatus], actual_of: impl Fn(usize) -> f64) -> (f64, f64, bool) {
        let finished: Vec<usize> = (0..self.slots.len())
            .filter(|i| self.slots[*i].end < self.as_of && self.slots[*i].required > 0.0)
            .collect();
        let rhythm = if finished.is_empty() {
            1.0
        } else {
            finished.iter().map(|i| actual_of(*i) / self.slots[*i].required).sum::<f64>() / finished.len() as f64
        };
        let (mut expected, mut projected, mut behind) = (0.0, 0.0, false);
        for (i, s) in self.slots.iter().enumerate() {
            let actual = actual_of(i);
            if s.end < self.as_of {
                expected += s.required;
                projected += actual;
            } else if s.start <= self.as_of {
                let share = if s.teaching_days == 0 { 1.0 } else { f64::from(s.elapsed) / f64::from(s.teaching_days) };
                let left = if s.teaching_days == 0 { 0.0 } else { f64::from(s.days_left) / f64::from(s.teaching_days) };
                // Whole records: one more is reachable as long as a fraction of one is.
                let reachable = (rhythm * s.required * left - EPS).ceil().max(0.0);
                expected += s.required * share;
                projected += actual + reachable;
                if statuses[i] == PeriodStatus::InProgress && s.required - actual > reachable + EPS {
                    behind = true;
                }
            } else {
                projected += rhythm * s.required;
            }
        }
        (expected, projected, behind)
    }

    /// Whether the count period containing `as_of` still needs more than the subject's best pace
    /// so far can bring in its teaching days after `as_of` (rules with one period).
    fn current_period_hopeless(&self, statuses: &[PeriodStatus], actual_of: impl Fn(usize) -> f64) -> bool {
        let Some(current) = statuses.iter().position(|s| *s == PeriodStatus::InProgress) else {
            return false;
        };
        let rate = |actual: f64, days: u32| if days == 0 { 0.0 } else { actual / f64::from(days) };
        let best_pace =
            self.slots
                .iter()
                .take(current + 1)
                .enumerate()
                .map(|(i, s)| {
                    if s.end < self.as_of {
                        rate(actual_of(i), s.teaching_days)
                    } else {
                        rate(actual_of(i), s.elapsed)
                    }
                })
                .fold(0.0, f64::max);
        let slot = &self.slots[current];
        let still_needed = slot.required - actual_of(current);
        still_needed > best_pace * f64::from(slot.days_left) + EPS
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::periods::tests::{autumn, d};
    use crate::periods::{periods, PeriodKind};

    fn eval(kind: PeriodKind, actual: &[f64], min: f64, shape: Shape, as_of: NaiveDate) -> Evaluation {
        let cal = autumn();
        evaluate(&periods(&cal, kind, None), actual, min, shape, as_of, &cal)
    }

    fn statuses(e: &Evaluation) -> Vec<PeriodStatus> {
        e.periods.iter().map(|p| p.status).collect()
    }

    use PeriodStatus::{InProgress, Met as PMet, Short as PShort, Upcoming};

    // 教师本学期听课不少于15节 (seed 000): one semester period of 99 teaching days.

    #[test]
    fn semester_rule_is_met_as_soon_as_the_minimum_is_reached() {
        // Friday 11 September, 9 teaching days in.
        let e = eval(PeriodKind::Semester, &[15.0], 15.0, Shape::Count, d(2026, 9, 11));
        assert_eq!(e.status, Status::Met);
        assert_eq!(statuses(&e), vec![PMet]);
        assert_eq!((e.required, e.actual), (15.0, 15.0));
    }

    #[test]
    fn semester_rule_early_is_judged_by_pace() {
        // 2 in 9 of 99 days: 22 at the end.
        let e = eval(PeriodKind::Semester, &[2.0], 15.0, Shape::Count, d(2026, 9, 11));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.expected_by_now, 1.36); // 15 × 9/99
        assert_eq!(e.projected, 22.0);
        assert_eq!(statuses(&e), vec![InProgress]);
        // 1 in 9 days: 11 at the end.
        let e = eval(PeriodKind::Semester, &[1.0], 15.0, Shape::Count, d(2026, 9, 11));
        assert_eq!(e.status, Status::AtRisk);
        assert_eq!(e.projected, 11.0);
    }

    #[test]
    fn semester_rule_mid_term_is_judged_by_pace() {
        // Friday 13 November: 22 + 17 + 10 = 49 teaching days elapsed.
        let e = eval(PeriodKind::Semester, &[7.0], 15.0, Shape::Count, d(2026, 11, 13));
        assert_eq!(e.status, Status::AtRisk);
        assert_eq!(e.projected, 14.14);
        assert_eq!(e.expected_by_now, 7.42);
        let e = eval(PeriodKind::Semester, &[8.0], 15.0, Shape::Count, d(2026, 11, 13));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.projected, 16.16);
    }

    #[test]
    fn semester_rule_is_decided_only_after_its_last_day() {
        // On Friday 22 January the day still counts: at risk, not yet short.
        let e = eval(PeriodKind::Semester, &[14.0], 15.0, Shape::Count, d(2027, 1, 22));
        assert_eq!(e.status, Status::AtRisk);
        assert_eq!(e.expected_by_now, 15.0);
        let e = eval(PeriodKind::Semester, &[14.0], 15.0, Shape::Count, d(2027, 1, 25));
        assert_eq!(e.status, Status::Short);
        assert_eq!(statuses(&e), vec![PShort]);
        assert_eq!(e.projected, 14.0);
        let e = eval(PeriodKind::Semester, &[15.0], 15.0, Shape::Count, d(2027, 1, 25));
        assert_eq!(e.status, Status::Met);
    }

    // 教师每月听课不少于4节 (seed 000): five months, January cut (ceil(4 × 16/21) = 4).

    #[test]
    fn monthly_rule_on_pace_is_on_track() {
        // Tuesday 20 October: 9 of October's 17 teaching days elapsed, 8 left.
        let e = eval(PeriodKind::Month, &[4.0, 3.0], 4.0, Shape::Count, d(2026, 10, 20));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.required, 20.0);
        assert_eq!(e.actual, 7.0);
        // September's 4 and 9/17 of October's.
        assert_eq!(e.expected_by_now, 6.12);
        // 4 + 3 + 4 × 8/17 (1.9, two whole ones) for the rest of October + 4 a month to come.
        assert_eq!(e.projected, 21.0);
        assert_eq!(statuses(&e), vec![PMet, InProgress, Upcoming, Upcoming, Upcoming]);
    }

    #[test]
    fn monthly_rule_is_short_when_a_finished_month_missed_whatever_the_total() {
        let e = eval(PeriodKind::Month, &[5.0, 3.0, 10.0], 4.0, Shape::Count, d(2026, 11, 13));
        assert_eq!(e.status, Status::Short);
        assert_eq!(e.actual, 18.0);
        assert_eq!(statuses(&e), vec![PMet, PShort, PMet, Upcoming, Upcoming]);
    }

    #[test]
    fn monthly_rule_is_met_only_when_the_last_month_reached_its_minimum() {
        let e = eval(PeriodKind::Month, &[9.0, 9.0, 9.0, 9.0], 4.0, Shape::Count, d(2026, 12, 31));
        assert_ne!(e.status, Status::Met);
        assert_eq!(e.periods[4].status, Upcoming);
        let e = eval(PeriodKind::Month, &[4.0, 4.0, 4.0, 4.0, 4.0], 4.0, Shape::Count, d(2027, 1, 20));
        assert_eq!(e.status, Status::Met);
        // Wednesday 20 January, one short with two school days left: still possible.
        let e = eval(PeriodKind::Month, &[4.0, 4.0, 4.0, 4.0, 3.0], 4.0, Shape::Count, d(2027, 1, 20));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.periods[4].status, InProgress);
        // On the last school day, no day is left after it.
        let e = eval(PeriodKind::Month, &[4.0, 4.0, 4.0, 4.0, 3.0], 4.0, Shape::Count, d(2027, 1, 22));
        assert_eq!(e.status, Status::AtRisk);
    }

    #[test]
    fn monthly_rule_is_at_risk_when_the_current_month_cannot_be_met_at_the_best_pace() {
        // Total far ahead, but January needs 4 with one school day left, and a rhythm of 2.5
        // times the minimum a month brings 2.5 × 4 × 1/16 (one, rounded up) in a day.
        let e = eval(PeriodKind::Month, &[10.0, 10.0, 10.0, 10.0, 0.0], 4.0, Shape::Count, d(2027, 1, 21));
        assert!(e.projected >= e.required);
        assert_eq!(e.status, Status::AtRisk);
        // On Monday 4 January, 14 school days left: 2.5 × 4 × 14/16 = 8.75 ≥ 4.
        let e = eval(PeriodKind::Month, &[10.0, 10.0, 10.0, 10.0, 0.0], 4.0, Shape::Count, d(2027, 1, 4));
        assert_eq!(e.status, Status::OnTrack);
    }

    #[test]
    fn monthly_rule_after_the_end_is_met_or_short() {
        let e = eval(PeriodKind::Month, &[4.0, 4.0, 4.0, 4.0, 3.0], 4.0, Shape::Count, d(2027, 1, 25));
        assert_eq!(e.status, Status::Short);
        assert_eq!(statuses(&e), vec![PMet, PMet, PMet, PMet, PShort]);
        let e = eval(PeriodKind::Month, &[4.0, 4.0, 4.0, 4.0, 4.0], 4.0, Shape::Count, d(2027, 1, 25));
        assert_eq!(e.status, Status::Met);
    }

    // 每周做一次教后反思 (seed 004), 师傅每周听徒弟一节课 (seed 000): 21 teaching weeks.

    #[test]
    fn weekly_rule_on_the_last_school_day_of_an_empty_week_is_at_risk() {
        // Friday 18 September, week 3 still at 0: no school day left, whatever the pace.
        let e = eval(PeriodKind::Week, &[3.0, 3.0, 0.0], 1.0, Shape::Count, d(2026, 9, 18));
        assert!(e.projected >= e.required);
        assert_eq!(e.status, Status::AtRisk);
        assert_eq!(&statuses(&e)[..4], &[PMet, PMet, InProgress, Upcoming]);
        assert_eq!(e.required, 21.0);
    }

    #[test]
    fn weekly_rule_midweek_before_this_weeks_reflection_is_on_track() {
        // Wednesday 16 September: Thursday and Friday left.
        let e = eval(PeriodKind::Week, &[3.0, 3.0, 0.0], 1.0, Shape::Count, d(2026, 9, 16));
        assert_eq!(e.status, Status::OnTrack);
        // One reflection every teaching week (on Fridays): this week's is still to come.
        let e = eval(PeriodKind::Week, &[1.0, 1.0, 0.0], 1.0, Shape::Count, d(2026, 9, 16));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.expected_by_now, 2.6);
        assert!(e.projected >= e.required);
        // Done for the week.
        let e = eval(PeriodKind::Week, &[3.0, 3.0, 1.0], 1.0, Shape::Count, d(2026, 9, 18));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.periods[2].status, PMet);
    }

    // Per-period pace (docs/API-DESIGN.md, "Quota checks"): a subject meeting every period on time is never at risk
    // because a later period is shortened by a holiday.

    #[test]
    fn four_a_month_on_time_is_on_track_early_mid_and_late() {
        // Early: Tuesday 15 September, 2 of September's 4 with 11 of its 22 days left.
        let e = eval(PeriodKind::Month, &[2.0], 4.0, Shape::Count, d(2026, 9, 15));
        assert_eq!(e.status, Status::OnTrack);
        // Only one by then: 3 more in 11 days at 4 a month (2) is not reachable.
        let e = eval(PeriodKind::Month, &[1.0], 4.0, Shape::Count, d(2026, 9, 15));
        assert_eq!(e.status, Status::AtRisk);
        // Mid: Monday 2 November, after the 国庆-shortened October (17 days). A per-day pace over
        // the semester (8 in 40 days, 19.8 at the end) would call this at risk.
        let e = eval(PeriodKind::Month, &[4.0, 4.0, 0.0], 4.0, Shape::Count, d(2026, 11, 2));
        assert_eq!(e.status, Status::OnTrack);
        assert!(e.projected >= e.required);
        assert!(e.expected_by_now <= 8.0 + 4.0);
        // Inside the shortened October itself, on Tuesday 27 October with 4 days left.
        let e = eval(PeriodKind::Month, &[4.0, 3.0], 4.0, Shape::Count, d(2026, 10, 27));
        assert_eq!(e.status, Status::OnTrack);
        // Late: Thursday 14 January, January's 4 still to come in 6 school days.
        let e = eval(PeriodKind::Month, &[4.0, 4.0, 4.0, 4.0, 2.0], 4.0, Shape::Count, d(2027, 1, 14));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.projected, 20.0);
    }

    #[test]
    fn expected_by_now_never_exceeds_what_the_periods_so_far_require() {
        let cal = autumn();
        let months = periods(&cal, PeriodKind::Month, None);
        for as_of in [d(2026, 9, 15), d(2026, 10, 8), d(2026, 11, 2), d(2026, 12, 31), d(2027, 1, 22)] {
            let e = evaluate(&months, &[4.0; 5], 4.0, Shape::Count, as_of, &cal);
            let so_far: f64 = e.periods.iter().filter(|p| p.start <= as_of).map(|p| p.required).sum();
            assert!(e.expected_by_now <= so_far, "{as_of}: {} > {so_far}", e.expected_by_now);
            assert!(e.expected_by_now > so_far - 4.0 - 1e-9, "{as_of}");
        }
    }

    #[test]
    fn a_skipped_holiday_week_breaks_no_weekly_rhythm() {
        // 国庆 to Friday 9 October: week 6 has no school day and is not a period.
        let cal = Calendar {
            holidays: vec![crate::calendar::Holiday {
                name: "国庆节".into(),
                start: d(2026, 10, 1),
                end: d(2026, 10, 9),
            }],
            ..autumn()
        };
        let weeks = periods(&cal, PeriodKind::Week, None);
        assert_eq!(weeks.len(), 20);
        // Monday 12 October (week 7): one reflection in each of weeks 1–5, none yet this week.
        let e = evaluate(&weeks, &[1.0, 1.0, 1.0, 1.0, 1.0, 0.0], 1.0, Shape::Count, d(2026, 10, 12), &cal);
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!(e.expected_by_now, 5.2);
        // During the holiday itself nothing is in progress: on track.
        let e = evaluate(&weeks, &[1.0; 5], 1.0, Shape::Count, d(2026, 10, 7), &cal);
        assert_eq!(e.status, Status::OnTrack);
        assert!(e.periods.iter().all(|p| p.status != InProgress));
    }

    #[test]
    fn a_fortnight_rule_early_mid_and_late() {
        // 每两周至少一次反思 (seed 002): weeks 1+2, 3+4, 5+6 (国庆) …
        let cal = autumn();
        let fortnights = periods(&cal, PeriodKind::Fortnight, None);
        assert_eq!(fortnights[2].start, d(2026, 9, 28));
        // Early: Monday 28 September, two fortnights met, the third just begun.
        let e = evaluate(&fortnights, &[1.0, 1.0, 0.0], 1.0, Shape::Count, d(2026, 9, 28), &cal);
        assert_eq!(e.status, Status::OnTrack);
        // Its last school day, Friday 9 October, still at 0: at risk; the Monday after: short.
        let e = evaluate(&fortnights, &[1.0, 1.0, 0.0], 1.0, Shape::Count, d(2026, 10, 9), &cal);
        assert_eq!(e.status, Status::AtRisk);
        let e = evaluate(&fortnights, &[1.0, 1.0, 0.0, 0.0], 1.0, Shape::Count, d(2026, 10, 12), &cal);
        assert_eq!(e.status, Status::Short);
        // Mid: Wednesday 18 November, six fortnights met, this one's reflection to come.
        let mid = d(2026, 11, 18);
        let current = fortnights.iter().position(|p| p.start <= mid && mid <= p.end).unwrap();
        let mut done = vec![1.0; current];
        done.push(0.0);
        let e = evaluate(&fortnights, &done, 1.0, Shape::Count, mid, &cal);
        assert_eq!(e.status, Status::OnTrack);
        // Late: after the last fortnight, every one met.
        let all = vec![1.0; fortnights.len()];
        assert_eq!(evaluate(&fortnights, &all, 1.0, Shape::Count, d(2027, 1, 25), &cal).status, Status::Met);
    }

    #[test]
    fn weekly_rule_is_short_once_an_empty_week_is_over() {
        let e = eval(PeriodKind::Week, &[3.0, 3.0, 0.0, 0.0], 1.0, Shape::Count, d(2026, 9, 21));
        assert_eq!(e.status, Status::Short);
        assert_eq!(e.periods[2].status, PShort);
        let all = vec![1.0; 21];
        assert_eq!(eval(PeriodKind::Week, &all, 1.0, Shape::Count, d(2027, 1, 25)).status, Status::Met);
        // The holiday-shortened 国庆 weeks still need 1 each.
        let mut missing_holiday_week = all.clone();
        missing_holiday_week[5] = 0.0;
        assert_eq!(
            eval(PeriodKind::Week, &missing_holiday_week, 1.0, Shape::Count, d(2027, 1, 25)).status,
            Status::Short
        );
    }

    // 参与教研活动率 98% (seed 002).

    #[test]
    fn ratio_rule_during_the_semester_is_on_track_or_at_risk_never_met() {
        let e = eval(PeriodKind::Semester, &[1.0], 0.98, Shape::Ratio, d(2026, 11, 13));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!((e.required, e.actual, e.expected_by_now, e.projected), (0.98, 1.0, 0.98, 1.0));
        assert_eq!(statuses(&e), vec![InProgress]);
        let e = eval(PeriodKind::Semester, &[0.95], 0.98, Shape::Ratio, d(2026, 11, 13));
        assert_eq!(e.status, Status::AtRisk);
    }

    #[test]
    fn ratio_rule_is_decided_after_the_end() {
        let e = eval(PeriodKind::Semester, &[0.97], 0.98, Shape::Ratio, d(2027, 1, 25));
        assert_eq!(e.status, Status::Short);
        let e = eval(PeriodKind::Semester, &[0.98], 0.98, Shape::Ratio, d(2027, 1, 25));
        assert_eq!(e.status, Status::Met);
    }

    #[test]
    fn monthly_ratio_is_not_pro_rated_and_a_finished_month_decides() {
        let e = eval(PeriodKind::Month, &[0.99, 0.90, 0.99], 0.98, Shape::Ratio, d(2026, 11, 13));
        assert_eq!(e.status, Status::Short);
        assert_eq!(e.actual, 0.99);
        assert_eq!(e.required, 0.98);
        assert!(e.periods.iter().all(|p| p.required == 0.98));
        assert_eq!(statuses(&e), vec![PMet, PShort, InProgress, Upcoming, Upcoming]);
    }

    #[test]
    fn a_minimum_of_zero_is_always_met() {
        for as_of in [d(2026, 8, 20), d(2026, 11, 13), d(2027, 1, 25)] {
            for kind in [PeriodKind::Semester, PeriodKind::Month, PeriodKind::Week] {
                let e = eval(kind, &[], 0.0, Shape::Count, as_of);
                assert_eq!(e.status, Status::Met);
                assert!(e.periods.iter().all(|p| p.status == PMet && p.required == 0.0));
            }
            assert_eq!(eval(PeriodKind::Semester, &[0.0], 0.0, Shape::Ratio, as_of).status, Status::Met);
        }
    }

    #[test]
    fn before_the_start_nothing_is_expected() {
        let e = eval(PeriodKind::Semester, &[0.0], 15.0, Shape::Count, d(2026, 8, 20));
        assert_eq!(e.status, Status::OnTrack);
        assert_eq!((e.expected_by_now, e.projected, e.actual), (0.0, 0.0, 0.0));
        assert_eq!(statuses(&e), vec![Upcoming]);
        let e = eval(PeriodKind::Month, &[], 4.0, Shape::Count, d(2026, 8, 31));
        assert_eq!(e.status, Status::OnTrack);
        assert!(e.periods.iter().all(|p| p.status == Upcoming));
        let e = eval(PeriodKind::Semester, &[], 0.98, Shape::Ratio, d(2026, 8, 20));
        assert_eq!((e.status, e.expected_by_now, e.projected), (Status::OnTrack, 0.0, 0.0));
    }

    #[test]
    fn a_school_year_rule_is_not_over_with_the_first_semester() {
        // 一学年至少要完成5000字的学习笔记 (seed 000): 214 school days from 1 September to 2 July.
        let cal = autumn();
        let year = periods(&cal, PeriodKind::SchoolYear, Some((d(2026, 9, 1), d(2027, 7, 2))));
        // Monday 25 January, after the autumn semester: 100 days elapsed.
        let e = evaluate(&year, &[2000.0], 5000.0, Shape::Count, d(2027, 1, 25), &cal);
        assert_eq!(e.status, Status::AtRisk);
        assert_eq!(e.projected, 4280.0);
        assert_eq!(e.expected_by_now, 2336.45);
        let e = evaluate(&year, &[2500.0], 5000.0, Shape::Count, d(2027, 1, 25), &cal);
        assert_eq!(e.status, Status::OnTrack);
    }

    #[test]
    fn evaluations_serialize_in_snake_case() {
        let e = eval(PeriodKind::Month, &[4.0, 3.0], 4.0, Shape::Count, d(2026, 10, 20));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["status"], "on_track");
        assert_eq!(json["periods"][1]["status"], "in_progress");
        assert_eq!(json["periods"][4]["start"], "2027-01-01");
        assert_eq!(serde_json::to_value(Status::AtRisk).unwrap(), "at_risk");
        assert_eq!(serde_json::to_value(Shape::Ratio).unwrap(), "ratio");
    }
}
