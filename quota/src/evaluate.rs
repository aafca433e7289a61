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
        let actual_of = |i: usize| actual_per_period.get(i).copied().unwrap_or(0.0);
        let first = statuses.len();
        statuses.extend(self.slots.iter().enumerate().map(|(i, s)| self.period_status(s, actual_of(i))));
        let own = &statuses[first..];
        let (required, actual) = self.totals(actual_of);
        let (expected_exact, projected_exact, behind) = self.pace(own, required, actual, actual_of);

        let status = if self.min <= 0.0 || own.iter().all(|s| *s == PeriodStatus::Met) {
            Status::Met
        } else if own.contains(&PeriodStatus::Short) {
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

    /// Where a subject that counted `actual` in period `s` stands in it.
    fn period_status(&self, s: &Slot, actual: f64) -> PeriodStatus {
        let required = s.required;
        let reached = required <= 0.0 || actual + EPS >= required;
        if required <= 0.0 {
            // Nothing to wait for (a minimum of 0 is always met).
            PeriodStatus::Met
        } else if self.as_of < s.start {
            PeriodStatus::Upcoming
        } else if s.end < self.as_of {
            if reached {
                PeriodStatus::Met
            } else {
                PeriodStatus::Short
            }
        } else if reached && self.shape == Shape::Count {
            PeriodStatus::Met
        } else {
            PeriodStatus::InProgress
        }
    }

    /// The rule's required and actual values over all periods.
    fn totals(&self, actual_of: impl Fn(usize) -> f64) -> (f64, f64) {
        match self.shape {
            Shape::Count => (self.slots.iter().map(|s| s.required).sum(), (0..self.slots.len()).map(actual_of).sum()),
            // The latest period that has started holds the current ratio.
            Shape::Ratio => (
                self.min.max(0.0),
                (0..self.slots.len()).rev().find(|i| self.slots[*i].start <= self.as_of).map_or(0.0, actual_of),
            ),
        }
    }

    /// Expected by now, projected (both exact) and whether the subject is behind its pace.
    fn pace(
        &self,
        statuses: &[PeriodStatus],
        required: f64,
        actual: f64,
        actual_of: impl Fn(usize) -> f64,
    ) -> (f64, f64, bool) {
        if self.before_start {
            return (0.0, 0.0, false);
        }
        match self.shape {
            Shape::Count if self.slots.len() > 1 => self.per_period_pace(statuses, actual_of),
            Shape::Count => {
                let share = f64::from(self.elapsed_days) / f64::from(self.total_days);
                let (expected, projected) = (required * share, actual / share);
                let behind = projected + EPS < required || self.current_period_hopeless(statuses, actual_of);
                (expected, projected, behind)
            }
            Shape::Ratio => (required, actual, actual + EPS < required),
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
mod tests;
