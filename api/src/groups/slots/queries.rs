//! Database access of the weekly slots.

use super::views::SlotFilter;
use crate::domain::{DomainError, DomainResult};
use crate::resource::sorted;
use entities::{group, weekly_slot};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The slot `id` of `group`, or 404.
pub(super) async fn load_slot(
    db: &impl ConnectionTrait,
    group: &group::Model,
    id: i64,
) -> DomainResult<weekly_slot::Model> {
    weekly_slot::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.group_id == group.id)
        .ok_or_else(|| DomainError::not_found("slot"))
}

/// What `list_slots` lists: the group's slots that match the filter, in the order it asks for (not
/// paged); whoever sees the group sees its slots.
pub(super) fn slots_matching(
    f: &SlotFilter,
    group: &group::Model,
) -> DomainResult<sea_orm::Select<weekly_slot::Entity>> {
    let mut query = weekly_slot::Entity::find().filter(weekly_slot::Column::GroupId.eq(group.id));
    if let Some(w) = f.weekday {
        query = query.filter(weekly_slot::Column::Weekday.eq(w));
    }
    if !f.include_archived.unwrap_or(false) {
        query = query.filter(weekly_slot::Column::ArchivedAt.is_null());
    }
    sorted(
        query,
        f.sort.as_deref(),
        &[
            ("weekday", weekly_slot::Column::Weekday),
            ("created_at", weekly_slot::Column::CreatedAt),
            ("id", weekly_slot::Column::Id),
        ],
        weekly_slot::Column::Id,
    )
}
