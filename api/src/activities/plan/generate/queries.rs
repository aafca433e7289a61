//! What generating activities from a slot reads and writes.

use std::collections::HashSet;

use chrono::NaiveDate;
use entities::{activity, group, semester, weekly_slot};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::domain::{DomainError, DomainResult};
use crate::resource::load_visible;

/// A live slot of the group, or 404.
pub async fn live_slot(db: &impl ConnectionTrait, group: &group::Model, id: i64) -> DomainResult<weekly_slot::Model> {
    load_visible::<weekly_slot::Entity>(db, id, "slot", |s| s.group_id == group.id && s.archived_at.is_none()).await
}

/// A live semester of the group's district, or a 422 naming `semester_id`.
pub async fn live_semester(db: &impl ConnectionTrait, group: &group::Model, id: i64) -> DomainResult<semester::Model> {
    semester::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.district_id == group.district_id && s.archived_at.is_none())
        .ok_or_else(|| DomainError::invalid("semester_id", "no such semester in the group's district"))
}

/// Inserts the drafts of the days that have no activity of this slot yet (archived ones
/// included); returns the created activities, in the order given.
pub async fn insert_missing(
    txn: &impl ConnectionTrait,
    slot_id: i64,
    drafts: Vec<(NaiveDate, activity::ActiveModel)>,
) -> DomainResult<Vec<activity::Model>> {
    let existing: HashSet<NaiveDate> = activity::Entity::find()
        .select_only()
        .column(activity::Column::GeneratedFor)
        .filter(activity::Column::SlotId.eq(slot_id))
        .into_tuple::<Option<NaiveDate>>()
        .all(txn)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut created = Vec::new();
    for (_, draft) in drafts.into_iter().filter(|(day, _)| !existing.contains(day)) {
        created.push(draft.insert(txn).await?);
    }
    Ok(created)
}
