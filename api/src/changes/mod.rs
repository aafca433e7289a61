//! Change tracking: every write to a tracked resource takes the next `change_version`
//! in its own transaction (database triggers keep `change_log`, see the `district_sync`
//! migration). On top of that log:
//! - single-resource GETs carry the version as a strong `ETag`, and `PATCH`/`DELETE` with
//!   `If-Match` are refused with 412 when it moved on: the HTTP side is the edge's
//!   ([`crate::conditional`]); [`etag`] is how a handler hands over the version it read, and
//!   [`precondition`] the check a writing transaction makes holding a lock on the resource;
//! - [`resources`]: which collections are tracked, and how a path names one of their resources.
//!
//! The change feed that reads the log (`GET /changes`) and the purge of old tombstones are an
//! area of their own, [`crate::feed`]; this module is the version logic every area and the
//! write path ([`crate::db::begin_write`]) share, and imports no area.

pub mod etag;
pub mod precondition;
pub mod resources;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryResult, QuerySelect, Select, Statement,
};

use crate::domain::DomainResult;

/// The newest change version: the highest in the log, never below what was purged or counted.
/// (SQLite counts versions in `change_counter.value`; PostgreSQL takes them from a sequence, see
/// migration 5, where a rolled-back transaction leaves a gap that must not count as a change.)
pub async fn newest_version(db: &impl ConnectionTrait) -> DomainResult<i64> {
    // One statement (every quota-check page reads it): the log's highest version beside the
    // counter's row.
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT (SELECT MAX(change_version) FROM change_log), c.value, c.purged_through \
             FROM change_counter c WHERE c.id = 1",
        ))
        .await?;
    let Some(row) = row else { return Ok(0) };
    let highest: Option<i64> = row.try_get_by_index(0)?;
    let value: i64 = row.try_get_by_index(1)?;
    let purged: i64 = row.try_get_by_index(2)?;
    Ok(highest.unwrap_or(0).max(value).max(purged))
}

/// The highest version the change feed may serve to a snapshot taken *after* this call, or
/// `None` when every visible version may be served (SQLite, whose writers commit one after the
/// other in version order).
///
/// PostgreSQL writers take versions without a global lock, so they can commit out of version
/// order; this is the version below which no transaction still running can commit a change
/// (`jy_settled_version`, migration 11). Read it first, then begin the snapshot: every version at
/// or below it belongs to a transaction that had ended before, which the snapshot shows.
pub async fn settled_version(db: &impl ConnectionTrait) -> DomainResult<Option<i64>> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(None);
    }
    let row =
        db.query_one_raw(Statement::from_string(DatabaseBackend::Postgres, "SELECT jy_settled_version()")).await?;
    Ok(match row {
        Some(row) => Some(row.try_get_by_index(0)?),
        None => None,
    })
}

/// Where a feed read takes its snapshot, and the settled version it may serve up to.
///
/// With a read replica (`primary` given) the settled version is the primary's (a replica's
/// sequence runs ahead of what was handed out, and it does not see the primary's writers), read
/// with the primary's WAL position at that moment: when the replica has replayed up to that
/// position *before* its snapshot is taken, every version at or below the settled one that
/// committed is in the snapshot, and the replica serves the read; when it lags behind, the
/// primary does.
pub async fn horizon<'a>(
    reads: &'a DatabaseConnection,
    primary: Option<&'a DatabaseConnection>,
) -> DomainResult<(&'a DatabaseConnection, Option<i64>)> {
    let primary = match primary {
        Some(primary) if primary.get_database_backend() == DatabaseBackend::Postgres => primary,
        _ => return Ok((reads, settled_version(reads).await?)),
    };
    let sql = "SELECT jy_settled_version(), pg_current_wal_lsn()::text";
    let Some(row) = primary.query_one_raw(Statement::from_string(DatabaseBackend::Postgres, sql)).await? else {
        return Ok((primary, settled_version(primary).await?));
    };
    let (settled, position): (i64, String) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
    // NULL on a server that is not a standby: it is as current as the primary.
    let caught_up = reads
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, true)",
            [position.into()],
        ))
        .await?
        .map(|row| row.try_get_by_index::<bool>(0))
        .transpose()?
        .unwrap_or(false);
    Ok(if caught_up { (reads, Some(settled)) } else { (primary, settled_version(primary).await?) })
}

/// A number that names the state of the database a transaction sees: two reads that get the
/// same number saw the same data. Kept quota checks are keyed by it.
///
/// SQLite: the newest version (writers commit in version order, and every write to a tracked
/// table takes a new one). PostgreSQL, where writers commit out of version order (a late commit
/// of an earlier version leaves the newest unchanged): a hash of the snapshot itself (the
/// transactions it sees as running and the next transaction id), which any commit changes.
pub async fn state_version(db: &impl ConnectionTrait) -> DomainResult<i64> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return newest_version(db).await;
    }
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT hashtextextended(pg_current_snapshot()::text, 0)",
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    })
}

/// The current version of one resource, if it is tracked and has been written.
pub async fn version_of(db: &impl ConnectionTrait, kind: &str, id: i64) -> DomainResult<Option<i64>> {
    use entities::change_log::{Column, Entity};
    Ok(Entity::find()
        .select_only()
        .column(Column::ChangeVersion)
        .filter(Column::ResourceType.eq(kind))
        .filter(Column::ResourceId.eq(id))
        .into_tuple::<i64>()
        .one(db)
        .await?)
}

/// A resource read together with its current change version ([`find_with_version`]).
pub struct Versioned<M> {
    pub model: M,
    pub version: Option<i64>,
}

impl<M: FromQueryResult> FromQueryResult for Versioned<M> {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Versioned { model: M::from_query_result(row, pre)?, version: row.try_get(pre, "change_version")? })
    }
}

/// The resource `kind`/`id` that `select` finds, with its version read **in the same
/// statement** (a sub-select on the change log's primary key): one round trip instead of two,
/// and a version of exactly the snapshot the body comes from. For the GETs that hand their
/// version to the ETag middleware ([`etag::read_with`]).
pub async fn find_with_version<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    kind: &str,
    id: i64,
) -> DomainResult<Option<Versioned<E::Model>>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Send + Sync,
{
    use entities::change_log::{Column, Entity};
    let version = Query::select()
        .column(Column::ChangeVersion)
        .from(Entity)
        .and_where(Column::ResourceType.eq(kind))
        .and_where(Column::ResourceId.eq(id))
        .to_owned();
    Ok(select
        .expr_as(Expr::SubQuery(None, Box::new(version.into())), "change_version")
        .into_model::<Versioned<E::Model>>()
        .one(db)
        .await?)
}
