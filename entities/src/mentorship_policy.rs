//! Mentor capacity and grade-band rules of a district (`school_id` empty) or a school.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentorship_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub school_id: Option<i64>,
    /// `{"renowned_teacher": 2, "backbone_teacher": 1, ...}` by honour title (seed 000).
    pub capacities: Json,
    /// Capacity of a mentor holding none of the listed honours.
    pub default_capacity: i32,
    pub grade_band_rule: RuleEnforcement,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
