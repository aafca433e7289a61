//! A teacher's or a group's frozen result in one published version of an appraisal scheme: score,
//! rank among its kind within its school, and the breakdown
//! (`jiaoyan_appraisal::score::Breakdown`) as JSON.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version_id: i64,
    /// `teacher` or `group`.
    pub subject_type: String,
    pub subject_id: i64,
    pub school_id: Option<i64>,
    pub name: String,
    pub score: f64,
    pub rank: i32,
    pub breakdown: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
