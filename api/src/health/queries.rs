//! The readiness probes' queries: each bounded in time, so that a database that hangs makes the
//! probe fail rather than wait.

use std::time::{Duration, Instant};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::rules::migrations_gap;

/// How long one probe waits for the database.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

async fn bounded<T>(work: impl std::future::Future<Output = Result<T, sea_orm::DbErr>>) -> Result<T, String> {
    match tokio::time::timeout(PROBE_TIMEOUT, work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("does not answer: {e}")),
        Err(_) => Err(format!("did not answer within {} s", PROBE_TIMEOUT.as_secs())),
    }
}

/// A cheap query: `SELECT 1`. The answer says how long it took.
pub async fn database_answers(db: &DatabaseConnection) -> Result<String, String> {
    let started = Instant::now();
    bounded(db.execute_unprepared("SELECT 1")).await?;
    Ok(format!("answered in {} ms", started.elapsed().as_millis()))
}

/// The names of the binary's migrations, in order.
pub fn known_migrations() -> Vec<String> {
    Migrator::migrations().iter().map(|m| m.name().to_string()).collect()
}

/// Whether the database holds exactly the binary's migrations (sea-orm-migration's table).
pub async fn migrations_current(db: &DatabaseConnection) -> Result<String, String> {
    let sql = format!("SELECT version FROM {}", Migrator::migration_table_name());
    let rows = bounded(db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))).await?;
    let applied: Vec<String> = rows.iter().filter_map(|row| row.try_get_by_index::<String>(0).ok()).collect();
    let known = known_migrations();
    match migrations_gap(&known, &applied) {
        None => Ok(format!("{} applied, as this binary expects", known.len())),
        Some(gap) => Err(gap),
    }
}
