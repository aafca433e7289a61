//! The SQLite write queue's own thread: a write transaction runs there from its `BEGIN` to its
//! `COMMIT`, not on the HTTP worker that took the request.
//!
//! SQLite has one writer connection ([`crate::db::begin_write`]); the file's write lock is held
//! from `BEGIN IMMEDIATE` until `COMMIT`, and between its statements the transaction's task waits
//! for the driver's thread. On an HTTP worker that wait ends only when the worker gets round to
//! the task again, behind every other request it is serving (JSON, tokens, reads): under load the
//! lock was held for milliseconds per write while the statements themselves took a fraction of
//! that, and writes queued behind it. Here the only tasks are writes, one of which holds the
//! writer connection at a time, so the next statement goes out as soon as the last one answers.
//! See docs/WRITES.md, "The write thread".
//!
//! PostgreSQL has no such lock (its writers run in parallel), and an in-memory SQLite database
//! has no separate writer: there the work runs where it is.

use std::future::Future;
use std::sync::LazyLock;

use sea_orm::{DatabaseBackend, DatabaseConnection};
use tokio::runtime::{Builder, Runtime};

use crate::db::audit_context::{current, scope};

/// One runtime, one thread, for every SQLite file of the process.
static WRITES: LazyLock<Runtime> = LazyLock::new(|| {
    Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("jiaoyan-writes")
        .enable_all()
        .build()
        .expect("the write thread starts")
});

/// Runs `work` (a whole write transaction: begin, statements, commit) on the write thread when
/// `db` is a SQLite file, with the request's audit context; elsewhere, in place.
///
/// The work then completes even if the client goes away meanwhile (as a committed write should);
/// a panic in it becomes an internal error of the request.
pub async fn run<T, F>(db: &DatabaseConnection, work: F) -> anyhow::Result<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    if db.get_database_backend() != DatabaseBackend::Sqlite || !crate::db::has_sqlite_writer(db) {
        return Ok(work.await);
    }
    let context = current();
    let done = WRITES.spawn(scope(context, work));
    done.await.map_err(|e| anyhow::anyhow!("the write failed on the write thread: {e}"))
}
