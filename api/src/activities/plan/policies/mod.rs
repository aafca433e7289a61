//! `/activity-policies`: when summaries are due and when sign-in is open, per district, zone,
//! school or group; and `/activities/{id}/policy`, the one an activity follows.
//!
//! - Readers: whoever sees the scope (the district and its zones: the whole district; a school:
//!   whoever sees the school; a group: whoever sees the group).
//! - Writers: district and zone policies: the district's administrators; a school's: its
//!   administrators; a group's: whoever manages the group's contents (its leader included).
//! - PUT creates or replaces; DELETE really deletes (the next level up applies again).

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

pub use rules::check_policy;
pub use rules::MAX_DAYS_AFTER;
pub use rules::MAX_MINUTES;
pub use views::ActivityPolicyView;
pub use views::EffectivePolicyView;
pub use views::PolicyFilter;
pub use views::PolicyInput;
pub use views::PolicySource;

pub(crate) use handlers::*;
