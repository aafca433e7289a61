//! Helpers every resource module shares: timestamps, 201 responses, sorting, archiving,
//! uniqueness checks and text search.

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use std::str::FromStr;

use sea_orm::sea_query::{Expr, ExprTrait, Func, IntoColumnRef, LikeExpr};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, ModelTrait, Order, PaginatorTrait, PrimaryKeyTrait, QueryFilter, QueryOrder, Select,
};
use serde::Serialize;

use crate::domain::{DomainError, DomainResult};

/// The current instant by the service's clock ([`crate::clock::now`]).
pub fn now() -> DateTime<Utc> {
    crate::clock::now()
}

/// `201 Created` with a `Location` header and the new object.
pub fn created(location: String, body: impl Serialize) -> HttpResponse {
    HttpResponse::Created().insert_header((header::LOCATION, location)).json(body)
}

pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// Orders a list by `sort` (`name`, `-name` for descending, ...), from the allowed columns,
/// always ending with the primary key so that pages never overlap or skip rows.
pub fn sorted<E: EntityTrait>(
    select: Select<E>,
    sort: Option<&str>,
    allowed: &[(&str, E::Column)],
    id: E::Column,
) -> DomainResult<Select<E>> {
    let Some(sort) = sort.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(select.order_by(id, Order::Asc));
    };
    let (name, order) = match sort.strip_prefix('-') {
        Some(name) => (name, Order::Desc),
        None => (sort, Order::Asc),
    };
    let column = allowed.iter().find(|(n, _)| *n == name).map(|(_, c)| *c).ok_or_else(|| {
        let names: Vec<_> = allowed.iter().map(|(n, _)| *n).collect();
        DomainError::invalid("sort", format!("must be one of {} (prefix - for descending)", names.join(", ")))
    })?;
    Ok(select.order_by(column, order).order_by(id, Order::Asc))
}

/// The row `id` of `E` when the caller may see it (`visible`), else a 404 naming `what`: a row out
/// of the caller's reach answers exactly like a missing one.
pub async fn load_visible<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: i64,
    what: &str,
    visible: impl FnOnce(&E::Model) -> bool,
) -> DomainResult<E::Model>
where
    E::PrimaryKey: PrimaryKeyTrait<ValueType = i64>,
{
    E::find_by_id(id).one(db).await?.filter(visible).ok_or_else(|| DomainError::not_found(what))
}

/// Archives (soft-deletes) a row: sets `archived_at` and `updated_at` to now. Every archivable
/// table has both columns, which the migration guarantees; a table without them is a bug.
pub async fn mark_archived<M, E, C>(db: &C, model: M) -> DomainResult<()>
where
    M: ModelTrait<Entity = E> + IntoActiveModel<E::ActiveModel>,
    E: EntityTrait<Model = M>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    C: ConnectionTrait,
{
    let at = now();
    let mut active = model.into_active_model();
    active.set(column::<E>("archived_at")?, Some(at).into());
    active.set(column::<E>("updated_at")?, at.into());
    active.update(db).await?;
    Ok(())
}

/// The column `name` of `E`, for the helpers that work on any table with the columns the
/// migrations give every table of its kind; a table without it is a bug.
fn column<E: EntityTrait>(name: &str) -> DomainResult<E::Column> {
    E::Column::from_str(name)
        .map_err(|_| DomainError::Internal(anyhow::anyhow!("{} has no column {name}", E::default().table_name())))
}

/// How many live (not archived) rows of `E` have `parent` = `id`: what still depends on the row
/// `id` names, for [`refuse_if_still_used`]. `E` has an `archived_at` column.
pub async fn count_live<E>(db: &impl ConnectionTrait, parent: E::Column, id: i64) -> DomainResult<u64>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let archived_at = column::<E>("archived_at")?;
    Ok(E::find().filter(parent.eq(id)).filter(archived_at.is_null()).count(db).await?)
}

/// Archives a row in a writing transaction of its own ([`crate::db::begin_write`]): the request's
/// `If-Match` precondition is checked under the write lock, before anything is written.
pub async fn archive<M, E>(db: &DatabaseConnection, model: M) -> DomainResult<()>
where
    M: ModelTrait<Entity = E> + IntoActiveModel<E::ActiveModel>,
    E: EntityTrait<Model = M>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    let txn = crate::db::begin_write(db).await?;
    mark_archived(&txn, model).await?;
    txn.commit().await?;
    Ok(())
}

/// Saves a changed row in a writing transaction of its own, for the same reason as [`archive`].
pub async fn save_changes<A>(db: &DatabaseConnection, active: A) -> DomainResult<<A::Entity as EntityTrait>::Model>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    let txn = crate::db::begin_write(db).await?;
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Inserts a new row in a writing transaction of its own ([`crate::db::begin_write`]), so that
/// the audit trail knows who wrote it (a write on the bare connection would not).
pub trait InsertWritten<E: EntityTrait>: Sized {
    fn insert_written(self, db: &DatabaseConnection) -> impl std::future::Future<Output = DomainResult<E::Model>>;
}

impl<A, E> InsertWritten<E> for A
where
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + 'static,
    E: EntityTrait,
    E::Model: IntoActiveModel<A> + Send + 'static,
{
    async fn insert_written(self, db: &DatabaseConnection) -> DomainResult<E::Model> {
        let conn = db.clone();
        let work = async move {
            let txn = crate::db::begin_write(&conn).await?;
            let saved = self.insert(&txn).await?;
            txn.commit().await?;
            Ok(saved)
        };
        crate::write_queue::run(db, work).await?
    }
}

/// Refuses to archive a row that `live` rows still depend on (409), so that nothing is orphaned.
pub fn refuse_if_still_used(live: u64, what: &str) -> DomainResult<()> {
    if live > 0 {
        return Err(DomainError::Conflict { detail: format!("{live} {what}"), field: None });
    }
    Ok(())
}

/// A 409 naming `field` when `clashing` (the rows that would share the unique value) finds any
/// row other than `except` (the row being changed, if any).
pub async fn ensure_unique<E, C>(
    db: &C,
    clashing: Select<E>,
    id: E::Column,
    except: Option<i64>,
    field: &str,
    detail: impl Into<String>,
) -> DomainResult<()>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let clashing = match except {
        Some(except) => clashing.filter(id.ne(except)),
        None => clashing,
    };
    if clashing.count(db).await? > 0 {
        return Err(DomainError::conflict(field, detail));
    }
    Ok(())
}

/// A 409 naming `name` when another live row of the same owner already has the name. The owner
/// is the school, or the district itself when `school_id` is `None` (the rows a district holds
/// for all its schools). `E` has `id`, `district_id`, `school_id`, `name` and `archived_at`.
pub async fn ensure_unique_per_owner<E>(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: Option<i64>,
    name: &str,
    except: Option<i64>,
    detail: impl Into<String>,
) -> DomainResult<()>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let school = column::<E>("school_id")?;
    let owner = match school_id {
        Some(s) => school.eq(s),
        None => school.is_null(),
    };
    let clashing = E::find()
        .filter(column::<E>("district_id")?.eq(district_id))
        .filter(owner)
        .filter(column::<E>("name")?.eq(name))
        .filter(column::<E>("archived_at")?.is_null());
    ensure_unique(db, clashing, column::<E>("id")?, except, "name", detail).await
}

/// `LOWER(column) LIKE '%text%'`: a case-insensitive (for ASCII) substring search, with the LIKE
/// wildcards in `text` taken literally. One definition, so every `q=` filter behaves the same.
pub fn text_contains(column: impl IntoColumnRef, text: &str) -> Expr {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{Alias, Query, SqliteQueryBuilder};

    #[test]
    fn text_search_escapes_wildcards_and_ignores_ascii_case() {
        let sql = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("teachers"))
            .and_where(text_contains(Alias::new("name"), "Wang_100%"))
            .to_string(SqliteQueryBuilder);
        assert!(sql.contains(r#"LOWER("name") LIKE '%wang\_100\%%' ESCAPE '\'"#), "{sql}");
    }
}
