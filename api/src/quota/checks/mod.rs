//! Quota checks (`/api/v1/quota-checks`): who meets each rule, who is on track, at risk or
//! already short, as of a day, and why.
//! - [`audience`]: whose checks the caller may see;
//! - [`subjects`]: the teachers, groups, pairs and schools measured, with what rules filter on;
//! - [`engine`]: which rule measures whom (families), one aggregate count per rule, evaluation;
//! - [`service`]: a whole check, shared with the reports.

pub mod audience;
pub mod engine;
mod handlers;
pub mod service;
pub mod subjects;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::explain_quota_check)
        .service(handlers::simulate_quota_checks)
        .service(handlers::list_quota_checks);
}
