//! A lesson taught at an activity (公开课, 研究课 ...): the teaching teacher, subject, grade, class and kind.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_lessons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub position: i32,
    pub teacher_id: i64,
    pub subject: String,
    pub grade: Option<i32>,
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    pub title: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
