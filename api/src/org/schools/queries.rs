//! Database access of the schools API: a school in the caller's reach, and which schools lead
//! their zone.

use super::views::{SchoolFilter, SchoolView};
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::resource::{now, sorted, text_contains};
use crate::validate::Checks;
use entities::{school, zone};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashSet;

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

/// The zone must be a live zone of the school's district.
pub(crate) async fn check_zone(
    db: &impl ConnectionTrait,
    district_id: i64,
    zone_id: i64,
    checks: &mut Checks,
) -> DomainResult<()> {
    let found = zone::Entity::find_by_id(zone_id).one(db).await?;
    checks.ensure(
        found.is_some_and(|z| z.district_id == district_id && z.archived_at.is_none()),
        "zone_id",
        "no such zone in this district",
    );
    Ok(())
}

/// Names are unique within a district, codes in the installation (archived schools included,
/// as the database indexes are).
pub async fn check_unique(
    db: &impl ConnectionTrait,
    district_id: i64,
    name: Option<&str>,
    code: Option<&str>,
    except: Option<i64>,
) -> DomainResult<()> {
    let others = || {
        let query = school::Entity::find();
        match except {
            Some(id) => query.filter(school::Column::Id.ne(id)),
            None => query,
        }
    };
    if let Some(name) = name {
        let taken = others()
            .filter(school::Column::DistrictId.eq(district_id))
            .filter(school::Column::Name.eq(name))
            .count(db)
            .await?;
        if taken > 0 {
            return Err(DomainError::conflict("name", format!("the district already has a school named {name}")));
        }
    }
    if let Some(code) = code {
        if others().filter(school::Column::Code.eq(code)).count(db).await? > 0 {
            return Err(DomainError::conflict("code", format!("another school has the code {code}")));
        }
    }
    Ok(())
}

/// Stops a zone from naming `school_id` as its lead school (when the school leaves or is archived).
pub async fn release_zone_lead(db: &impl ConnectionTrait, school_id: i64) -> DomainResult<()> {
    zone::Entity::update_many()
        .col_expr(zone::Column::LeadSchoolId, Expr::value(Option::<i64>::None))
        .col_expr(zone::Column::UpdatedAt, Expr::value(now()))
        .filter(zone::Column::LeadSchoolId.eq(school_id))
        .exec(db)
        .await?;
    Ok(())
}

/// What `list_schools` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn schools_matching(actor: &Actor, filter: &SchoolFilter) -> DomainResult<sea_orm::Select<school::Entity>> {
    let mut query = school::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) => query = query.filter(school::Column::DistrictId.eq(d)),
        Reach::School { school_id, .. } => query = query.filter(school::Column::Id.eq(school_id)),
    }
    if let Some(d) = filter.district_id {
        query = query.filter(school::Column::DistrictId.eq(d));
    }
    if let Some(z) = filter.zone_id {
        query = query.filter(school::Column::ZoneId.eq(z));
    }
    if let Some(tier) = filter.tier {
        query = query.filter(school::Column::Tier.eq(tier));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(text_contains((school::Entity, school::Column::Name), q));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(school::Column::ArchivedAt.is_null());
    }
    sorted(
        query,
        filter.sort.as_deref(),
        &[("name", school::Column::Name), ("created_at", school::Column::CreatedAt), ("id", school::Column::Id)],
        school::Column::Id,
    )
}
