//! Wire types of `/api-clients`.

use chrono::{DateTime, Utc};
use entities::api_client;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::scopes::ClientScope;
use crate::validate::nullable;

/// A machine client as the API shows it (never its secret).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "name": "罗田县教师管理系统", "client_id": "jyc_4f1c2a9e0b7d3386",
    "scopes": ["roster.read", "roster.write"], "school_ids": null, "disabled": false,
    "secret_issued_at": "2026-12-01T08:00:00Z", "last_used_at": null,
    "created_at": "2026-12-01T08:00:00Z", "updated_at": "2026-12-01T08:00:00Z", "archived_at": null}))]
pub struct ApiClientView {
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    /// What the client sends as `client_id` (HTTP Basic user name) at `POST /oauth/token`.
    pub client_id: String,
    pub scopes: Vec<ClientScope>,
    /// The schools the client is limited to; `null`: the whole district.
    pub school_ids: Option<Vec<i64>>,
    pub disabled: bool,
    pub secret_issued_at: DateTime<Utc>,
    /// The last time the client obtained a token.
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

pub fn scopes_of(row: &api_client::Model) -> Vec<ClientScope> {
    serde_json::from_value(row.scopes.clone()).unwrap_or_default()
}

pub fn school_ids_of(row: &api_client::Model) -> Option<Vec<i64>> {
    row.school_ids.clone().map(|ids| serde_json::from_value(ids).unwrap_or_default())
}

impl From<api_client::Model> for ApiClientView {
    fn from(m: api_client::Model) -> Self {
        ApiClientView {
            scopes: scopes_of(&m),
            school_ids: school_ids_of(&m),
            id: m.id,
            district_id: m.district_id,
            name: m.name,
            client_id: m.client_id,
            disabled: m.disabled,
            secret_issued_at: m.secret_issued_at,
            last_used_at: m.last_used_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A client with its secret: the only time the secret is shown.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"client": {"id": 1, "district_id": 1, "name": "罗田县教师管理系统",
    "client_id": "jyc_4f1c2a9e0b7d3386", "scopes": ["roster.read", "roster.write"], "school_ids": null,
    "disabled": false, "secret_issued_at": "2026-12-01T08:00:00Z", "last_used_at": null,
    "created_at": "2026-12-01T08:00:00Z", "updated_at": "2026-12-01T08:00:00Z", "archived_at": null},
    "client_secret": "9b1d0c4e7f3a2b5c8d6e1f0a4b3c2d1e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"}))]
pub struct ApiClientWithSecret {
    pub client: ApiClientView,
    /// Keep it now: it is stored only as a digest and cannot be shown again (rotate it to get a
    /// new one).
    pub client_secret: String,
}

/// A new machine client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "罗田县教师管理系统", "scopes": ["roster.read", "roster.write"]}))]
pub struct NewApiClient {
    /// Required for an installation administrator; otherwise the caller's district.
    pub district_id: Option<i64>,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// At least one.
    pub scopes: Vec<ClientScope>,
    /// Limit the client to these schools of the district; absent or `null`: the whole district.
    pub school_ids: Option<Vec<i64>>,
}

/// Changes to a client; absent fields stay as they are. `school_ids: null` lifts the limit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"disabled": true}))]
pub struct ApiClientPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    pub scopes: Option<Vec<ClientScope>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<i64>>)]
    pub school_ids: Option<Option<Vec<i64>>>,
    /// A disabled client gets no tokens, and its tokens stop working at once.
    pub disabled: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApiClientFilter {
    pub district_id: Option<i64>,
    /// Include archived clients (default false).
    pub include_archived: Option<bool>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
