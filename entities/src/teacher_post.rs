//! A leadership post a teacher holds.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teacher_posts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub teacher_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub post: Post,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
