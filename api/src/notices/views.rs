//! Wire types: what the API reads and shows.

use chrono::{DateTime, Utc};
use entities::notice;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A notice to a school, as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 4, "district_id": 1, "school_id": 3, "kind": "team_removal",
    "title": "中心组成员退出通知：李明",
    "body": "李明（小学语文中心组）2026年秋季学期应参加中心组活动 4 次，缺席 2 次（其中请假 1 次），超过 1/3，按中心组管理制度退出中心组。",
    "teacher_id": 12, "team_removal_id": 7, "created_at": "2027-01-25T08:00:00Z"}))]
pub struct NoticeView {
    pub id: i64,
    pub district_id: i64,
    /// The school the notice is addressed to.
    pub school_id: i64,
    /// What it is about: `team_removal` (a district team removed one of the school's teachers).
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The teacher it concerns.
    pub teacher_id: Option<i64>,
    /// The removal it reports (`GET /api/v1/team-removals/{id}`).
    pub team_removal_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<notice::Model> for NoticeView {
    fn from(n: notice::Model) -> Self {
        NoticeView {
            id: n.id,
            district_id: n.district_id,
            school_id: n.school_id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            teacher_id: n.teacher_id,
            team_removal_id: n.team_removal_id,
            created_at: n.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoticeFilter {
    /// Only this school's notices (district administrators; a school sees only its own anyway).
    pub school_id: Option<i64>,
    /// Only notices of this kind (`team_removal`).
    pub kind: Option<String>,
    /// 1–500, default 50. Newest first.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
