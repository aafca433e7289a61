//! The change feed (Ed-Fi "change queries"): `GET /changes?since=V` answers every
//! resource changed after version `V`, once, in its latest state, in version order; deleted
//! (archived or removed) ones as tombstones. A client reads to the end by following `next_since`,
//! keeps the last one, and next time asks from there.
//!
//! - [`types`]: which resource types the feed serves and the scope each needs;
//! - [`request`]: the query parameters and the window of versions served (pure);
//! - [`log`]: the change log, scoped to the caller's district and schools;
//! - [`views`]: the entries' current state, built by each resource module's own views;
//! - [`handlers`]: `GET /changes` and `GET /changes/available`.
//!
//! On PostgreSQL writers commit out of version order (no global lock, see `docs/WRITES.md`): a
//! page serves only versions up to the *settled* one, below which no running writer can still
//! commit ([`crate::changes::settled_version`]), so a client following `next_since` never moves
//! past a change that is still to come.
//!
//! A page is read in one snapshot (a read-only REPEATABLE READ transaction on PostgreSQL; on
//! SQLite every transaction reads one snapshot): the counter, the log rows and the resources all
//! agree, so an entry's data is the state its version names, and `newest` is never ahead of what
//! the page could see.

pub mod handlers;
pub mod log;
pub mod request;
pub mod retention;
pub mod types;
pub mod views;

use std::collections::HashMap;

use sea_orm::{
    AccessMode, DatabaseBackend, DatabaseConnection, DatabaseTransaction, IsolationLevel, TransactionOptions,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use self::request::{Available, Window};
use crate::clients::access::Access;
use crate::domain::DomainResult;

pub use handlers::routes;

/// One changed resource.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"type": "teachers", "id": 40, "sourced_id": "T-2019-0040", "change_version": 1201,
    "deleted": false, "data": {"id": 40, "school_id": 3, "name": "王芳", "status": "active"}}))]
pub struct ChangeEntry {
    /// The resource type (`teachers`, `memberships` ...), as in `types`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The resource's id in this API (`/api/v1/<type>/{id}`; memberships and slots live under
    /// their group).
    pub id: i64,
    /// The source system's id of the row (teachers: `external_id`), when it has one.
    pub sourced_id: Option<String>,
    /// The version of the resource's latest change.
    pub change_version: i64,
    /// Archived or removed: the entry is a tombstone, without `data`.
    pub deleted: bool,
    /// The resource as its single GET shows it now; absent on tombstones.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
}

/// A page of the feed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({
    "changes": [
        {"type": "teachers", "id": 40, "sourced_id": "T-2019-0040", "change_version": 1201, "deleted": false,
         "data": {"id": 40, "school_id": 3, "name": "王芳", "status": "active"}},
        {"type": "memberships", "id": 77, "sourced_id": null, "change_version": 1207, "deleted": true}
    ],
    "next_since": 1207, "has_more": true, "newest": 1350}))]
pub struct ChangePage {
    /// In `change_version` order, each resource once.
    pub changes: Vec<ChangeEntry>,
    /// The `since` of the next request: the last entry's version while `has_more`, else `newest`
    /// (keep it and ask again later to get what changes after this read).
    pub next_since: i64,
    /// More entries follow: ask again with `since=next_since`.
    pub has_more: bool,
    /// The newest version of the installation when the page was read.
    pub newest: i64,
}

/// A read-only transaction that sees one snapshot of the database.
async fn snapshot(db: &DatabaseConnection) -> DomainResult<DatabaseTransaction> {
    let pg = db.get_database_backend() == DatabaseBackend::Postgres;
    Ok(db
        .begin_with_options(TransactionOptions {
            isolation_level: pg.then_some(IsolationLevel::RepeatableRead),
            access_mode: pg.then_some(AccessMode::ReadOnly),
            sqlite_transaction_mode: None,
        })
        .await?)
}

/// The versions served now, read on `db` (a read replica of `primary`, when given; see
/// [`crate::changes::horizon`]).
pub async fn available(db: &DatabaseConnection, primary: Option<&DatabaseConnection>) -> DomainResult<Available> {
    let (db, settled) = crate::changes::horizon(db, primary).await?;
    Ok(settle(log::available(db).await?, settled))
}

/// The window with `newest` lowered to the settled version (PostgreSQL: no running writer can
/// still commit a version at or below it), so that a client carrying on from `newest` never
/// skips a change committed later with a lower version.
fn settle(available: Available, settled: Option<i64>) -> Available {
    match settled {
        Some(settled) => Available { newest: available.newest.min(settled).max(available.oldest), ..available },
        None => available,
    }
}

/// One page of the feed for `access`, or the window of versions served when `window.since` is
/// outside it (the client must resynchronise).
///
/// `db` may be a read replica of `primary` ([`crate::changes::horizon`]).
pub async fn read(
    db: &DatabaseConnection,
    primary: Option<&DatabaseConnection>,
    access: &Access,
    types: &[&'static str],
    window: Window,
) -> DomainResult<Result<ChangePage, Available>> {
    // The settled version first, then the snapshot (see `changes::settled_version`).
    let (db, settled) = crate::changes::horizon(db, primary).await?;
    let txn = snapshot(db).await?;
    let visible = log::available(&txn).await?;
    let available = settle(visible, settled);
    if window.since > available.newest && window.since <= visible.newest {
        // Issued, and maybe served before, but a writer that started earlier is still running:
        // nothing can be served after `since` yet.
        txn.commit().await?;
        return Ok(Ok(ChangePage {
            changes: Vec::new(),
            next_since: window.since,
            has_more: false,
            newest: available.newest,
        }));
    }
    if !available.serves(window.since) {
        return Ok(Err(available));
    }
    let mut rows = log::page(&txn, access, types, window.since, available.newest, window.limit + 1).await?;
    let has_more = rows.len() as u64 > window.limit;
    rows.truncate(window.limit as usize);

    let gone = |row: &entities::change_log::Model| row.deleted || log::departed(access, row);
    let mut live: HashMap<&str, Vec<i64>> = HashMap::new();
    for row in rows.iter().filter(|r| !gone(r)) {
        live.entry(row.resource_type.as_str()).or_default().push(row.resource_id);
    }
    let mut data: HashMap<&str, views::Views> = HashMap::new();
    for (kind, ids) in live {
        data.insert(kind, views::views_of(&txn, kind, &ids, access).await?);
    }
    let mut changes = Vec::with_capacity(rows.len());
    for row in &rows {
        let view = if gone(row) {
            None
        } else {
            let found = data.get_mut(row.resource_type.as_str()).and_then(|v| v.remove(&row.resource_id));
            if found.is_none() {
                tracing::warn!(kind = %row.resource_type, id = row.resource_id, "a live change-log entry has no row");
            }
            found
        };
        changes.push(ChangeEntry {
            kind: row.resource_type.clone(),
            id: row.resource_id,
            sourced_id: row.sourced_id.clone(),
            change_version: row.change_version,
            // A live entry whose row is gone is gone for the client too.
            deleted: view.is_none(),
            data: view,
        });
    }
    txn.commit().await?;
    let next_since = match (has_more, changes.last()) {
        (true, Some(last)) => last.change_version,
        _ => available.newest,
    };
    Ok(Ok(ChangePage { changes, next_since, has_more, newest: available.newest }))
}
