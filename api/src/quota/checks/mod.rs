//! Quota checks (`/api/v1/quota-checks`): who meets each rule, who is on track, at risk or
//! already short, as of a day, and why.
//! - [`audience`]: whose checks the caller may see;
//! - [`subjects`]: the teachers, groups, pairs and schools measured, with what rules filter on;
//! - [`edges`]: the days their presences can start and end on, where scans cut segments;
//! - [`engine`]: which rule measures whom (families), one scan per source, fold and evaluation;
//! - [`explain`]: one result with the rows behind it, or why a rule does not measure a subject;
//! - [`scan`]: the one aggregate statement of each source;
//! - [`kept`]: a computed check, compact, with its pages and filters;
//! - [`page`]: a page of it written straight to JSON;
//! - [`cache`]: kept checks, keyed by what they were computed from and the database's version;
//! - [`service`]: a whole check, shared with the reports;
//! - [`notes`]: what an explanation says about work dated between semesters;
//! - [`reference`]: the per-rule check the engine is tested against.

pub mod audience;
pub mod cache;
pub mod edges;
pub mod engine;
pub mod explain;
mod handlers;
pub mod kept;
pub mod notes;
mod page;
pub mod reference;
pub mod scan;
pub mod service;
pub mod subjects;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::explain_quota_check)
        .service(handlers::simulate_quota_checks)
        .service(handlers::list_quota_checks);
}
