//! A member removed from a district team for a semester's absences (自动退出中心组, seed 001), with
//! the numbers and the rule the decision was taken on.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "team_removals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub group_id: i64,
    pub semester_id: i64,
    /// The membership that ended; one removal per membership.
    pub membership_id: i64,
    pub teacher_id: i64,
    /// The member's school, which the notice goes to.
    pub school_id: i64,
    /// Why the membership ended: `attendance`.
    pub reason: String,
    pub held: i32,
    pub attended: i32,
    pub absent: i32,
    pub on_leave: i32,
    pub absence_numerator: i32,
    pub absence_denominator: i32,
    pub leave_counts_as_absence: bool,
    /// Applied by the district's automatic rule at the semester's end, not confirmed by hand.
    pub automatic: bool,
    pub confirmed_by_user_id: Option<i64>,
    pub removed_on: Date,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
