//! Wire types of groups.

use chrono::{DateTime, Utc};
use entities::enums::{GradeBand, GroupKind};
use entities::group;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A group as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 4, "district_id": 1, "school_id": 3, "kind": "lesson_prep", "name": "一年级语文备课组",
    "subject": "语文", "grade_band": "lower", "parent_id": 2, "leader_teacher_id": 12, "description": null,
    "member_count": 5, "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct GroupView {
    pub id: i64,
    pub district_id: i64,
    /// `null` for a district team (中心组).
    pub school_id: Option<i64>,
    pub kind: GroupKind,
    pub name: String,
    /// Subject (学科), e.g. 语文, 数学, 英语, 综合.
    pub subject: Option<String>,
    pub grade_band: Option<GradeBand>,
    /// The group this one belongs to: a lesson-prep group's research group.
    pub parent_id: Option<i64>,
    /// The group's leader (组长), a teacher.
    pub leader_teacher_id: Option<i64>,
    pub description: Option<String>,
    /// Live members the caller can see: for a district team read by a school-level account, the
    /// members from the caller's own school only.
    pub member_count: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl GroupView {
    pub fn new(m: group::Model, member_count: u64) -> Self {
        GroupView {
            id: m.id,
            district_id: m.district_id,
            school_id: m.school_id,
            kind: m.kind,
            name: m.name,
            subject: m.subject,
            grade_band: m.grade_band,
            parent_id: m.parent_id,
            leader_teacher_id: m.leader_teacher_id,
            description: m.description,
            member_count,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "lesson_prep", "school_id": 3, "name": "一年级语文备课组", "subject": "语文",
    "grade_band": "lower", "parent_id": 2, "leader_teacher_id": 12}))]
pub struct NewGroup {
    pub kind: GroupKind,
    /// Required, except for a district team, which must have none.
    pub school_id: Option<i64>,
    /// Required for a district team; otherwise it follows from the school (and must match it
    /// when given).
    pub district_id: Option<i64>,
    /// Unique among the live groups of the school (of the district, for district teams).
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(max_length = 32)]
    pub subject: Option<String>,
    pub grade_band: Option<GradeBand>,
    /// A live group of the same school; a lesson-prep group's parent must be a research group.
    pub parent_id: Option<i64>,
    /// A teacher of the school (of any school of the district, for district teams).
    pub leader_teacher_id: Option<i64>,
    pub description: Option<String>,
}

/// Changes to a group; absent fields stay as they are, `null` clears. The school and district
/// of a group never change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"leader_teacher_id": 15, "description": "低段识字教学"}))]
pub struct GroupPatch {
    /// A school group cannot become a district team, nor the reverse.
    pub kind: Option<GroupKind>,
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<String>, max_length = 32)]
    pub subject: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<GradeBand>)]
    pub grade_band: Option<Option<GradeBand>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub leader_teacher_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GroupFilter {
    pub school_id: Option<i64>,
    pub district_id: Option<i64>,
    pub kind: Option<GroupKind>,
    pub subject: Option<String>,
    /// The sub-groups of this group (read a tree one level at a time).
    pub parent_id: Option<i64>,
    pub leader_teacher_id: Option<i64>,
    /// Groups in which this teacher has a live membership.
    pub teacher_id: Option<i64>,
    /// Include archived groups (default false).
    pub include_archived: Option<bool>,
    /// `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
