//! Mentorship pairs (师徒结对, 青蓝工程): agreement, duties, end assessment, the capacity and
//! grade-band policies, and each pair's observation log.
//!
//! Who may do what:
//! - reading pairs and their logs: whoever sees the pair's school (its staff, its district's
//!   administrators);
//! - creating, changing and archiving pairs: the school's administrators and the district's;
//! - policies: see [`policy`].
//!
//! A pair is of one school: mentor and mentee are live teachers of it. Creating an active pair
//! checks the mentor's capacity (by honour, seed 000) and that the mentee has no other active
//! mentor in overlapping semesters; a grade-band mismatch warns or refuses, per policy.

mod handlers;
pub mod log;
pub mod policy;
pub mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(policy::effective_mentorship_policy)
        .service(policy::get_school_mentorship_policy)
        .service(policy::put_school_mentorship_policy)
        .service(policy::delete_school_mentorship_policy)
        .service(policy::get_district_mentorship_policy)
        .service(policy::put_district_mentorship_policy)
        .service(policy::delete_district_mentorship_policy)
        .service(handlers::list_mentorships)
        .service(handlers::create_mentorship)
        .service(handlers::get_mentorship)
        .service(handlers::update_mentorship)
        .service(handlers::archive_mentorship)
        .service(log::mentorship_log);
}
