//! The inspector's grade (or points) and comment for one teacher and one checklist item.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_grades")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub teacher_id: i64,
    pub item_key: String,
    /// On a `grades` item.
    pub grade: Option<InspectionGrade>,
    /// On a `points` item.
    pub points: Option<f64>,
    pub comment: Option<String>,
    pub graded_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
