//! Writing what a record wants, the same way for every resource: nothing when the row already
//! is so, an update (restoring an archived row) or an insert otherwise; and archiving.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, ModelTrait, PaginatorTrait,
    QueryFilter,
};

use super::batch::Sync;
use super::{Counts, Written};
use crate::domain::{DomainError, DomainResult};
use crate::resource::mark_archived;

type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// The column `name` of `E` (every synced table has `created_at`, `updated_at` and
/// `archived_at`, which the migration guarantees; a table without them is a bug).
fn column<E: EntityTrait>(name: &str) -> DomainResult<E::Column> {
    E::Column::from_str(name)
        .map_err(|_| DomainError::Internal(anyhow::anyhow!("{} has no column {name}", E::default().table_name())))
}

/// Sets a live row's `updated_at` (and, for a new row, `created_at`) to the sync's time.
fn stamp<A: ActiveModelTrait>(active: &mut A, sync: &Sync<'_>, new: bool) -> DomainResult<()> {
    active.set(column::<A::Entity>("archived_at")?, Option::<DateTime<Utc>>::None.into());
    active.set(column::<A::Entity>("updated_at")?, sync.now.into());
    if new {
        active.set(column::<A::Entity>("created_at")?, sync.now.into());
    }
    Ok(())
}

/// Writes a record's wanted state: nothing when `current` is `unchanged` (live and as wanted);
/// else `current` updated and restored, or `new` (the columns a new row alone sets: its
/// district, its sourced_id) inserted, `fill` setting the wanted fields on either. Counts it.
pub async fn write<A>(
    sync: &Sync<'_>,
    current: Option<ModelOf<A>>,
    unchanged: bool,
    new: A,
    fill: impl FnOnce(&mut A),
    counts: &mut Counts,
) -> DomainResult<(ModelOf<A>, Written)>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    ModelOf<A>: IntoActiveModel<A>,
{
    let (saved, written) = match current {
        Some(c) if unchanged => (c, Written::Unchanged),
        Some(c) => {
            let mut active = c.into_active_model();
            fill(&mut active);
            stamp(&mut active, sync, false)?;
            (active.update(sync.txn).await?, Written::Updated)
        }
        None => {
            let mut active = new;
            fill(&mut active);
            stamp(&mut active, sync, true)?;
            (active.insert(sync.txn).await?, Written::Created)
        }
    };
    counts.add(written);
    Ok((saved, written))
}

/// Archives a row a `tobedeleted` record names, and counts it.
pub async fn archive<M, E>(sync: &Sync<'_>, row: M, counts: &mut Counts) -> DomainResult<()>
where
    M: ModelTrait<Entity = E> + IntoActiveModel<E::ActiveModel>,
    E: EntityTrait<Model = M>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    mark_archived(sync.txn, row).await?;
    counts.archived += 1;
    Ok(())
}

/// How many live rows of `E` have `id` in `column` (the schools of a zone, the sub-groups of a
/// group ...): an archive that would leave them orphaned is refused.
pub async fn live_rows<E>(sync: &Sync<'_>, owner: E::Column, id: i64) -> DomainResult<u64>
where
    E: EntityTrait,
    E::Model: std::marker::Sync,
{
    let archived_at = column::<E>("archived_at")?;
    Ok(E::find().filter(owner.eq(id)).filter(archived_at.is_null()).count(sync.txn).await?)
}
