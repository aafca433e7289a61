//! A group: 教研组, 备课组, 年级组, 课题组 inside a school, or a district 中心组 (no school).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// `None` for district teams.
    pub school_id: Option<i64>,
    pub kind: GroupKind,
    pub name: String,
    pub subject: Option<String>,
    pub grade_band: Option<GradeBand>,
    pub parent_id: Option<i64>,
    pub leader_teacher_id: Option<i64>,
    pub description: Option<String>,
    /// The id the district's own system knows the row by (OneRoster `sourcedId`); unique.
    pub sourced_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
