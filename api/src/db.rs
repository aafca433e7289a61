//! Connecting to SQLite or PostgreSQL, and migrating.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    IsolationLevel, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::error::ApiResult;

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // One file, many readers, one writer: WAL lets reads go on during a write, and the busy
        // timeout makes a second writer wait instead of failing at once.
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        options.max_connections(20);
    }
    Ok(Database::connect(options).await?)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    crate::audit::context::reset(db).await?;
    Ok(())
}

/// Begins a transaction that will write.
///
/// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at the start, waiting (up to the
/// busy timeout) for another writer to finish. A deferred transaction that reads first and then
/// writes cannot wait: when another connection wrote in between, SQLite answers "database is
/// locked" at once, which reached clients as 500s under concurrent requests.
///
/// On PostgreSQL it locks the change counter first (see the `district_sync` migration): every
/// write takes the next change version from that row anyway, and taking it before any other lock
/// keeps one lock order for all writers, so they queue instead of deadlocking, and versions become
/// visible in the order they were handed out (what the change feed relies on).
///
/// It also hands the request's caller, address, request id and operation to the audit triggers
/// ([`crate::audit::context`]). **Every write goes through here**: a write on the bare connection
/// would be audited with no caller on PostgreSQL, and with the last writer's on SQLite.
///
/// Then, holding the write lock, it checks the request's `If-Match` precondition, if any
/// ([`crate::changes::precondition`]): nobody can change the resource between that check and
/// this transaction's commit.
pub async fn begin_write<C>(db: &C) -> ApiResult<C::Transaction>
where
    C: TransactionTrait,
    C::Transaction: ConnectionTrait,
{
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    // The audit context first (PostgreSQL: in the same statement as the counter's lock).
    crate::audit::context::apply(&txn).await?;
    crate::changes::precondition::check(&txn).await?;
    Ok(txn)
}

/// Begins a transaction that only reads, in one snapshot: `REPEATABLE READ, READ ONLY` on
/// PostgreSQL; on SQLite a deferred transaction, whose first read fixes its snapshot (WAL).
pub async fn begin_read(db: &DatabaseConnection) -> ApiResult<DatabaseTransaction> {
    Ok(match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?
        }
        _ => db.begin().await?,
    })
}
