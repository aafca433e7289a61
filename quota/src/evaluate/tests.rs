//! The evaluation's cases: each rule shape early, mid-term and late in the autumn semester.

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
            name: "国庆节".into(), start: d(2026, 10, 1), end: d(2026, 10, 9)
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
    assert_eq!(eval(PeriodKind::Week, &missing_holiday_week, 1.0, Shape::Count, d(2027, 1, 25)).status, Status::Short);
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
