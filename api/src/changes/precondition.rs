//! `If-Match` (RFC 9110 §13.1.1) on `PATCH` and `DELETE`: the request carries the ETag it last
//! saw; if the resource has changed since, nothing is written and the answer is 412.
//!
//! The check must happen holding a lock on the resource until commit, or two clients holding the
//! same ETag could both pass it and the second would overwrite the first. So the ETag middleware
//! ([`crate::conditional`]) only *states* the precondition for the request (a task-local value
//! around the handler), and [`crate::db::begin_write`] checks it as soon as the writing
//! transaction has begun, locking the resource (SQLite: the file's write lock; PostgreSQL: the
//! resource's row and its change-log row), before the handler writes anything. The handler needs
//! no code of its own for it, and authorization still comes first (a caller outside the
//! resource's scope gets its 404 before any 412 could confirm the resource exists).

use std::cell::Cell;
use std::rc::Rc;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::domain::{DomainError, DomainResult};

/// The versions of the resource a request accepts: what its `If-Match` header says, parsed at
/// the edge ([`crate::conditional`]) and compared strongly (a weak tag never matches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepted {
    /// `*`: any current representation.
    Any,
    /// The versions the strong tags name; none when no tag names a version.
    Versions(Vec<i64>),
}

impl Accepted {
    /// Whether a resource at `version` (`None`: no current version) satisfies the condition.
    pub fn matches(&self, version: Option<i64>) -> bool {
        match (self, version) {
            (_, None) => false,
            (Accepted::Any, Some(_)) => true,
            (Accepted::Versions(versions), Some(v)) => versions.contains(&v),
        }
    }
}

/// The opaque value of the strong entity tag of a version (`12` for `ETag: "12"`).
pub fn tag_of(version: i64) -> String {
    version.to_string()
}

/// The version a tag's opaque value names: only the exact text [`tag_of`] writes (`012` names
/// none).
pub fn version_of_tag(tag: &str) -> Option<i64> {
    tag.parse().ok().filter(|v: &i64| tag_of(*v) == tag)
}

/// A request's precondition on one resource.
#[derive(Debug)]
pub struct Precondition {
    pub kind: &'static str,
    pub id: i64,
    pub accepted: Accepted,
    /// Set once a writing transaction has checked it.
    pub checked: Cell<bool>,
}

tokio::task_local! {
    /// The precondition of the request whose handler runs in this task.
    pub static CURRENT: Rc<Precondition>;
}

/// The failed precondition (a 412 at the edge).
pub fn failed(kind: &str, id: i64) -> DomainError {
    DomainError::Stale(format!(
        "{kind} {id} has changed since the ETag in If-Match was issued; read it again and retry"
    ))
}

/// Checks the current request's precondition, once, inside a writing transaction, holding a
/// lock on the resource until that transaction ends ([`locked_version_of`]). Without a
/// precondition (no `If-Match`, or not a single-resource path) it does nothing.
///
/// No `Rc` is held across the await, so `begin_write` stays `Send` for tasks outside a request
/// (the hourly purge of the change log).
pub async fn check(txn: &impl ConnectionTrait) -> DomainResult<()> {
    let Ok(Some((kind, id))) = CURRENT.try_with(|p| (!p.checked.get()).then_some((p.kind, p.id))) else {
        return Ok(());
    };
    let version = locked_version_of(txn, kind, id).await?;
    let matches = CURRENT.with(|p| {
        p.checked.set(true);
        p.accepted.matches(version)
    });
    if matches {
        Ok(())
    } else {
        Err(failed(kind, id))
    }
}

/// The version of one resource, read holding a lock on it until the transaction ends.
///
/// SQLite: the writing transaction holds the file's write lock already. PostgreSQL: the
/// resource's row, then its change-log row, `FOR UPDATE` — the order in which any write of the
/// resource takes them (its row, then the log row its trigger updates), so the check cannot
/// deadlock with a plain write; a write to one of its child tables (a teacher's subjects) needs
/// the log row too, and waits.
async fn locked_version_of(txn: &impl ConnectionTrait, kind: &str, id: i64) -> DomainResult<Option<i64>> {
    if txn.get_database_backend() != DatabaseBackend::Postgres {
        return super::version_of(txn, kind, id).await;
    }
    if let Some(table) = super::resources::table_of(kind) {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            format!("SELECT 1 FROM {table} WHERE id = $1 FOR UPDATE"),
            [id.into()],
        ))
        .await?;
    }
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT change_version FROM change_log WHERE resource_type = $1 AND resource_id = $2 FOR UPDATE",
            [kind.into(), id.into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get_by_index(0)?),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_match_exactly_and_star_matches_any_current_version() {
        assert!(Accepted::Versions(vec![3, 12]).matches(Some(12)));
        assert!(!Accepted::Versions(vec![11]).matches(Some(12)));
        assert!(!Accepted::Versions(vec![]).matches(Some(12)));
        assert!(Accepted::Any.matches(Some(1)));
        assert!(!Accepted::Any.matches(None));
    }

    #[test]
    fn a_tag_names_a_version_only_as_written() {
        assert_eq!(version_of_tag(&tag_of(12)), Some(12));
        assert_eq!(version_of_tag("012"), None);
        assert_eq!(version_of_tag("+12"), None);
        assert_eq!(version_of_tag("twelve"), None);
    }
}
