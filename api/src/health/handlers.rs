//! The operations endpoints: extract, call, respond.

use std::sync::Arc;

use actix_web::{get, HttpRequest, HttpResponse};
use sea_orm::ConnectionTrait;

use super::queries::{database_answers, migrations_current};
use super::rules::admit_metrics;
use super::views::{Alive, Health, Ready, ReadyCheck};
use crate::caller::{bearer_token, client_address};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::state::State;
use crate::telemetry::Metrics;

fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

/// Liveness and database reachability, for load balancers and monitoring.
///
/// Kept for the monitors that use it; new deployments probe `/healthz` (alive) and `/readyz`
/// (ready for traffic) instead.
#[utoipa::path(
    tag = "operations",
    security(()),
    responses(
        (status = 200, description = "Up, database reachable", body = Health),
        (status = 503, description = "Up, database unreachable", body = Health)
    )
)]
#[get("/health")]
pub async fn health(state: State) -> HttpResponse {
    let database_ok = state.db.execute_unprepared("SELECT 1").await.is_ok();
    let body = Health {
        status: if database_ok { "ok" } else { "degraded" }.into(),
        database: if database_ok { "ok" } else { "unreachable" }.into(),
        version: version(),
    };
    if database_ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Liveness: the process answers HTTP. Touches no database, so a restart is never triggered by a
/// database outage (that is what `/readyz` reports).
#[utoipa::path(
    tag = "operations",
    security(()),
    responses((status = 200, description = "Alive", body = Alive))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Alive { status: "alive".into(), version: version() })
}

/// Readiness: the database answers a cheap query and holds exactly the migrations of this
/// binary (and so does the read replica, when `JIAOYAN_READ_DATABASE_URL` is set). Otherwise 503,
/// a problem whose `errors` name each failed check (`database`, `migrations`, `read_database`).
#[utoipa::path(
    tag = "operations",
    security(()),
    responses(
        (status = 200, description = "Ready for traffic", body = Ready),
        (status = 503, description = "Not ready: `errors` names each failed check", body = crate::error::Problem,
            content_type = "application/problem+json",
            example = json!({"type": "/problems/unavailable", "title": "Service unavailable", "status": 503,
                "detail": "not ready: database",
                "errors": [{"field": "database", "message": "does not answer: database \"jiaoyan\" does not exist"}]}))
    )
)]
#[get("/readyz")]
pub async fn readyz(state: State) -> ApiResult<HttpResponse> {
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    let mut check = |name: &str, outcome: Result<String, String>| match outcome {
        Ok(detail) => passed.push(ReadyCheck { name: name.into(), status: "ok".into(), detail }),
        Err(message) => failed.push(FieldError::new(name, message)),
    };
    match database_answers(&state.db).await {
        Ok(detail) => {
            check("database", Ok(detail));
            check("migrations", migrations_current(&state.db).await);
        }
        Err(e) => check("database", Err(e)),
    }
    if state.reads_elsewhere() {
        let replica = match database_answers(state.reads()).await {
            Ok(_) => migrations_current(state.reads()).await,
            Err(e) => Err(e),
        };
        check("read_database", replica);
    }
    if !failed.is_empty() {
        return Err(ApiError::Unavailable(failed));
    }
    Ok(HttpResponse::Ok().json(Ready { status: "ready".into(), version: version(), checks: passed }))
}

/// The service's metrics in Prometheus' text format (docs/OPERATIONS.md lists every series).
///
/// Served to the addresses of `JIAOYAN_METRICS_ALLOW` (default: this host, 127.0.0.1 and ::1),
/// and, when `JIAOYAN_METRICS_TOKEN` is set, only with `Authorization: Bearer <that token>`
/// (not an access token).
#[utoipa::path(
    tag = "operations",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every series, in Prometheus' text exposition format 0.0.4",
            content_type = "text/plain; version=0.0.4; charset=utf-8", body = String,
            example = "# TYPE jiaoyan_http_requests_total counter\njiaoyan_http_requests_total{method=\"GET\",route=\"/api/v1/teachers/{id}\",status=\"200\"} 42\n"),
        (status = 401, description = "JIAOYAN_METRICS_TOKEN is set and the request does not carry it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The client address is not in JIAOYAN_METRICS_ALLOW", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/metrics")]
pub async fn metrics(state: State, req: HttpRequest) -> ApiResult<HttpResponse> {
    let settings = &state.settings;
    let token = settings.metrics_token.as_deref().filter(|t| !t.is_empty());
    admit_metrics(&settings.metrics_allow, token, client_address(&req), bearer_token(&req).as_deref())?;
    let metrics = state.service::<Arc<Metrics>>();
    let replica = state.reads_elsewhere().then(|| state.reads());
    for pool in crate::db::pools::usage(&state.db, replica) {
        metrics.pool(pool.pool, pool.size, pool.idle, pool.max);
    }
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics.render()))
}
