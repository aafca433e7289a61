//! Connecting to SQLite or PostgreSQL, migrating, and the two kinds of transaction every area
//! uses: [`begin_write`] and [`begin_read`]. The write path of each engine, the locks a write
//! takes and the durability setting are described in `docs/WRITES.md`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    IsolationLevel, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::domain::DomainResult;

pub mod audit_context;
pub mod pools;

/// Readers of a SQLite file: parallel connections, each reading its own WAL snapshot.
const SQLITE_READERS: u32 = 8;

/// How long a SQLite connection waits for a lock held by *another process* (or by a write made on
/// a reader connection outside [`begin_write`], such as a test fixture). The service's own
/// writers never reach it: they queue in-process for the one writer connection.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a write waits in the queue for the writer connection (SQLite), or any request for a
/// pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// The writer connection of each SQLite file this process opened with [`connect`], by file name.
/// [`begin_write`] finds it from the reader pool it is given, so that callers keep passing the
/// one `DatabaseConnection` they have.
static SQLITE_WRITERS: LazyLock<Mutex<HashMap<PathBuf, DatabaseConnection>>> = LazyLock::new(Default::default);

fn sqlite_options(url: &str, connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .max_connections(connections)
        .min_connections(0)
        // A ping before every acquire is one more hop to the driver's thread per transaction.
        .test_before_acquire(false)
        .map_sqlx_sqlite_opts(|o| {
            // WAL: readers never block the writer, and the writer never blocks readers. NORMAL
            // syncs the WAL at checkpoints, not at every commit: a committed transaction survives
            // a crash of the process (it is in the WAL file, in the operating system's cache), not
            // necessarily a power loss (docs/WRITES.md, "Durability").
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
        });
    options
}

fn sqlite_file(db: &DatabaseConnection) -> Option<PathBuf> {
    let options = db.get_sqlite_connection_pool().connect_options();
    let file = options.get_filename();
    let name = file.to_string_lossy();
    (!name.is_empty() && name != ":memory:").then(|| file.to_path_buf())
}

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if url.starts_with("sqlite:") {
        // One file, many readers, one writer: the readers' pool is what the application holds;
        // the writer is a pool of one connection beside it, whose fair (first come, first served)
        // acquire is the write queue ([`begin_write`]).
        let readers = Database::connect(sqlite_options(url, SQLITE_READERS)).await?;
        if let Some(file) = sqlite_file(&readers).filter(|_| !url.contains("mode=memory")) {
            let writer = Database::connect(sqlite_options(url, 1)).await?;
            SQLITE_WRITERS.lock().unwrap_or_else(|e| e.into_inner()).insert(file, writer);
        }
        return Ok(readers);
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).acquire_timeout(ACQUIRE_TIMEOUT).max_connections(20);
    Ok(Database::connect(options).await?)
}

/// Forgets (and so closes, once no transaction holds it) the writer connection of a SQLite
/// database opened with [`connect`]; for tests, which open many databases in one process.
pub fn forget(db: &DatabaseConnection) {
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        if let Some(file) = sqlite_file(db) {
            SQLITE_WRITERS.lock().unwrap_or_else(|e| e.into_inner()).remove(&file);
        }
    }
}

/// Closes `db` and, on SQLite, its writer connection: the last connection to close checkpoints
/// the WAL into the database file, which can then be copied whole.
pub async fn close(db: DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        let writer =
            sqlite_file(&db).and_then(|file| SQLITE_WRITERS.lock().unwrap_or_else(|e| e.into_inner()).remove(&file));
        if let Some(writer) = writer {
            writer.close().await?;
        }
    }
    db.close().await?;
    Ok(())
}

/// Whether `db` reads a SQLite file with a writer connection of its own (see [`connect`]).
pub fn has_sqlite_writer(db: &DatabaseConnection) -> bool {
    sqlite_writer(db).is_some()
}

/// The writer connection of the SQLite file `db` reads, if [`connect`] opened one.
fn sqlite_writer(db: &DatabaseConnection) -> Option<DatabaseConnection> {
    let file = sqlite_file(db)?;
    SQLITE_WRITERS.lock().unwrap_or_else(|e| e.into_inner()).get(&file).cloned()
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
    audit_context::reset(db).await?;
    Ok(())
}

/// Begins a transaction that will write.
///
/// **SQLite**: on the file's one writer connection, taken in turn: writers wait in a fair
/// in-process queue (the writer pool's acquire) for as long as the one before them holds it, and
/// never sleep-poll in SQLite's busy handler. It is `BEGIN IMMEDIATE`, so the file's write lock is
/// held from the start: the handler's reads inside the transaction and its writes see one state,
/// and a write by another process (or a fixture on a reader connection) makes it wait in the busy
/// handler, the safety net, instead of failing later with "database is locked".
///
/// **PostgreSQL**: no global lock. The transaction registers as a writer of change versions
/// (`jy_register_writer`, migration 11: a shared advisory lock keyed by a version drawn before
/// any of its own, which the change feed reads to serve only versions no running writer can still
/// commit below). Each write then takes the row locks its statements take, plus the locks its
/// area asks for (`SELECT … FOR UPDATE` on a parent row where a rule counts siblings).
///
/// On both it hands the request's caller, address, request id and operation to the audit
/// triggers ([`audit_context`]). **Every write goes through here**: a write on the bare
/// connection would be audited with no caller on PostgreSQL, and with the last writer's on
/// SQLite.
///
/// Then it checks the request's `If-Match` precondition, if any
/// ([`crate::changes::precondition`]), holding a lock on that resource (SQLite: the write lock;
/// PostgreSQL: the resource's row and its change-log row, `FOR UPDATE`): nobody can change the
/// resource between that check and this transaction's commit.
pub async fn begin_write(db: &DatabaseConnection) -> DomainResult<DatabaseTransaction> {
    let options =
        TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    let txn = match db.get_database_backend() {
        DatabaseBackend::Sqlite => match sqlite_writer(db) {
            Some(writer) => writer.begin_with_options(options).await?,
            None => db.begin_with_options(options).await?,
        },
        _ => db.begin_with_options(options).await?,
    };
    audit_context::apply(&txn).await?;
    crate::changes::precondition::check(&txn).await?;
    Ok(txn)
}

/// Begins a transaction that only reads, in one snapshot: `REPEATABLE READ, READ ONLY` on
/// PostgreSQL; on SQLite a deferred transaction on a reader connection, whose first read fixes
/// its snapshot (WAL). Neither blocks a writer, however long it reads, nor waits for one.
pub async fn begin_read(db: &DatabaseConnection) -> DomainResult<DatabaseTransaction> {
    Ok(match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?
        }
        _ => db.begin().await?,
    })
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Database, Statement};

    /// SQLite is compiled without the process-wide page-cache group and allocation statistics
    /// (`.cargo/config.toml`), whose mutexes made the district check's parallel scans take turns.
    /// A build that loses the flags fails here, not only in the benchmark.
    #[tokio::test]
    async fn sqlite_is_built_for_reads_side_by_side() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), "PRAGMA compile_options"))
            .await
            .unwrap();
        let options: Vec<String> = rows.iter().map(|r| r.try_get_by_index(0).unwrap()).collect();
        assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "memory statistics are off: {options:?}");
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "each connection has a page cache of its own: {options:?}"
        );
    }
}
