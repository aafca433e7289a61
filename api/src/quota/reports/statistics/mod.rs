//! Teacher statistics of a zone or a district (教师队伍情况): the figures of
//! `GET /schools/{id}/statistics` for all the zone's or district's live schools at once, as a
//! one-row `totals` table and a `schools` table with a row per school (same columns).
//!
//! The counting is `org::schools::statistics::figures_per_school`: one GROUP BY (school, value)
//! query per figure over all the schools; the totals are the sums of the schools (every teacher
//! belongs to one school, so distinct teachers per school add up to distinct teachers).
//! District administrators only: others who see the zone or district get 403, the rest 404.
//!
//! [`queries`] reads the schools, [`rules`] lays the figures out as tables, [`handlers`] answers.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use rules::{figure_cells, figure_columns, tables};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::teacher_statistics);
}
