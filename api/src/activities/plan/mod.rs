//! Planning and running activities: create, change, the status life cycle, lessons taught,
//! generation from weekly slots, and the activity policies endpoints.
//!
//! Who may do what follows [`crate::activities::access`]: whoever sees an activity reads it; whoever
//! runs its organiser plans, changes, schedules and withdraws it.
//!
//! Life cycle: draft → scheduled → held → archived, draft|scheduled → cancelled, scheduled → draft.
//! Scheduling needs the "四定" (定时间、定内容、定地点、定主讲人, seeds 002/004) and, in the same
//! transaction, lists the organiser's people as expected participants and sets the summary's due
//! day from the activity policy (default: the Tuesday after, seed 001).

mod create;
mod error;
pub mod generate;
mod handlers;
pub mod lessons;
mod list;
pub mod policies;
mod queries;
mod refs;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use handlers::view_of;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list::list_activities)
        .service(create::create_activity)
        .service(handlers::get_activity)
        .service(handlers::update_activity)
        .service(handlers::archive_activity)
        .service(policies::activity_policy_of)
        .service(generate::generate_from_slot)
        .service(policies::list_policies)
        .service(policies::get_policy)
        .service(policies::put_policy)
        .service(policies::delete_policy);
}
