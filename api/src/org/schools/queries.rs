//! Database access of the schools API: a school in the caller's reach, and which schools lead
//! their zone.

use std::collections::HashSet;

use entities::{school, zone};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::views::SchoolView;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};

/// A school within the caller's reach, or 404.
pub async fn load_school(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<school::Model> {
    school::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| actor.sees_school(s.district_id, s.id))
        .ok_or_else(|| DomainError::not_found("school"))
}

/// The ids of the schools among `schools` that their own zone names as lead school (one query).
pub async fn zone_leads(db: &impl ConnectionTrait, schools: &[school::Model]) -> DomainResult<HashSet<i64>> {
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
pub async fn view_of(db: &impl ConnectionTrait, school: school::Model) -> DomainResult<SchoolView> {
    let leads = zone_leads(db, std::slice::from_ref(&school)).await?;
    let lead = leads.contains(&school.id);
    Ok(SchoolView::new(school, lead))
}
