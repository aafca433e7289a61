//! A teacher expected at (or walking into) an activity, with their attendance (考勤).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub teacher_id: i64,
    /// Invited (from the organiser's members or by hand), as opposed to walking in.
    pub expected: bool,
    pub status: AttendanceStatus,
    pub leave_reason: Option<String>,
    pub signed_in_at: Option<DateTimeUtc>,
    pub recorded_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
