//! A collective lesson preparation (集体备课, seed 003): one lesson a group prepares together,
//! the lead's draft (初备), the consensus plan (二度调整) and when every stage was done.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "preparations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub school_id: i64,
    pub group_id: i64,
    /// The district semester containing `session_on`, if any.
    pub semester_id: Option<i64>,
    /// The collective-prep activity where the lesson is discussed.
    pub activity_id: Option<i64>,
    pub subject: String,
    pub grade: i32,
    pub unit_title: Option<String>,
    pub lesson_title: String,
    pub lead_teacher_id: i64,
    /// The day of the group's session (集中讨论).
    pub session_on: Date,
    /// Days before the session the draft is due, as the policy said when the preparation was made.
    pub draft_lead_days: i32,
    pub draft_due_on: Date,
    /// Array of `{"title", "body"}` sections; null until the draft is submitted.
    pub draft_sections: Option<Json>,
    pub draft_submitted_on: Option<Date>,
    pub draft_late: bool,
    pub consensus_body: Option<String>,
    pub consensus_teacher_id: Option<i64>,
    pub consensus_on: Option<Date>,
    /// The day the last stage was done (every co-preparer noted, consensus, every reflection).
    pub completed_on: Option<Date>,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted).
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
