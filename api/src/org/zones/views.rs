//! Wire types: what the API reads and shows.

use crate::validate::nullable;
use chrono::{DateTime, Utc};
use entities::zone;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A zone as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "name": "东片", "lead_school_id": 3,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct ZoneView {
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    /// The lead school (牵头学校), if one is named.
    pub lead_school_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<zone::Model> for ZoneView {
    fn from(m: zone::Model) -> Self {
        ZoneView {
            id: m.id,
            district_id: m.district_id,
            name: m.name,
            lead_school_id: m.lead_school_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new zone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"district_id": 1, "name": "东片"}))]
pub struct NewZone {
    pub district_id: i64,
    /// Unique within the district.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Must be a school of the same district.
    pub lead_school_id: Option<i64>,
}

/// Changes to a zone; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lead_school_id": 3}))]
pub struct ZonePatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub lead_school_id: Option<Option<i64>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ZoneFilter {
    pub district_id: Option<i64>,
    /// Include archived zones (default false).
    pub include_archived: Option<bool>,
    /// `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
