//! Schools (学校) of a district, optionally in a zone, with their tier (县直小学 / 乡镇中心小学 /
//! 村小及教学点, seed 001) and their teacher statistics.
//!
//! A district administrator reads the district's schools; every school-level role reads only its
//! own school. Only district administrators of the school's district create, change or archive
//! schools (a school administrator gets 403 on its own school, 404 on any other).

mod handlers;
mod queries;
pub mod statistics;
mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use queries::{check_unique, load_school, release_zone_lead, view_of, zone_leads};
pub use views::{NewSchool, SchoolFilter, SchoolPatch, SchoolView, ADDRESS_MAX, CODE_MAX, NAME_MAX};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_schools)
        .service(handlers::create_school)
        .service(handlers::get_school)
        .service(handlers::update_school)
        .service(handlers::archive_school)
        .service(statistics::handlers::school_statistics);
}
