//! A research record a teacher produces (反思, 教案, 笔记, 论文, 课题, 获奖 ...).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub school_id: i64,
    pub author_teacher_id: i64,
    /// The district semester containing `written_on`; `None` for work dated between semesters
    /// (holidays), which counts for school-year rules and date ranges only.
    pub semester_id: Option<i64>,
    pub kind: RecordKind,
    pub title: String,
    pub body: Option<String>,
    pub attachment_url: Option<String>,
    pub written_on: Date,
    pub word_count: i32,
    pub hours: Option<f64>,
    pub lesson_plan_form: Option<LessonPlanForm>,
    pub project_level: Option<Level>,
    pub project_stage: Option<ProjectStage>,
    pub award_level: Option<Level>,
    pub award_rank: Option<AwardRank>,
    pub activity_id: Option<i64>,
    pub observation_id: Option<i64>,
    pub task_id: Option<i64>,
    pub due_on: Option<Date>,
    /// The school-local day it was handed in.
    pub submitted_on: Date,
    pub late: bool,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
