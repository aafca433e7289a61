//! Compliance per teacher (教研常规考核情况表) for a school, a zone or the district: one row per
//! teacher, for each rule that measures anyone a column with `actual/required` and one with the
//! status, and the teacher's count of each status; plus a table of the rules with their totals.
//! Built on the checks engine, so the report and `GET /quota-checks` cannot disagree.
//!
//! [`rules`] lays the checks' results out as tables; [`handlers`] answers.

mod handlers;
mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use rules::{number, status_label, tables};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::compliance_report);
}
