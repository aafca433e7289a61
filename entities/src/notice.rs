//! A notice to a school (有关通知发到所在学校, seed 001), read by the school's administrators.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub school_id: i64,
    /// What the notice is about: `team_removal`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The teacher it concerns, if any.
    pub teacher_id: Option<i64>,
    pub team_removal_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
