//! Wire types: what the API reads and shows.

use crate::validate::nullable;
use chrono::{DateTime, Utc};
use entities::district;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A district as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "罗田县", "code": "421123",
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct DistrictView {
    pub id: i64,
    pub name: String,
    /// Administrative code, e.g. the county's GB/T 2260 code.
    pub code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<district::Model> for DistrictView {
    fn from(m: district::Model) -> Self {
        DistrictView {
            id: m.id,
            name: m.name,
            code: m.code,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new district.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "罗田县", "code": "421123"}))]
pub struct NewDistrict {
    /// Unique in the installation.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(max_length = 64)]
    pub code: Option<String>,
}

/// Changes to a district; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "罗田县教研室"}))]
pub struct DistrictPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub code: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DistrictFilter {
    /// Include archived districts (default false).
    pub include_archived: Option<bool>,
    /// `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
