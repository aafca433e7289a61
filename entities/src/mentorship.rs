//! A mentorship pair (师徒结对) with its agreement, duties and end assessment.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentorships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub school_id: i64,
    pub mentor_teacher_id: i64,
    pub mentee_teacher_id: i64,
    pub start_semester_id: i64,
    pub end_semester_id: i64,
    /// The pair's first day (inside its first semester).
    pub start_date: Date,
    /// The pair's last day (inside its last semester); an early end moves it forward.
    pub end_date: Date,
    pub agreement: Option<String>,
    /// Array of strings.
    pub duties: Json,
    pub status: MentorshipStatus,
    pub grade_band_mismatch: bool,
    pub assessment_grade: Option<AssessmentGrade>,
    pub assessment_comment: Option<String>,
    pub reward: Option<String>,
    pub assessed_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
