//! A dated task that records answer ("3月25日前上交..."): records submitted after `due_on` are flagged late.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "record_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// The school whose teachers are asked; none for a district-wide task.
    pub school_id: Option<i64>,
    /// Only this group's members are asked.
    pub group_id: Option<i64>,
    pub semester_id: i64,
    pub kind: Option<RecordKind>,
    pub title: String,
    pub description: Option<String>,
    pub due_on: Date,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
