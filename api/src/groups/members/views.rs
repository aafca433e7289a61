//! Wire types: what the API reads and shows.

use crate::validate::nullable;
use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::MemberRole;
use entities::{group_membership, teacher};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A membership of a group (组员), as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 9, "group_id": 2, "teacher_id": 12, "teacher_name": "李明", "school_id": 3,
    "role": "leader", "since": "2026-09-01", "until": null,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct MemberView {
    pub id: i64,
    pub group_id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    /// The teacher's school (members of a district team come from several).
    pub school_id: i64,
    pub role: MemberRole,
    /// First day of the membership.
    pub since: NaiveDate,
    /// Last day of the membership; `null` while open-ended.
    pub until: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when the membership was ended with DELETE.
    pub archived_at: Option<DateTime<Utc>>,
}

impl MemberView {
    pub fn new(m: group_membership::Model, t: &teacher::Model) -> Self {
        MemberView {
            id: m.id,
            group_id: m.group_id,
            teacher_id: m.teacher_id,
            teacher_name: t.name.clone(),
            school_id: t.school_id,
            role: m.role,
            since: m.since,
            until: m.until,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A teacher joining a group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"teacher_id": 12, "role": "member", "since": "2026-09-01"}))]
pub struct NewMember {
    /// A teacher of the group's school (of any school of the district, for a district team).
    pub teacher_id: i64,
    /// Default `member`.
    pub role: Option<MemberRole>,
    /// Default today (China Standard Time).
    pub since: Option<NaiveDate>,
    /// Not before `since`.
    pub until: Option<NaiveDate>,
}

/// Changes to a membership; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "deputy_leader"}))]
pub struct MemberPatch {
    pub role: Option<MemberRole>,
    /// Not before `since`; `null` makes the membership open-ended again.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub until: Option<Option<NaiveDate>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MemberFilter {
    pub role: Option<MemberRole>,
    /// Include ended memberships (past `until`, or ended with DELETE); default false.
    pub include_past: Option<bool>,
    /// `since`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
