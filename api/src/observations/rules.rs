//! The domain rules of observations, as plain functions: feedback lists and the "三个一" and
//! "听评课123" checks (seed 000), rubric scores and their total, who records an observation, and
//! which semester a date falls in.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::validate::Checks;

pub const MAX_FEEDBACK_ITEMS: usize = 10;
/// The most scores an observation may give: a rubric has at most 30 dimensions, each scored once.
pub const MAX_SCORES: usize = 30;
pub const MAX_FEEDBACK_ITEM_CHARS: usize = 500;
pub const MAX_SUBJECT_CHARS: usize = 32;
pub const MAX_CLASS_NAME_CHARS: usize = 32;
pub const MAX_OBSERVED_NAME_CHARS: usize = 100;
pub const MAX_LESSON_TITLE_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 5000;

/// One dimension's points in an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"dimension_id": 14, "points": 26}))]
pub struct Score {
    /// A dimension of the observation's rubric; each at most once.
    pub dimension_id: i64,
    /// 0 up to the dimension's `max_points`.
    #[schema(minimum = 0, maximum = 100)]
    pub points: i32,
}

/// Checks one feedback list (`strengths`, `weaknesses` or `suggestions`): at most 10 items of
/// 1–500 characters each, returned trimmed.
pub fn check_feedback(checks: &mut Checks, field: &str, items: &[String]) -> Vec<String> {
    if items.len() > MAX_FEEDBACK_ITEMS {
        checks.fail(field, format!("must have at most {MAX_FEEDBACK_ITEMS} items"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| checks.text(&format!("{field}[{i}]"), item, MAX_FEEDBACK_ITEM_CHARS))
        .collect()
}

/// How many strengths, weaknesses and suggestions an observation gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeedbackCounts {
    pub strengths: usize,
    pub weaknesses: usize,
    pub suggestions: usize,
}

impl FeedbackCounts {
    /// "三个一" (seed 000): at least one strength, one weakness and one suggestion (a hope).
    pub fn three_ones(self) -> bool {
        self.strengths >= 1 && self.weaknesses >= 1 && self.suggestions >= 1
    }

    /// "听评课123" (seed 000): at least 1 good point, 2 weaknesses and 3 suggestions.
    pub fn one_two_three(self) -> bool {
        self.strengths >= 1 && self.weaknesses >= 2 && self.suggestions >= 3
    }
}

/// Checks scores against the rubric's dimensions (`id → max_points`): each a dimension of the
/// rubric, scored at most once, with 0 ≤ points ≤ max. Returns the total. Dimensions may be left
/// unscored (an observer may skip one), so the total is the sum of what was scored.
pub fn check_scores(checks: &mut Checks, scores: &[Score], max_points: &HashMap<i64, i32>) -> f64 {
    if scores.len() > MAX_SCORES {
        checks.fail("scores", format!("must have at most {MAX_SCORES} items"));
        return 0.0;
    }
    let mut seen = HashSet::new();
    let mut total = 0i64;
    for (i, s) in scores.iter().enumerate() {
        let Some(max) = max_points.get(&s.dimension_id) else {
            checks.fail(format!("scores[{i}].dimension_id"), "no such dimension of the rubric");
            continue;
        };
        if !seen.insert(s.dimension_id) {
            checks.fail(format!("scores[{i}].dimension_id"), "this dimension is already scored");
        }
        if !(0..=*max).contains(&s.points) {
            checks.fail(format!("scores[{i}].points"), format!("must be between 0 and {max}"));
        }
        total += i64::from(s.points);
    }
    total as f64
}

/// Whether `actor` records (creates, changes, archives) observations made by this observer: the
/// observer themselves, the administrators of the observer's school, and the district's.
pub fn records_for(actor: &Actor, observer_teacher_id: i64, district_id: i64, observer_school_id: i64) -> bool {
    actor.teacher_id == Some(observer_teacher_id) || actor.administers_school(district_id, observer_school_id)
}

/// The semester (`id, start, end`) containing `day`; the earliest-starting one should two overlap.
pub fn semester_containing(semesters: &[(i64, NaiveDate, NaiveDate)], day: NaiveDate) -> Option<i64> {
    semesters
        .iter()
        .filter(|(_, start, end)| *start <= day && day <= *end)
        .min_by_key(|(id, start, _)| (*start, *id))
        .map(|(id, _, _)| *id)
}

/// The date checks of `observed_on`: not after `today`, and, for an observation of a dated
/// activity, on the activity's date.
pub fn check_observed_on(
    checks: &mut Checks,
    observed_on: NaiveDate,
    today: NaiveDate,
    activity_date: Option<NaiveDate>,
) {
    if observed_on > today {
        checks.fail("observed_on", "must not be in the future");
    } else if let Some(day) = activity_date.filter(|d| *d != observed_on) {
        checks.fail("observed_on", format!("must be the activity's date ({day})"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entities::enums::Role;

    fn fields(checks: Checks) -> Vec<String> {
        match checks.finish() {
            Ok(()) => vec![],
            Err(e) => e.problem().errors.unwrap().into_iter().map(|e| e.field).collect(),
        }
    }

    fn actor(role: Role, school_id: Option<i64>, teacher_id: Option<i64>) -> Actor {
        Actor { user_id: 1, username: "u".into(), role, district_id: Some(1), school_id, teacher_id }
    }

    #[test]
    fn three_ones_and_one_two_three() {
        let c = |strengths, weaknesses, suggestions| FeedbackCounts { strengths, weaknesses, suggestions };
        assert!(c(1, 1, 1).three_ones());
        assert!(!c(1, 1, 1).one_two_three());
        assert!(c(1, 2, 3).one_two_three() && c(1, 2, 3).three_ones());
        assert!(!c(0, 2, 3).one_two_three() && !c(0, 2, 3).three_ones());
        assert!(!c(1, 0, 5).three_ones());
        assert!(!c(2, 2, 2).one_two_three());
        assert!(!FeedbackCounts::default().three_ones());
    }

    #[test]
    fn feedback_items_are_trimmed_bounded_and_named() {
        let mut checks = Checks::new();
        let out = check_feedback(&mut checks, "strengths", &[" 目标明确 ".into()]);
        assert_eq!(out, vec!["目标明确"]);
        assert!(checks.is_empty());
        check_feedback(&mut checks, "weaknesses", &["ok".into(), "  ".into(), "长".repeat(501)]);
        let many: Vec<String> = (0..11).map(|i| format!("建议{i}")).collect();
        check_feedback(&mut checks, "suggestions", &many);
        assert_eq!(fields(checks), vec!["weaknesses[1]", "weaknesses[2]", "suggestions"]);
    }

    #[test]
    fn scores_total_and_errors_name_the_entry() {
        let dims: HashMap<i64, i32> = [(1, 10), (2, 20), (3, 30)].into();
        let mut checks = Checks::new();
        let s = |dimension_id, points| Score { dimension_id, points };
        assert_eq!(check_scores(&mut checks, &[s(1, 9), s(3, 27)], &dims), 36.0);
        assert!(checks.is_empty());
        check_scores(&mut checks, &[s(1, 9), s(2, 21), s(1, 3), s(9, 1), s(3, -1)], &dims);
        assert_eq!(
            fields(checks),
            vec!["scores[1].points", "scores[2].dimension_id", "scores[3].dimension_id", "scores[4].points"]
        );
    }

    #[test]
    fn observers_and_their_school_and_district_administrators_record() {
        let teacher = actor(Role::Teacher, Some(10), Some(5));
        assert!(records_for(&teacher, 5, 1, 10));
        assert!(!records_for(&teacher, 6, 1, 10), "a teacher records only their own observations");
        let leader = actor(Role::GroupLeader, Some(10), Some(6));
        assert!(!records_for(&leader, 5, 1, 10), "leading a group does not make one the observer");
        assert!(records_for(&actor(Role::SchoolAdmin, Some(10), None), 5, 1, 10));
        assert!(!records_for(&actor(Role::SchoolAdmin, Some(11), None), 5, 1, 10));
        assert!(records_for(&actor(Role::DistrictAdmin, None, None), 5, 1, 10));
    }

    #[test]
    fn the_semester_is_the_one_containing_the_date() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let semesters = [(1, d(2, 20), d(7, 5)), (2, d(9, 1), d(12, 31))];
        assert_eq!(semester_containing(&semesters, d(9, 1)), Some(2));
        assert_eq!(semester_containing(&semesters, d(7, 5)), Some(1));
        assert_eq!(semester_containing(&semesters, d(8, 1)), None);
    }

    #[test]
    fn observed_on_is_not_in_the_future_and_matches_the_activity() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        let mut checks = Checks::new();
        check_observed_on(&mut checks, d(9), d(10), Some(d(9)));
        check_observed_on(&mut checks, d(9), d(10), None);
        assert!(checks.is_empty());
        check_observed_on(&mut checks, d(11), d(10), None);
        check_observed_on(&mut checks, d(8), d(10), Some(d(9)));
        assert_eq!(fields(checks), vec!["observed_on", "observed_on"]);
    }
}
