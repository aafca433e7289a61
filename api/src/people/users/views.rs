//! Wire types of the users API.

use chrono::{DateTime, Utc};
use entities::enums::Role;
use entities::user;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::validate::nullable;

/// A user account as the API shows it (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "username": "dhs-admin", "role": "school_admin", "district_id": 1,
    "school_id": 3, "teacher_id": null, "display_name": "大河岸中心小学教导处", "disabled": false,
    "last_login_at": null, "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// `null` only for an installation-wide district administrator.
    pub district_id: Option<i64>,
    /// Set for every role but district_admin.
    pub school_id: Option<i64>,
    /// The teacher this account belongs to (required for group_leader and teacher).
    pub teacher_id: Option<i64>,
    pub display_name: Option<String>,
    pub disabled: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<user::Model> for UserView {
    fn from(m: user::Model) -> Self {
        UserView {
            id: m.id,
            username: m.username,
            role: m.role,
            district_id: m.district_id,
            school_id: m.school_id,
            teacher_id: m.teacher_id,
            display_name: m.display_name,
            disabled: m.disabled,
            last_login_at: m.last_login_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new user account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "dhs-admin", "password": "Qingshan-7#lantern-kite", "role": "school_admin", "school_id": 3,
    "display_name": "大河岸中心小学教导处"}))]
pub struct NewUser {
    /// 3–64 characters without spaces; unique.
    #[schema(min_length = 3, max_length = 64)]
    pub username: String,
    /// At least 10 characters and hard to guess (zxcvbn score 3 or more, counting the username,
    /// display name, teacher's and school's names against it); a 422 says why one is refused.
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
    pub role: Role,
    /// For district_admin: the district (omit only as an installation-wide administrator
    /// creating another one). For other roles it follows from `school_id`.
    pub district_id: Option<i64>,
    /// Required for school_admin, group_leader and teacher.
    pub school_id: Option<i64>,
    /// Required for group_leader and teacher: a teacher of `school_id`.
    pub teacher_id: Option<i64>,
    #[schema(max_length = 100)]
    pub display_name: Option<String>,
}

/// Changes to an account; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password": "Fenghuang-3$river-bamboo", "current_password": "Qingshan-7#lantern-kite"}))]
pub struct UserPatch {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub display_name: Option<Option<String>>,
    /// A new password, under the same policy as a new account's.
    #[schema(min_length = 10, max_length = 1024)]
    pub password: Option<String>,
    /// Required when changing your own password.
    pub current_password: Option<String>,
    pub role: Option<Role>,
    pub school_id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub teacher_id: Option<Option<i64>>,
    /// A disabled account cannot log in or use its tokens.
    pub disabled: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub school_id: Option<i64>,
    pub teacher_id: Option<i64>,
    /// Include archived accounts (default false).
    pub include_archived: Option<bool>,
    /// `username`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
