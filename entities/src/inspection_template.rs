//! A checklist template for routine inspections (常规检查), of a school or of a district.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// `None` for a district template (offered to every school of the district).
    pub school_id: Option<i64>,
    pub name: String,
    /// `[{"key": "lesson_plans", "name": "备课", "scale": "grades", "max_points": null, "required_count": null, "counts": "lesson_plans"}]`
    pub items: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
