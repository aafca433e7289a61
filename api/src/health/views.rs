//! The operations endpoints' answers.

use serde::Serialize;
use utoipa::ToSchema;

/// Health of the service (`GET /health`).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok", "version": "0.1.0"}))]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: String,
    pub database: String,
    pub version: String,
}

/// The process is alive (`GET /healthz`); says nothing of the database.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "alive", "version": "0.1.0"}))]
pub struct Alive {
    /// Always `alive`.
    pub status: String,
    /// The service's version.
    pub version: String,
}

/// Ready for traffic (`GET /readyz`).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ready", "version": "0.1.0", "checks": [
    {"name": "database", "status": "ok", "detail": "answered in 1 ms"},
    {"name": "migrations", "status": "ok", "detail": "16 applied, as this binary expects"}
]}))]
pub struct Ready {
    /// Always `ready` (a service that is not answers 503 with a problem naming each failed check).
    pub status: String,
    pub version: String,
    /// What was checked.
    pub checks: Vec<ReadyCheck>,
}

/// One readiness check that passed.
#[derive(Serialize, ToSchema)]
pub struct ReadyCheck {
    /// `database`, `migrations`, or `read_database` (with `JIAOYAN_READ_DATABASE_URL`).
    pub name: String,
    /// Always `ok`.
    pub status: String,
    pub detail: String,
}
