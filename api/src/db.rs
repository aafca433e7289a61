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

/// The connection quota checks, reports, the change feed and the OneRoster view read from:
/// `JIAOYAN_READ_DATABASE_URL` (a PostgreSQL streaming replica, see docs/SCALING.md) when set,
/// else the primary itself. Checked at start: it must answer and hold the schema.
pub async fn connect_reads(primary: &DatabaseConnection, read_url: Option<&str>) -> anyhow::Result<DatabaseConnection> {
    let Some(url) = read_url else { return Ok(primary.clone()) };
    let reads = connect(url).await.map_err(|e| anyhow::anyhow!("JIAOYAN_READ_DATABASE_URL does not answer: {e}"))?;
    let in_recovery: bool = reads
        .query_one_raw(sea_orm::Statement::from_string(DatabaseBackend::Postgres, "SELECT pg_is_in_recovery()"))
        .await?
        .ok_or_else(|| anyhow::anyhow!("JIAOYAN_READ_DATABASE_URL answered nothing"))?
        .try_get_by_index(0)?;
    // The replica must have replayed the migrations just applied to the primary (it lags a
    // little): wait for it, a bounded while, else refuse to start.
    let schema = |db: DatabaseConnection| async move {
        let sql = "SELECT MAX(version) FROM seaql_migrations";
        let row = db.query_one_raw(sea_orm::Statement::from_string(DatabaseBackend::Postgres, sql)).await.ok()??;
        row.try_get_by_index::<Option<String>>(0).ok().flatten()
    };
    let wanted = schema(primary.clone()).await;
    let mut waited = 0;
    while schema(reads.clone()).await != wanted {
        if waited >= REPLICA_SCHEMA_WAIT_SECONDS * 10 {
            anyhow::bail!(
                "JIAOYAN_READ_DATABASE_URL has not replayed this service's migrations (up to {}) after {REPLICA_SCHEMA_WAIT_SECONDS} s: is it a replica of DATABASE_URL?",
                wanted.unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    tracing::info!(
        replica = in_recovery,
        "quota checks, reports, the change feed and OneRoster read from JIAOYAN_READ_DATABASE_URL"
    );
    if !in_recovery {
        tracing::warn!("JIAOYAN_READ_DATABASE_URL is not a server in recovery (not a streaming replica)");
    }
    Ok(reads)
}

/// How long a start waits for the read replica to replay the migrations.
const REPLICA_SCHEMA_WAIT_SECONDS: u32 = 30;

/// Holds PostgreSQL's session advisory lock of the start (migrations and the first
/// administrator) on a connection of its own, so that replicas started at once on one database
/// take turns instead of racing to create the same tables and accounts. `None` on SQLite
/// (one file, one machine: its write lock is enough).
pub async fn start_lock(url: &str) -> anyhow::Result<Option<DatabaseConnection>> {
    if url.starts_with("sqlite:") {
        return Ok(None);
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).max_connections(1).min_connections(1);
    let conn = Database::connect(options).await?;
    conn.execute_unprepared(&format!("SELECT pg_advisory_lock({START_LOCK})")).await?;
    Ok(Some(conn))
}

/// Releases [`start_lock`] (closing its connection would too).
pub async fn release_start_lock(lock: Option<DatabaseConnection>) -> anyhow::Result<()> {
    if let Some(conn) = lock {
        conn.execute_unprepared(&format!("SELECT pg_advisory_unlock({START_LOCK})")).await?;
        conn.close().await?;
    }
    Ok(())
}

/// The advisory lock key of the start ("jiaoyan" in ASCII, as a number).
const START_LOCK: i64 = 0x006a_6961_6f79_616e;

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
