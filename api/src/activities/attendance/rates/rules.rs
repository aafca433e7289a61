//! Pure rules, no database.

use entities::activity;
use entities::enums::ActivityStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};

/// The activities of `semester_id` that took place.
pub(super) fn held_in(semester_id: i64) -> Select<activity::Entity> {
    activity::Entity::find()
        .filter(activity::Column::SemesterId.eq(semester_id))
        .filter(activity::Column::Status.is_in([ActivityStatus::Held, ActivityStatus::Archived]))
        .filter(activity::Column::ArchivedAt.is_null())
}
