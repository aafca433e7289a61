//! A group's fixed weekly meeting slot (e.g. 语文星期四下午第二节课, seed 000).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "weekly_slots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub group_id: i64,
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    pub weekday: i32,
    pub start_period: Option<i32>,
    pub end_period: Option<i32>,
    pub start_time: Option<Time>,
    pub end_time: Option<Time>,
    pub venue: Option<String>,
    pub week_pattern: WeekPattern,
    pub first_week: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
