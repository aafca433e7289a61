//! A finding of an inspection that the teacher must correct (整改).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_findings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub district_id: i64,
    pub school_id: i64,
    pub teacher_id: i64,
    pub item_key: Option<String>,
    pub description: String,
    pub due_on: Date,
    pub status: FindingStatus,
    pub response: Option<String>,
    pub responded_on: Option<Date>,
    pub confirmed_on: Option<Date>,
    pub confirmed_by_user_id: Option<i64>,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
