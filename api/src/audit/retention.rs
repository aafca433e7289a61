//! Retention of the audit trail: entries older than `JIAOYAN_AUDIT_RETENTION_DAYS` are purged,
//! hourly in the served application and on demand (`jiaoyan prune-audit`). The purge is the only
//! delete the append-only guard lets through: it raises a transaction-local flag first.

use entities::audit_log::{Column, Entity};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use crate::domain::DomainResult;

/// Purges the entries older than `retention_days` as of `now_unix`; returns how many.
pub async fn purge(db: &DatabaseConnection, retention_days: u32, now_unix: i64) -> DomainResult<u64> {
    let cutoff_ms = crate::clock::retention_cutoff(now_unix, retention_days).saturating_mul(1000);
    // The oldest entry (ids rise with time; no index on the time, which every write would pay).
    let oldest = Entity::find().order_by_asc(Column::Id).one(db).await?;
    if oldest.is_none_or(|e| e.occurred_at >= cutoff_ms) {
        return Ok(0);
    }
    let txn = crate::db::begin_write(db).await?;
    let postgres = txn.get_database_backend() == DatabaseBackend::Postgres;
    if postgres {
        txn.execute_unprepared("SELECT set_config('jiaoyan.audit_prune', 'on', true)").await?;
    } else {
        txn.execute_unprepared("UPDATE audit_context SET pruning = 1 WHERE id = 1").await?;
    }
    let removed = Entity::delete_many().filter(Column::OccurredAt.lt(cutoff_ms)).exec(&txn).await?.rows_affected;
    if !postgres {
        txn.execute_unprepared("UPDATE audit_context SET pruning = 0 WHERE id = 1").await?;
    }
    txn.commit().await?;
    Ok(removed)
}

/// Purges once an hour (the first time right away) for as long as the application runs.
pub fn spawn_hourly(db: DatabaseConnection, retention_days: u32) -> tokio::task::JoinHandle<()> {
    crate::clock::hourly(move || {
        let db = db.clone();
        async move {
            match purge(&db, retention_days, crate::clock::now_unix()).await {
                Ok(removed) if removed > 0 => tracing::info!(removed, "purged old audit entries"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "purging old audit entries failed; trying again in an hour"),
            }
        }
    })
}
