//! The reports schools and the district hand upward (docs/API-DESIGN.md, "Reports"), each as JSON, CSV or XLSX
//! (`format=json|csv|xlsx`), with Chinese column headers by `lang=zh`.
//! - [`table`]: one report = named tables; writes them as JSON, CSV or XLSX;
//! - [`compliance`]: one row per teacher, one column per rule (actual/required and status);
//! - [`groups`]: a group's activities by type against its rules, attendance, topics, open lessons;
//! - [`summaries`]: school and district summaries, with the "excellent group" shortlist;
//! - [`statistics`]: teacher statistics at zone and district level;
//! - `common`: the semester/as-of window, the held-activity population, attendance by GROUP BY.
//!
//! A report handler builds a [`table::Report`] (tables of typed cells with bilingual headers) and
//! answers with [`table::respond`]; its query struct repeats `format`, `lang` and `table`.

pub mod compliance;
pub mod groups;
pub mod statistics;
pub mod summaries;
pub mod table;

pub(crate) mod common;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.configure(compliance::routes)
        .configure(groups::routes)
        .configure(summaries::routes)
        .configure(statistics::routes);
}
