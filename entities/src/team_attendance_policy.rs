//! A district's attendance rule for its district teams (中心组, seed 001): the share of held
//! sessions a member may miss, whether leave counts, and whether removal is automatic.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "team_attendance_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// A member is over the rule when absences / held sessions exceed numerator / denominator.
    pub absence_numerator: i32,
    pub absence_denominator: i32,
    pub leave_counts_as_absence: bool,
    /// Removals need no confirmation once the semester has ended.
    pub automatic_at_semester_end: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
