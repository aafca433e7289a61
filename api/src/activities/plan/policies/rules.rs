//! Pure rules, no database.

use super::views::*;
use crate::auth::{Actor, Reach};
use crate::groups::access::visible_group_ids;
use crate::validate::Checks;
use entities::activity_policy;
use entities::enums::{PolicyScope, SummaryDueRule};
use sea_orm::{ColumnTrait, Condition};

/// The longest sign-in window edge and lateness threshold: a day.
pub const MAX_MINUTES: i32 = 1440;

/// The latest `days_after` deadline.
pub const MAX_DAYS_AFTER: i32 = 60;

/// Validates a policy; the checks are the ones the summary deadline and sign-in rely on.
pub fn check_policy(checks: &mut Checks, p: &PolicyInput) {
    let value = p.summary_due_value;
    match p.summary_due_rule {
        SummaryDueRule::None => checks.ensure(value.is_none(), "summary_due_value", "must be null for rule none"),
        SummaryDueRule::DaysAfter => checks.ensure(
            value.is_some_and(|v| (0..=MAX_DAYS_AFTER).contains(&v)),
            "summary_due_value",
            format!("days_after needs 0 to {MAX_DAYS_AFTER} days"),
        ),
        SummaryDueRule::NextWeekday => checks.ensure(
            value.is_some_and(|v| (1..=7).contains(&v)),
            "summary_due_value",
            "next_weekday needs an ISO weekday, 1 (Monday) to 7 (Sunday)",
        ),
    }
    for (field, minutes) in [
        ("sign_in_opens_minutes_before", p.sign_in_opens_minutes_before),
        ("sign_in_closes_minutes_after", p.sign_in_closes_minutes_after),
        ("late_after_minutes", p.late_after_minutes),
    ] {
        if let Some(m) = minutes {
            checks.ensure((0..=MAX_MINUTES).contains(&m), field, format!("must be 0 to {MAX_MINUTES}"));
        }
    }
}

/// The SQL form of "the caller sees the policy's scope".
pub(super) fn visible_policies(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(activity_policy::Column::DistrictId.eq(d)),
        Reach::School { district_id, school_id } => {
            Condition::all().add(activity_policy::Column::DistrictId.eq(district_id)).add(
                Condition::any()
                    .add(activity_policy::Column::Scope.is_in([PolicyScope::District, PolicyScope::Zone]))
                    .add(
                        Condition::all()
                            .add(activity_policy::Column::Scope.eq(PolicyScope::School))
                            .add(activity_policy::Column::ScopeId.eq(school_id)),
                    )
                    .add(
                        Condition::all()
                            .add(activity_policy::Column::Scope.eq(PolicyScope::Group))
                            .add(activity_policy::Column::ScopeId.in_subquery(visible_group_ids(actor))),
                    ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(rule: SummaryDueRule, value: Option<i32>) -> PolicyInput {
        PolicyInput {
            summary_due_rule: rule,
            summary_due_value: value,
            sign_in_opens_minutes_before: Some(30),
            sign_in_closes_minutes_after: None,
            late_after_minutes: Some(1441),
        }
    }

    fn fields(p: &PolicyInput) -> Vec<String> {
        let mut checks = Checks::new();
        check_policy(&mut checks, p);
        match checks.finish() {
            Ok(()) => vec![],
            Err(e) => e.problem().errors.unwrap().into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn each_rule_has_its_own_value_range() {
        assert_eq!(fields(&input(SummaryDueRule::NextWeekday, Some(2))), ["late_after_minutes"]);
        assert!(fields(&input(SummaryDueRule::NextWeekday, Some(8))).contains(&"summary_due_value".to_string()));
        assert!(fields(&input(SummaryDueRule::DaysAfter, Some(61))).contains(&"summary_due_value".to_string()));
        assert!(!fields(&input(SummaryDueRule::DaysAfter, Some(0))).contains(&"summary_due_value".to_string()));
        assert!(fields(&input(SummaryDueRule::None, Some(1))).contains(&"summary_due_value".to_string()));
        assert!(!fields(&input(SummaryDueRule::None, None)).contains(&"summary_due_value".to_string()));
    }
}
