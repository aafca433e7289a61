//! Pure rules, no database: when a member of a district team is over the absence share
//! (seed 001: "不能够参加教研活动…超过三分之一以上，均作为自动退出中心组").

use chrono::NaiveDate;

use crate::domain::DomainResult;
use crate::validate::Checks;

/// A district's rule for its teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The share of held sessions a member may miss: `numerator / denominator`, exceeded strictly.
    pub numerator: i32,
    pub denominator: i32,
    /// Whether sessions on leave (请假) count as absences.
    pub leave_counts_as_absence: bool,
    /// Whether removal needs no confirmation once the semester has ended.
    pub automatic_at_semester_end: bool,
}

impl Default for Rule {
    /// Seed 001: more than a third, leave counted, removals confirmed by the district.
    fn default() -> Self {
        Rule { numerator: 1, denominator: 3, leave_counts_as_absence: true, automatic_at_semester_end: false }
    }
}

impl Rule {
    /// Validates a share: `0 ≤ numerator < denominator ≤ 100`, naming the field at fault.
    pub fn new(
        numerator: i32,
        denominator: i32,
        leave_counts_as_absence: bool,
        automatic_at_semester_end: bool,
    ) -> DomainResult<Rule> {
        let mut checks = Checks::new();
        checks.ensure((1..=100).contains(&denominator), "absence_share_denominator", "must be between 1 and 100");
        checks.ensure(
            numerator >= 0 && numerator < denominator.max(1),
            "absence_share_numerator",
            "must be at least 0 and below the denominator",
        );
        checks.finish()?;
        Ok(Rule { numerator, denominator, leave_counts_as_absence, automatic_at_semester_end })
    }

    /// Whether the automatic removal applies on `today`: the rule says so and the semester ended
    /// before today.
    pub fn automatic_due(&self, semester_end: NaiveDate, today: NaiveDate) -> bool {
        self.automatic_at_semester_end && today > semester_end
    }
}

/// A member's sessions over a semester: the team's held sessions during their membership, those
/// they attended (present or late), and those they were on leave from. The rest are absences
/// (marked absent, never recorded, or not on the list at all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub held: i64,
    pub attended: i64,
    pub on_leave: i64,
}

impl Tally {
    /// Held sessions neither attended nor excused by leave.
    pub fn absent(&self) -> i64 {
        (self.held - self.attended - self.on_leave).max(0)
    }

    /// The absences the rule counts: with or without leave.
    pub fn counted(&self, rule: &Rule) -> i64 {
        self.absent() + if rule.leave_counts_as_absence { self.on_leave } else { 0 }
    }

    /// `counted / held`, rounded to 4 decimals; `None` before any session was held.
    pub fn share(&self, rule: &Rule) -> Option<f64> {
        (self.held > 0).then(|| (self.counted(rule) as f64 / self.held as f64 * 10_000.0).round() / 10_000.0)
    }

    /// Strictly over the rule's share ("超过"), in integers: `counted / held > n / d`.
    pub fn exceeds(&self, rule: &Rule) -> bool {
        self.held > 0 && self.counted(rule) * i64::from(rule.denominator) > i64::from(rule.numerator) * self.held
    }
}

/// The day a removal ends the membership: today, but never before the membership began nor
/// after it was due to end anyway.
pub fn removal_day(today: NaiveDate, since: NaiveDate, until: Option<NaiveDate>) -> NaiveDate {
    let day = today.max(since);
    until.map_or(day, |u| u.min(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, d).unwrap()
    }

    #[test]
    fn exactly_a_third_is_not_over_more_is() {
        let rule = Rule::default();
        let third = Tally { held: 6, attended: 4, on_leave: 0 };
        assert_eq!(third.counted(&rule), 2);
        assert!(!third.exceeds(&rule), "2 of 6 is a third, not more");
        assert!(Tally { held: 6, attended: 3, on_leave: 0 }.exceeds(&rule));
        assert!(Tally { held: 4, attended: 2, on_leave: 0 }.exceeds(&rule));
        assert!(!Tally { held: 0, attended: 0, on_leave: 0 }.exceeds(&rule), "nothing held, nobody over");
    }

    #[test]
    fn leave_counts_unless_the_district_says_otherwise() {
        let counting = Rule::default();
        let excusing = Rule { leave_counts_as_absence: false, ..counting };
        let t = Tally { held: 6, attended: 3, on_leave: 2 };
        assert_eq!(t.absent(), 1);
        assert!(t.exceeds(&counting));
        assert!(!t.exceeds(&excusing));
        assert_eq!(t.share(&counting), Some(0.5));
        assert_eq!(t.share(&excusing), Some(0.1667));
    }

    #[test]
    fn a_share_is_below_its_denominator() {
        assert!(Rule::new(1, 3, true, false).is_ok());
        assert!(Rule::new(0, 1, true, false).is_ok());
        assert!(Rule::new(3, 3, true, false).is_err());
        assert!(Rule::new(1, 0, true, false).is_err());
        assert!(Rule::new(-1, 3, true, false).is_err());
    }

    #[test]
    fn automatic_removal_applies_after_the_last_day_of_the_semester() {
        let rule = Rule { automatic_at_semester_end: true, ..Rule::default() };
        assert!(!rule.automatic_due(day(1, 22), day(1, 22)));
        assert!(rule.automatic_due(day(1, 22), day(1, 23)));
        assert!(!Rule::default().automatic_due(day(1, 22), day(2, 1)));
    }

    #[test]
    fn a_removal_ends_the_membership_within_its_dates() {
        assert_eq!(removal_day(day(1, 10), day(1, 1), None), day(1, 10));
        assert_eq!(removal_day(day(1, 10), day(1, 15), None), day(1, 15));
        assert_eq!(removal_day(day(1, 10), day(1, 1), Some(day(1, 5))), day(1, 5));
    }
}
