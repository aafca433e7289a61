//! A co-author of a record (a paper's second author, a research project's members).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "record_coauthors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub record_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub teacher_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
