//! Alerts to people (docs/ALERTS.md): subscriptions of a school, group or district to events,
//! delivered to a WeCom (企业微信) or DingTalk (钉钉) group robot or a generic HTTPS webhook.
//!
//! - [`outbox`]: an event becomes one outbox row per subscription that wants it, in the
//!   transaction of what caused it (a district team's notice, an inspection finding) or of the
//!   scheduler's tick; unique idempotency keys make a repeated event one message.
//! - [`worker`]: the background task that claims due rows, POSTs them ([`channels`]: the
//!   formats and signatures) and retries with backoff, keeping a delivery log.
//! - [`scheduler`]: the time-driven events (the weekly at-risk digest, deadlines coming, overdue
//!   summaries) on the service's clock.
//! - `handlers`/`views`/`queries`: `/alert-subscriptions` and its delivery log.

pub mod channels;
mod digest;
pub mod events;
mod handlers;
pub mod outbox;
pub mod queries;
mod resolve;
pub mod rules;
pub mod scheduler;
pub mod views;
pub mod worker;

use utoipa_actix_web::service_config::ServiceConfig;

use crate::state;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_alert_subscriptions)
        .service(handlers::create_alert_subscription)
        .service(handlers::get_alert_subscription)
        .service(handlers::update_alert_subscription)
        .service(handlers::delete_alert_subscription)
        .service(handlers::list_alert_deliveries)
        .service(handlers::test_alert_subscription);
}

/// Starts the delivery worker and the scheduler of the served application (stopped with it).
pub fn start(state: actix_web::web::Data<state::AppState>) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let settings = &state.settings.alerts;
    let mut tasks = vec![worker::spawn(state.db.clone(), settings)?];
    tasks.extend(scheduler::spawn(state.clone(), state.settings.clock(), settings.tick_ms)?);
    Ok(tasks)
}
