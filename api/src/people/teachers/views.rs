//! Wire types of the teachers API.

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::{Degree, EmploymentType, Gender, HonourTitle, Level, Post, ProfessionalTitle, TeacherStatus};
use entities::teacher;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules;
use crate::validate::nullable;

/// An honour (荣誉称号) a teacher holds: its title, level and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "backbone_teacher", "level": "county", "year": 2022}))]
pub struct Honour {
    pub title: HonourTitle,
    pub level: Level,
    /// Year awarded, from 1980 to this year.
    #[schema(minimum = 1980)]
    pub year: i32,
}

/// A teacher as the API shows it, with what they teach, their posts and honours.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 12, "school_id": 3, "name": "王芳", "gender": "female", "birth_date": "1990-05-01",
    "age": 36, "teaching_start_year": 2012, "teaching_years": 14, "degree": "bachelor",
    "employment_type": "permanent", "professional_title": "first", "status": "active", "external_id": "T-0012",
    "subjects": ["数学", "语文"], "grades": [3, 4], "posts": ["research_group_leader"],
    "honours": [{"title": "backbone_teacher", "level": "county", "year": 2022}],
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct TeacherView {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    /// Age in whole years as of today; `null` without a birth date.
    pub age: Option<i32>,
    /// Year the teacher started teaching.
    pub teaching_start_year: Option<i32>,
    /// Teaching years (教龄): the current year minus `teaching_start_year`.
    pub teaching_years: Option<i32>,
    pub degree: Option<Degree>,
    pub employment_type: EmploymentType,
    pub professional_title: Option<ProfessionalTitle>,
    pub status: TeacherStatus,
    /// Identifier in the source system (staff database); unique.
    pub external_id: Option<String>,
    /// The day the teacher joined this school (set by a move); `null`: there all along. Quota
    /// checks judge the teacher from this day.
    pub joined_on: Option<NaiveDate>,
    /// The day the teacher left (set when they are transferred or retire); quota checks still
    /// judge them up to this day in its semester.
    pub left_on: Option<NaiveDate>,
    /// Subjects taught, sorted.
    pub subjects: Vec<String>,
    /// Grades taught (1–6), ascending.
    pub grades: Vec<i32>,
    /// Leadership posts (职务).
    pub posts: Vec<Post>,
    /// Honours, most recent first.
    pub honours: Vec<Honour>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// The child rows of one teacher.
#[derive(Debug, Default, Clone)]
pub struct Children {
    pub subjects: Vec<String>,
    pub grades: Vec<i32>,
    pub posts: Vec<Post>,
    pub honours: Vec<Honour>,
}

impl TeacherView {
    pub fn new(m: teacher::Model, children: Children, today: NaiveDate) -> Self {
        TeacherView {
            id: m.id,
            school_id: m.school_id,
            name: m.name,
            gender: m.gender,
            birth_date: m.birth_date,
            age: m.birth_date.map(|b| rules::age_on(b, today)),
            teaching_start_year: m.teaching_start_year,
            teaching_years: m.teaching_start_year.map(|y| rules::teaching_years(y, today)),
            degree: m.degree,
            employment_type: m.employment_type,
            professional_title: m.professional_title,
            status: m.status,
            external_id: m.external_id,
            joined_on: m.joined_on,
            left_on: m.left_on,
            subjects: children.subjects,
            grades: children.grades,
            posts: children.posts,
            honours: children.honours,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new teacher.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"school_id": 3, "name": "王芳", "gender": "female", "birth_date": "1990-05-01",
    "teaching_start_year": 2012, "degree": "bachelor", "professional_title": "first", "external_id": "T-0012",
    "subjects": ["语文"], "grades": [3, 4], "posts": ["research_group_leader"],
    "honours": [{"title": "backbone_teacher", "level": "county", "year": 2022}]}))]
pub struct NewTeacher {
    /// A school the caller administers.
    pub school_id: i64,
    /// 1–100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub gender: Option<Gender>,
    /// From 1940-01-01 to 16 years before today.
    pub birth_date: Option<NaiveDate>,
    /// From 1960 to this year, and not before the birth year + 16.
    #[schema(minimum = 1960)]
    pub teaching_start_year: Option<i32>,
    pub degree: Option<Degree>,
    /// Default `permanent`.
    pub employment_type: Option<EmploymentType>,
    pub professional_title: Option<ProfessionalTitle>,
    /// Default `active`.
    pub status: Option<TeacherStatus>,
    /// At most 64 characters; unique over all teachers.
    #[schema(max_length = 64)]
    pub external_id: Option<String>,
    /// The day the teacher joined the school, when it was during a semester (a new teacher
    /// arriving in week 7); default: there all along.
    pub joined_on: Option<NaiveDate>,
    /// The day the teacher left; not before `joined_on`.
    pub left_on: Option<NaiveDate>,
    /// Subjects taught (at most 20): each trimmed, 1–32 characters; duplicates are dropped.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub subjects: Vec<String>,
    /// Grades taught, 1–6 (at most 6 items); duplicates are dropped.
    #[serde(default)]
    #[schema(max_items = 6)]
    pub grades: Vec<i32>,
    /// At most 6 (each post once).
    #[serde(default)]
    #[schema(max_items = 6)]
    pub posts: Vec<Post>,
    /// At most 50.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub honours: Vec<Honour>,
}

/// Changes to a teacher; absent fields stay as they are, `null` clears. A list that is present
/// replaces the teacher's whole list (`null` or `[]` empties it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"honours": [{"title": "subject_leader", "level": "city", "year": 2025}]}))]
pub struct TeacherPatch {
    /// Moves the teacher; the caller must administer both schools.
    pub school_id: Option<i64>,
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Gender>)]
    pub gender: Option<Option<Gender>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub birth_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1960)]
    pub teaching_start_year: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Degree>)]
    pub degree: Option<Option<Degree>>,
    pub employment_type: Option<EmploymentType>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<ProfessionalTitle>)]
    pub professional_title: Option<Option<ProfessionalTitle>>,
    /// Leaving `active` for `transferred` or `retired` sets `left_on` to today unless given;
    /// back to `active` clears it.
    pub status: Option<TeacherStatus>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub external_id: Option<Option<String>>,
    /// The day the teacher joined the school; a move sets it to today unless given.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub joined_on: Option<Option<NaiveDate>>,
    /// The day the teacher left; not before `joined_on`. A move clears it unless given.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub left_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<String>>, max_items = 20)]
    pub subjects: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<i32>>, max_items = 6)]
    pub grades: Option<Option<Vec<i32>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<Post>>, max_items = 6)]
    pub posts: Option<Option<Vec<Post>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<Honour>>, max_items = 50)]
    pub honours: Option<Option<Vec<Honour>>>,
}

/// Filters of the teacher list; all combine (AND).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TeacherFilter {
    pub school_id: Option<i64>,
    /// Teachers with a live membership of this group (not archived, `until` empty or not past).
    pub group_id: Option<i64>,
    /// Teachers who teach this subject.
    pub subject: Option<String>,
    /// Teachers who hold this post.
    pub post: Option<Post>,
    /// Teachers who hold this honour (with `honour_level`: at that level).
    pub honour: Option<HonourTitle>,
    /// Teachers who hold an honour at this level.
    pub honour_level: Option<Level>,
    pub status: Option<TeacherStatus>,
    pub employment_type: Option<EmploymentType>,
    /// Name contains this text.
    pub q: Option<String>,
    pub external_id: Option<String>,
    /// Include archived teachers (default false).
    pub include_archived: Option<bool>,
    /// `name`, `birth_date`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    /// Teachers without a birth date come last either way.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
