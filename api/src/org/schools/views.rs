//! The wire types of the schools API.

use chrono::{DateTime, Utc};
use entities::enums::SchoolTier;
use entities::school;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::validate::nullable;

/// The longest name, code and address a school may have (characters).
pub const NAME_MAX: usize = 100;
pub const CODE_MAX: usize = 64;
pub const ADDRESS_MAX: usize = 200;

/// A school as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "district_id": 1, "zone_id": 1, "name": "大河岸中心小学",
    "tier": "township_central", "code": "4211230301", "address": "大河岸镇正街1号", "is_zone_lead": true,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct SchoolView {
    pub id: i64,
    pub district_id: i64,
    /// The zone (片区) the school belongs to, if any.
    pub zone_id: Option<i64>,
    pub name: String,
    pub tier: SchoolTier,
    /// School code (学校代码), unique in the installation.
    pub code: Option<String>,
    pub address: Option<String>,
    /// Whether the school's zone names it as its lead school (牵头学校).
    pub is_zone_lead: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl SchoolView {
    pub fn new(m: school::Model, is_zone_lead: bool) -> Self {
        SchoolView {
            id: m.id,
            district_id: m.district_id,
            zone_id: m.zone_id,
            name: m.name,
            tier: m.tier,
            code: m.code,
            address: m.address,
            is_zone_lead,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new school.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"district_id": 1, "zone_id": 1, "name": "大河岸中心小学", "tier": "township_central",
    "code": "4211230301", "address": "大河岸镇正街1号"}))]
pub struct NewSchool {
    pub district_id: i64,
    /// A live zone of the same district.
    pub zone_id: Option<i64>,
    /// Unique within the district.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub tier: SchoolTier,
    /// Unique in the installation.
    #[schema(max_length = 64)]
    pub code: Option<String>,
    #[schema(max_length = 200)]
    pub address: Option<String>,
}

/// Changes to a school; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"zone_id": 2, "tier": "county_direct"}))]
pub struct SchoolPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    pub tier: Option<SchoolTier>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub zone_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub address: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SchoolFilter {
    pub district_id: Option<i64>,
    pub zone_id: Option<i64>,
    pub tier: Option<SchoolTier>,
    /// Part of the name.
    pub q: Option<String>,
    /// Include archived schools (default false).
    pub include_archived: Option<bool>,
    /// `name`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
