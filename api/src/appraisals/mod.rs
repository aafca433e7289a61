//! The semester appraisal (量化考核, 期末绩效考评, seed 000) at `/api/v1/appraisal-schemes`: schemes
//! as data (a school's, or a district's for all its schools; for a semester or a school year),
//! simulated before adoption, published as frozen versions of every teacher's and group's score
//! with its breakdown, and read per teacher, school and group, or exported.
//!
//! The scoring is the pure `jiaoyan_appraisal` crate; this area loads its inputs and serves them:
//! - [`handlers`]: the schemes (CRUD), `simulate`, `publish` and the versions;
//! - [`results`]: a teacher's, a school's and a group's appraisal, and the export;
//! - [`compute`]: a scheme's results, computed for its place;
//! - [`measure`]: the quota checks' results the scoring reads (the checks service itself);
//! - [`queries`]: the database; [`rules`]: validation and the export's tables; [`views`].

pub mod compute;
mod handlers;
pub mod measure;
pub mod publish;
pub mod queries;
mod results;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_appraisal_schemes)
        .service(handlers::create_appraisal_scheme)
        .service(handlers::get_appraisal_scheme)
        .service(handlers::update_appraisal_scheme)
        .service(handlers::archive_appraisal_scheme)
        .service(handlers::simulate_appraisal_scheme)
        .service(handlers::publish_appraisal_scheme)
        .service(handlers::list_appraisal_versions)
        .service(results::get_teacher_appraisal)
        .service(results::get_school_appraisal)
        .service(results::get_group_appraisal)
        .service(results::export_appraisal);
}
