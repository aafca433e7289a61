//! Schools (学校) of a district, optionally in a zone, with their tier (县直小学 / 乡镇中心小学 /
//! 村小及教学点, seed 001) and their teacher statistics.
//!
//! A district administrator reads the district's schools; every school-level role reads only its
//! own school. Only district administrators of the school's district create, change or archive
//! schools (a school administrator gets 403 on its own school, 404 on any other).

pub(crate) mod handlers;
pub mod statistics;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entities::enums::SchoolTier;
use entities::{school, zone};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::validate::nullable;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_schools)
        .service(handlers::create_school)
        .service(handlers::get_school)
        .service(handlers::update_school)
        .service(handlers::archive_school)
        .service(statistics::school_statistics);
}

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

/// A school within the caller's reach, or 404.
pub async fn load_school(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<school::Model> {
    school::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| actor.sees_school(s.district_id, s.id))
        .ok_or_else(|| ApiError::not_found("school"))
}

/// The ids of the schools among `schools` that their own zone names as lead school (one query).
pub async fn zone_leads(db: &impl ConnectionTrait, schools: &[school::Model]) -> ApiResult<HashSet<i64>> {
    let zone_ids: Vec<i64> = schools.iter().filter_map(|s| s.zone_id).collect();
    if zone_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let zones = zone::Entity::find().filter(zone::Column::Id.is_in(zone_ids)).all(db).await?;
    Ok(schools
        .iter()
        .filter(|s| zones.iter().any(|z| Some(z.id) == s.zone_id && z.lead_school_id == Some(s.id)))
        .map(|s| s.id)
        .collect())
}

/// The view of one school.
pub async fn view_of(db: &impl ConnectionTrait, school: school::Model) -> ApiResult<SchoolView> {
    let leads = zone_leads(db, std::slice::from_ref(&school)).await?;
    let lead = leads.contains(&school.id);
    Ok(SchoolView::new(school, lead))
}
