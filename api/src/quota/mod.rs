//! Quota rules (教研常规考核) as data, and their evaluation.
//!
//! The pure core (no database and no HTTP) is its own crate, `jiaoyan_quota`, re-exported here
//! under the same paths; this module loads per-subject, per-period counts with aggregate queries,
//! hands them to the core and serves the results.
//! - [`periods`]: the periods a rule is counted over (weeks and fortnights on the semester's
//!   teaching weeks, calendar months cut by the semester, the semester, the school year), with
//!   each cut period's minimum pro-rated by teaching days;
//! - [`evaluate`]: the four statuses (met, short, at risk, on track), what is expected by now and
//!   the projection at the current pace.
//! - [`rules`]: the rule model, who a rule applies to, and families (alternatives of which the
//!   highest-priority one that applies is used).

pub(crate) mod bridge;
pub mod checks;
pub mod counting;
pub mod evidence;
pub mod handlers;
pub mod reports;
pub mod store;

pub use jiaoyan_quota::{evaluate, fold, periods, presence, rules, templates};

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.configure(handlers::routes).configure(store::routes).configure(checks::routes).configure(reports::routes);
}
