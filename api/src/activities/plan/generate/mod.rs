//! Generating a semester's draft activities from a group's fixed weekly slot (固定教研时间,
//! seed 000), honouring its week pattern and the semester's holidays. Re-running creates no
//! duplicates: a slot has at most one activity per day (`slot_id`, `generated_for`), archived
//! ones included, so a draft the leader withdrew never comes back.
//!
//! The day arithmetic is pure and unit-tested in [`rules`]; [`queries`] reads the slot and the
//! semester and inserts the drafts; [`handlers`] is the endpoint.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

pub(super) use handlers::generate_from_slot;
