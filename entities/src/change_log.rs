//! The latest change of each tracked resource, written by database triggers in the writing
//! transaction (see the `district_sync` migration). The change feed reads it in version order;
//! ETags are the versions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    /// The resource type: the collection's name (`teachers`, `memberships` ...).
    #[sea_orm(primary_key, auto_increment = false)]
    pub resource_type: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub resource_id: i64,
    /// Monotonic over the whole installation; unique.
    pub change_version: i64,
    /// Archived (soft-deleted) or removed.
    pub deleted: bool,
    pub district_id: Option<i64>,
    /// The school the resource belongs to; `NULL` for district-level resources.
    pub school_id: Option<i64>,
    /// The school a teacher last left (migration 6): readers limited to that school get the
    /// teacher as a tombstone, since it is no longer theirs.
    pub left_school_id: Option<i64>,
    pub sourced_id: Option<String>,
    /// Unix seconds of the change.
    pub changed_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
