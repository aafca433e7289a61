//! `GET /health`: is the service up and its database reachable.

use actix_web::{get, HttpResponse};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::State;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health);
}

/// Health of the service.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok", "version": "0.1.0"}))]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: String,
    pub database: String,
    pub version: String,
}

/// Liveness and database reachability, for load balancers and monitoring.
#[utoipa::path(
    tag = "operations",
    security(()),
    responses(
        (status = 200, description = "Up, database reachable", body = Health),
        (status = 503, description = "Up, database unreachable", body = Health)
    )
)]
#[get("/health")]
async fn health(state: State) -> HttpResponse {
    let database_ok = state.db.execute_unprepared("SELECT 1").await.is_ok();
    let body = Health {
        status: if database_ok { "ok" } else { "degraded" }.into(),
        database: if database_ok { "ok" } else { "unreachable" }.into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    if database_ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
