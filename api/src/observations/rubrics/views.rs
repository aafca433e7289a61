//! What the rubrics API reads and answers.

use chrono::{DateTime, Utc};
use entities::{rubric, rubric_dimension};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::DimensionInput;
use crate::validate::nullable;

/// One dimension of a rubric, as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 11, "position": 1, "name": "教学目标", "max_points": 10, "description": "目标明确、具体,符合学情"}))]
pub struct DimensionView {
    /// What observation scores point at.
    pub id: i64,
    /// 1-based order within the rubric.
    pub position: i32,
    pub name: String,
    pub max_points: i32,
    pub description: Option<String>,
}

impl From<rubric_dimension::Model> for DimensionView {
    fn from(d: rubric_dimension::Model) -> Self {
        DimensionView {
            id: d.id,
            position: d.position,
            name: d.name,
            max_points: d.max_points,
            description: d.description,
        }
    }
}

/// A rubric (听课评价量表) with its dimensions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "school_id": 2, "name": "课堂教学评价表", "description": null,
    "dimensions": [
        {"id": 11, "position": 1, "name": "教学目标", "max_points": 10, "description": null},
        {"id": 12, "position": 2, "name": "教学内容", "max_points": 20, "description": null},
        {"id": 13, "position": 3, "name": "教学方法", "max_points": 20, "description": null},
        {"id": 14, "position": 4, "name": "教学过程", "max_points": 30, "description": null},
        {"id": 15, "position": 5, "name": "教学效果", "max_points": 20, "description": null}],
    "max_total": 100,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct RubricView {
    pub id: i64,
    pub district_id: i64,
    /// The school that owns the rubric; `null` for a district rubric, usable by all its schools.
    pub school_id: Option<i64>,
    pub name: String,
    pub description: Option<String>,
    /// In order of `position`.
    pub dimensions: Vec<DimensionView>,
    /// The sum of the dimensions' `max_points`: the best total score.
    pub max_total: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl RubricView {
    /// `dimensions` must be the rubric's, ordered by position.
    pub fn new(r: rubric::Model, dimensions: Vec<rubric_dimension::Model>) -> Self {
        let max_total = dimensions.iter().map(|d| d.max_points).sum();
        RubricView {
            id: r.id,
            district_id: r.district_id,
            school_id: r.school_id,
            name: r.name,
            description: r.description,
            dimensions: dimensions.into_iter().map(DimensionView::from).collect(),
            max_total,
            created_at: r.created_at,
            updated_at: r.updated_at,
            archived_at: r.archived_at,
        }
    }
}

/// A dimension of a new or changed rubric.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "教学过程", "max_points": 30, "description": "环节清晰,过渡自然"}))]
pub struct NewDimension {
    /// 1–100 characters, unique within the rubric.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// 1–100.
    #[schema(minimum = 1, maximum = 100)]
    pub max_points: i32,
    /// At most 500 characters.
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

impl NewDimension {
    pub fn input(&self) -> DimensionInput {
        DimensionInput { name: self.name.clone(), max_points: self.max_points, description: self.description.clone() }
    }
}

/// A new rubric: of a school (`school_id`), or of a district (`district_id` without `school_id`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"school_id": 2, "name": "课堂教学评价表", "dimensions": [
    {"name": "教学目标", "max_points": 10}, {"name": "教学内容", "max_points": 20},
    {"name": "教学方法", "max_points": 20}, {"name": "教学过程", "max_points": 30},
    {"name": "教学效果", "max_points": 20}]}))]
pub struct NewRubric {
    /// The owning school; its administrators manage the rubric.
    pub school_id: Option<i64>,
    /// Required without `school_id` (a district rubric); with `school_id` it may be omitted and
    /// must otherwise be the school's district.
    pub district_id: Option<i64>,
    /// 1–100 characters; unique among the owner's live rubrics.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// At most 2000 characters.
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// 1–30 dimensions, in the order they are shown.
    #[schema(min_items = 1, max_items = 30)]
    pub dimensions: Vec<NewDimension>,
}

/// Changes to a rubric; absent fields stay as they are, `null` clears. `dimensions` replaces
/// the whole list, and is refused (409) once an observation uses the rubric.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "课堂教学评价表(2026修订)", "description": "教导处 2026年9月修订"}))]
pub struct RubricPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub description: Option<Option<String>>,
    #[schema(min_items = 1, max_items = 30)]
    pub dimensions: Option<Vec<NewDimension>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RubricFilter {
    /// Rubrics of this school (not its district's).
    pub school_id: Option<i64>,
    /// District rubrics (without a school) of this district.
    pub district_id: Option<i64>,
    /// The rubrics observers of this school may score by: its own and its district's.
    pub usable_by_school_id: Option<i64>,
    /// Include archived rubrics (default false).
    pub include_archived: Option<bool>,
    /// `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
