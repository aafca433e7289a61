//! How a district, zone, school or group runs its activities: when summaries are due and when sign-in is open. The most specific policy applies.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub scope: PolicyScope,
    pub scope_id: i64,
    pub summary_due_rule: SummaryDueRule,
    /// Days for `days_after`; ISO weekday (1 = Monday) for `next_weekday`.
    pub summary_due_value: Option<i32>,
    pub sign_in_opens_minutes_before: i32,
    pub sign_in_closes_minutes_after: i32,
    /// Signing in more than this many minutes after the start counts as late.
    pub late_after_minutes: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
