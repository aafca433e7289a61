//! Activity policies: when an activity's summary (简报) is due and when teachers may sign in.
//!
//! A policy belongs to a district, zone, school or group; an activity follows the most specific
//! one that exists (group → school → zone → district), and the built-in defaults otherwise. The
//! default summary deadline is seed 001's "the Tuesday after".

use chrono::{Datelike, Duration, NaiveDate};
use entities::activity_policy;
use entities::enums::{PolicyScope, SummaryDueRule};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::DomainResult;

/// The policy an activity follows, with defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectivePolicy {
    /// Where it came from; `None` for the built-in defaults.
    pub from: Option<(PolicyScope, i64)>,
    pub summary_due_rule: SummaryDueRule,
    pub summary_due_value: Option<i32>,
    pub sign_in_opens_minutes_before: i32,
    pub sign_in_closes_minutes_after: i32,
    pub late_after_minutes: i32,
}

impl Default for EffectivePolicy {
    fn default() -> Self {
        EffectivePolicy {
            from: None,
            summary_due_rule: SummaryDueRule::NextWeekday,
            summary_due_value: Some(2),
            sign_in_opens_minutes_before: 30,
            sign_in_closes_minutes_after: 60,
            late_after_minutes: 5,
        }
    }
}

impl From<activity_policy::Model> for EffectivePolicy {
    fn from(p: activity_policy::Model) -> Self {
        EffectivePolicy {
            from: Some((p.scope, p.scope_id)),
            summary_due_rule: p.summary_due_rule,
            summary_due_value: p.summary_due_value,
            sign_in_opens_minutes_before: p.sign_in_opens_minutes_before,
            sign_in_closes_minutes_after: p.sign_in_closes_minutes_after,
            late_after_minutes: p.late_after_minutes,
        }
    }
}

impl EffectivePolicy {
    /// The day an activity held on `held_on` must have its summary, if any.
    pub fn summary_due_on(&self, held_on: NaiveDate) -> Option<NaiveDate> {
        summary_due_on(self.summary_due_rule, self.summary_due_value, held_on)
    }
}

/// The summary deadline for an activity on `held_on`. `next_weekday` is the first such weekday
/// strictly after the activity (an activity on a Tuesday has its summary due the next Tuesday).
pub fn summary_due_on(rule: SummaryDueRule, value: Option<i32>, held_on: NaiveDate) -> Option<NaiveDate> {
    match (rule, value) {
        (SummaryDueRule::None, _) => None,
        (SummaryDueRule::DaysAfter, Some(days)) => held_on.checked_add_signed(Duration::days(days.into())),
        (SummaryDueRule::NextWeekday, Some(weekday @ 1..=7)) => {
            let today = held_on.weekday().number_from_monday() as i32;
            let ahead = (weekday - today).rem_euclid(7);
            let ahead = if ahead == 0 { 7 } else { ahead };
            held_on.checked_add_signed(Duration::days(ahead.into()))
        }
        _ => None,
    }
}

/// Where an activity sits, from the most specific level to the least.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyPlace {
    pub group_id: Option<i64>,
    pub school_id: Option<i64>,
    pub zone_id: Option<i64>,
    pub district_id: i64,
}

/// The most specific stored policy for `place`, or the defaults.
pub async fn effective_policy(db: &impl ConnectionTrait, place: PolicyPlace) -> DomainResult<EffectivePolicy> {
    let levels: Vec<(PolicyScope, i64)> = [
        place.group_id.map(|id| (PolicyScope::Group, id)),
        place.school_id.map(|id| (PolicyScope::School, id)),
        place.zone_id.map(|id| (PolicyScope::Zone, id)),
        Some((PolicyScope::District, place.district_id)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut any = Condition::any();
    for (scope, id) in &levels {
        any = any.add(
            Condition::all()
                .add(activity_policy::Column::Scope.eq(*scope))
                .add(activity_policy::Column::ScopeId.eq(*id)),
        );
    }
    let found = activity_policy::Entity::find().filter(any).all(db).await?;
    Ok(levels
        .iter()
        .find_map(|(scope, id)| found.iter().find(|p| p.scope == *scope && p.scope_id == *id))
        .cloned()
        .map(EffectivePolicy::from)
        .unwrap_or_default())
}

/// The place of an existing activity: its group, school, the school's (or organising) zone and
/// its district.
pub async fn place_of(db: &impl ConnectionTrait, activity: &entities::activity::Model) -> DomainResult<PolicyPlace> {
    let zone_id = match (activity.zone_id, activity.school_id) {
        (Some(z), _) => Some(z),
        (None, Some(s)) => entities::school::Entity::find_by_id(s).one(db).await?.and_then(|s| s.zone_id),
        (None, None) => None,
    };
    Ok(PolicyPlace {
        group_id: activity.group_id,
        school_id: activity.school_id,
        zone_id,
        district_id: activity.district_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn the_tuesday_after_is_strictly_after_the_activity() {
        // 2026-10-08 is a Thursday; the Tuesday after is 10-13.
        assert_eq!(summary_due_on(SummaryDueRule::NextWeekday, Some(2), day(10, 8)), Some(day(10, 13)));
        // An activity on a Tuesday has a week.
        assert_eq!(summary_due_on(SummaryDueRule::NextWeekday, Some(2), day(10, 13)), Some(day(10, 20)));
        // A Monday activity: the next day.
        assert_eq!(summary_due_on(SummaryDueRule::NextWeekday, Some(2), day(10, 12)), Some(day(10, 13)));
    }

    #[test]
    fn days_after_and_none() {
        assert_eq!(summary_due_on(SummaryDueRule::DaysAfter, Some(3), day(10, 8)), Some(day(10, 11)));
        assert_eq!(summary_due_on(SummaryDueRule::None, Some(3), day(10, 8)), None);
        assert_eq!(summary_due_on(SummaryDueRule::NextWeekday, Some(9), day(10, 8)), None);
    }

    #[test]
    fn the_default_is_seed_001s_tuesday_after() {
        assert_eq!(EffectivePolicy::default().summary_due_on(day(10, 8)), Some(day(10, 13)));
    }
}
