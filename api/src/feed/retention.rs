//! Retention of the change log: tombstones (entries of archived or removed resources) older than
//! `JIAOYAN_CHANGE_RETENTION_DAYS` are purged, and `change_counter.purged_through` is raised to
//! the highest version purged. Live entries stay for ever: they are the current state, and a full
//! pull needs them.
//!
//! A client that last read a version below `purged_through` may have missed a purged deletion,
//! so the feed refuses to carry on from there (409, resynchronise from 0). The purge runs every
//! hour in the served application ([`spawn_hourly`]) and on demand (`jiaoyan prune-changes`).

use entities::{change_counter, change_log};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use crate::domain::DomainResult;

/// What a purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Tombstones removed.
    pub removed: u64,
    /// `purged_through` afterwards: the lowest `since` the feed still serves besides 0.
    pub purged_through: i64,
}

pub use crate::clock::{now_unix, retention_cutoff as cutoff};

/// The highest version among tombstones changed before `cutoff`.
async fn highest_expired(db: &impl ConnectionTrait, cutoff: i64) -> DomainResult<Option<i64>> {
    let highest: Option<Option<i64>> = change_log::Entity::find()
        .select_only()
        .column_as(change_log::Column::ChangeVersion.max(), "v")
        .filter(change_log::Column::Deleted.eq(true))
        .filter(change_log::Column::ChangedAt.lt(cutoff))
        .into_tuple()
        .one(db)
        .await?;
    Ok(highest.flatten())
}

/// Purges the tombstones older than `retention_days` as of `now_unix`, in one writing
/// transaction. Looks first without the write lock, so the hourly run writes nothing (and holds
/// up no writer) when there is nothing to purge.
pub async fn purge(db: &DatabaseConnection, retention_days: u32, now_unix: i64) -> DomainResult<Purged> {
    let cutoff = cutoff(now_unix, retention_days);
    if highest_expired(db, cutoff).await?.is_none() {
        return Ok(Purged { removed: 0, purged_through: crate::feed::available(db, None).await?.oldest });
    }
    let txn = crate::db::begin_write(db).await?;
    // Again in the transaction: another purge may have run in between (another service process's
    // hourly run; on PostgreSQL writers no longer queue behind one lock, so both may get here and
    // the second deletes what is left and never lowers `purged_through`, below).
    let Some(highest) = highest_expired(&txn, cutoff).await? else {
        let oldest = crate::feed::log::available(&txn).await?.oldest;
        txn.rollback().await?;
        return Ok(Purged { removed: 0, purged_through: oldest });
    };
    let removed = change_log::Entity::delete_many()
        .filter(change_log::Column::Deleted.eq(true))
        .filter(change_log::Column::ChangedAt.lt(cutoff))
        .exec(&txn)
        .await?
        .rows_affected;
    // Never lowered: an older purge may have gone further (with a longer retention then).
    let through = Ord::max(crate::feed::log::available(&txn).await?.oldest, highest);
    let current = Expr::col(change_counter::Column::PurgedThrough);
    change_counter::Entity::update_many()
        .col_expr(
            change_counter::Column::PurgedThrough,
            CaseStatement::new().case(current.clone().lt(through), Expr::value(through)).finally(current).into(),
        )
        .filter(change_counter::Column::Id.eq(1))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Purged { removed, purged_through: through })
}

/// Purges once an hour (the first time right away) for as long as the application runs.
pub fn spawn_hourly(db: DatabaseConnection, retention_days: u32) -> tokio::task::JoinHandle<()> {
    crate::clock::hourly(move || {
        let db = db.clone();
        async move {
            match purge(&db, retention_days, now_unix()).await {
                Ok(p) if p.removed > 0 => {
                    tracing::info!(removed = p.removed, purged_through = p.purged_through, "purged old tombstones")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "purging old tombstones failed; trying again in an hour"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutoff_is_whole_days_before_now() {
        assert_eq!(cutoff(1_000_000, 0), 1_000_000);
        assert_eq!(cutoff(10_000_000, 90), 10_000_000 - 90 * 86_400);
    }
}
