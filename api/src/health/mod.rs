//! Operations endpoints outside `/api/v1` (docs/OPERATIONS.md): `GET /health` (up, database
//! reachable; kept for existing monitors), `GET /healthz` (the process is alive), `GET /readyz`
//! (ready for traffic: the database answers and holds exactly this binary's migrations) and
//! `GET /metrics` (Prometheus text, for allowed addresses and, when set, the metrics token).

pub mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::health).service(handlers::healthz).service(handlers::readyz).service(handlers::metrics);
}
