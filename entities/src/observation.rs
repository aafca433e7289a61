//! A lesson observation (听课记录) with its structured feedback.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "observations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// The district semester containing `observed_on`; `None` for a date between semesters.
    pub semester_id: Option<i64>,
    pub observer_teacher_id: i64,
    pub observer_school_id: i64,
    pub observed_teacher_id: Option<i64>,
    pub observed_school_id: Option<i64>,
    /// The observed teacher when they are not one of ours.
    pub observed_name: Option<String>,
    pub observed_on: Date,
    pub period: Option<i32>,
    pub subject: String,
    pub grade: Option<i32>,
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    pub lesson_title: Option<String>,
    pub activity_id: Option<i64>,
    pub rubric_id: Option<i64>,
    /// `[{"dimension_id": 1, "points": 18}]`
    pub scores: Option<Json>,
    pub total_score: Option<f64>,
    /// Arrays of strings; their lengths are kept in the `*_count` columns for rules such as "三个一" and "123".
    pub strengths: Json,
    pub weaknesses: Json,
    pub suggestions: Json,
    pub strengths_count: i32,
    pub weaknesses_count: i32,
    pub suggestions_count: i32,
    pub critique_given: bool,
    pub critique: Option<String>,
    pub notes: Option<String>,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
