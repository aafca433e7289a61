//! One dimension of a rubric, with its maximum points.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rubric_dimensions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rubric_id: i64,
    pub position: i32,
    pub name: String,
    pub max_points: i32,
    pub description: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
