//! One publication of an appraisal scheme: its results frozen as they were computed, with the
//! scoring as it was.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub scheme_id: i64,
    /// 1, 2 ... per scheme.
    pub version: i32,
    /// The day the results were computed as of.
    pub as_of: Date,
    pub spec: Json,
    pub published_by_user_id: Option<i64>,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
