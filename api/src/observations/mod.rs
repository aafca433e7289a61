//! Lesson observations (听课记录) with structured feedback, and the rubrics (量表) they score by.
//!
//! Who may do what with an observation:
//! - reading: whoever sees the observer's school or the observed teacher's school (the observed
//!   teacher of another school sees the feedback given to them);
//! - recording, changing and archiving: the observer themselves (a teacher or group leader never
//!   records as someone else: 403), the administrators of the observer's school, and the
//!   district's administrators.
//!
//! The feedback (strengths, weaknesses, suggestions) is stored as lists with their lengths in the
//! `*_count` columns, so that "三个一" and "听评课123" (seed 000) are checked in each view and can
//! be counted by later quota rules in SQL.

mod draft;
mod handlers;
pub mod queries;
pub mod rubrics;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    rubrics::routes(cfg);
    cfg.service(handlers::list_observations)
        .service(handlers::create_observation)
        .service(handlers::get_observation)
        .service(handlers::update_observation)
        .service(handlers::archive_observation);
}
