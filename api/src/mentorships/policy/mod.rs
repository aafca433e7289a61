//! Mentorship policies: how many mentees a mentor may take by honour, and whether a pair across
//! grade bands is refused or only warned about.
//!
//! A policy belongs to a district (`school_id` empty) or to a school. A school follows its own
//! policy, else its district's, else the built-in defaults of seed 000 ([`Rules::default`]).
//! District administrators write both kinds; a school's administrators write their school's.
//! `DELETE` really deletes (the school falls back to its district's rules): a policy is
//! configuration, not history.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

pub use queries::rules_for_school;
pub use views::EffectiveFilter;
pub use views::EffectiveMentorshipPolicy;
pub use views::MentorshipPolicyBody;
pub use views::MentorshipPolicyView;
pub use views::Owner;
pub use views::PolicySource;

pub(crate) use handlers::*;
