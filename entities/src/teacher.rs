//! A teacher of a school. Subjects, grades, posts and honours live in their own tables.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teachers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub teaching_start_year: Option<i32>,
    pub degree: Option<Degree>,
    pub employment_type: EmploymentType,
    pub professional_title: Option<ProfessionalTitle>,
    pub status: TeacherStatus,
    /// Identifier in the source system (staff database); unique when set.
    pub external_id: Option<String>,
    /// The day the teacher joined this school (a move sets it); `None`: before anything counted.
    pub joined_on: Option<Date>,
    /// The day the teacher left (transferred or retired); `None`: still here.
    pub left_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
