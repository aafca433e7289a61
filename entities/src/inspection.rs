//! A routine inspection (常规检查) of a school, or of a district's schools.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// `None` for a district inspection (the teachers of several of its schools).
    pub school_id: Option<i64>,
    pub kind: InspectionKind,
    pub title: String,
    pub inspected_on: Date,
    /// The first day of the period the inspection covers (what the records show is counted from it).
    pub period_start: Date,
    pub period_end: Date,
    /// The template the checklist was copied from; `None` for the built-in default.
    pub template_id: Option<i64>,
    /// The checklist as it was when the inspection was created (the template's items).
    pub items: Json,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
