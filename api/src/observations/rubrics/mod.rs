//! Rubrics (听课评价量表): named dimensions with their maximum points, that observations score by.
//!
//! A rubric belongs to a school (`school_id`) or, with no school, to a district, where every
//! school of the district may use it. Who may do what:
//! - reading: a school rubric is read by whoever sees the school, a district rubric by the whole
//!   district;
//! - creating, changing and archiving: the school's administrators (and the district's) for a
//!   school rubric, the district's administrators for a district rubric.
//!
//! Observations store their scores against dimension ids, so once any observation uses a rubric
//! its dimensions are frozen (409): a changed rubric is a new rubric.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_rubrics)
        .service(handlers::create_rubric)
        .service(handlers::get_rubric)
        .service(handlers::update_rubric)
        .service(handlers::archive_rubric);
}
