//! Collective lesson preparation (集体备课: 个人初备、集体统备、个人再备, seed 000; seed 003): a
//! group prepares one lesson together. The lead preparer (主备) hands in a draft a set number of
//! days before the session (default 3); the co-preparers (副备, by default the group's other
//! live members) write revision notes on its sections (一度调整); after the session the lead or
//! the group's leader writes the consensus plan (二度调整); after teaching, each teacher hands in
//! a reflection (三度调整), which is a reflection record of the records area.
//!
//! Who may do what:
//! - reading: whoever sees the preparation's school (the group, the school's office, the
//!   district's administrators); another school's preparation is a 404;
//! - starting and archiving one: whoever manages the group's contents (its leader, the school's
//!   and the district's administrators);
//! - each stage: whom it belongs to (see [`stages`]), a 403 for anyone else.
//!
//! Statuses and lateness are computed from the dates and the service's clock ([`rules`]); the
//! quota metrics `prep_drafts_on_time`, `prep_notes_given` and `prep_completion_share` count
//! them (`crate::quota::counting`), and [`queries::completion_by_teacher`] gives the appraisal
//! its completion counts.

mod handlers;
pub mod policy;
pub mod queries;
pub mod rules;
mod stages;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(policy::effective_preparation_policy)
        .service(policy::put_school_preparation_policy)
        .service(policy::delete_school_preparation_policy)
        .service(policy::put_group_preparation_policy)
        .service(policy::delete_group_preparation_policy)
        .service(handlers::list_preparations)
        .service(handlers::create_preparation)
        .service(handlers::get_preparation)
        .service(handlers::archive_preparation)
        .service(stages::put_draft)
        .service(stages::add_note)
        .service(stages::put_consensus)
        .service(stages::add_reflection);
}
