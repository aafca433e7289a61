//! A co-preparer's revision note on a draft section (一度调整, "用红笔注上", seed 003).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "preparation_notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub preparation_id: i64,
    pub teacher_id: i64,
    /// Index (from 0) of the draft section the note is about.
    pub section: i32,
    pub body: String,
    pub written_on: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
