//! Quota rules (教研常规考核): the rules a school or district adopts, and checks of who meets them.
//!
//! The pure core (rule model, periods, presence, fold and evaluation; no database and no HTTP) is
//! its own crate, `jiaoyan_quota`, re-exported here under the same paths ([`rules`],
//! [`periods`], [`presence`], [`fold`], [`evaluate`], [`templates`]). This module reads what the
//! core needs with aggregate queries and serves the results:
//! - [`handlers`] and [`views`]: the rule catalogue (`/quota-rule-templates`);
//! - [`store`]: the adopted rules (`/quota-rules`), from a template with overrides or whole;
//! - [`checks`]: who meets each rule, as of a day (`/quota-checks`), with one aggregate
//!   statement per source for a whole district, kept between requests; `explain` and `simulate`;
//! - [`evidence`]: the rows behind one result, each with why it counts or not;
//! - [`counting`]: the per-rule count the checks engine is tested against;
//! - [`reports`]: the reports schools and the district hand upward, as JSON, CSV or XLSX;
//!
//! Each area has the same shape: `mod.rs` (routes), `handlers.rs` (extract, call, respond),
//! `views.rs` (wire types), `queries.rs` (database) and `rules.rs` (pure, unit-tested), split
//! into folders of those when a file grows; domain code returns `DomainResult`
//! ([`crate::domain`]), handlers `ApiResult`.

pub mod checks;
pub mod counting;
pub mod evidence;
pub mod handlers;
pub mod reports;
pub mod store;
pub mod views;

pub use jiaoyan_quota::{evaluate, fold, periods, presence, rules, templates};

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.configure(handlers::routes).configure(store::routes).configure(checks::routes).configure(reports::routes);
}
