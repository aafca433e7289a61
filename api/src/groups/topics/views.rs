//! Wire types: what the API reads and shows.

use crate::validate::nullable;
use chrono::{DateTime, Utc};
use entities::research_topic;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A group's research topic (研究主题) for a semester, as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "group_id": 2, "semester_id": 1, "title": "低年级识字写字教学的有效性研究",
    "description": null, "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct ResearchTopicView {
    pub id: i64,
    pub group_id: i64,
    pub semester_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<research_topic::Model> for ResearchTopicView {
    fn from(m: research_topic::Model) -> Self {
        ResearchTopicView {
            id: m.id,
            group_id: m.group_id,
            semester_id: m.semester_id,
            title: m.title,
            description: m.description,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new research topic.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"group_id": 2, "semester_id": 1, "title": "低年级识字写字教学的有效性研究"}))]
pub struct NewResearchTopic {
    /// A live group; one live topic per group and semester.
    pub group_id: i64,
    /// A semester of the group's district.
    pub semester_id: i64,
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    pub description: Option<String>,
}

/// Changes to a research topic; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "低年级识字写字教学的有效性研究", "description": "每月一次课例研讨"}))]
pub struct ResearchTopicPatch {
    pub semester_id: Option<i64>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResearchTopicFilter {
    pub group_id: Option<i64>,
    pub semester_id: Option<i64>,
    /// Topics of this school's groups.
    pub school_id: Option<i64>,
    /// Include archived topics (default false).
    pub include_archived: Option<bool>,
    /// `title`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
