//! How many days before the session a preparation's draft is due, for a district, a school or a
//! group (the most specific one applies; default 3, seed 003).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "preparation_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// Empty for a district's policy.
    pub school_id: Option<i64>,
    /// Set for a group's policy (with its school, empty for a district team).
    pub group_id: Option<i64>,
    pub draft_lead_days: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
