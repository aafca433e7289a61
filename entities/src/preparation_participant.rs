//! A teacher of a collective preparation: the lead (主备) or a co-preparer (副备), with the day of
//! their first revision note and their post-lesson reflection (三度调整).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "preparation_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub preparation_id: i64,
    pub teacher_id: i64,
    pub role: PreparationRole,
    /// The day of the co-preparer's first revision note (一度调整 done).
    pub first_noted_on: Option<Date>,
    /// The reflection record (`records`, kind `reflection`) of the 三度调整.
    pub reflection_record_id: Option<i64>,
    pub reflected_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
