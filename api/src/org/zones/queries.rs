//! Database access.

use super::views::ZoneFilter;
use crate::auth::{Actor, Reach};
use crate::domain::DomainResult;
use crate::resource::{count_live, ensure_unique, load_visible, sorted};
use crate::state::State;
use crate::validate::Checks;
use entities::{school, zone};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

/// A zone within the caller's reach, or 404.
pub async fn load_zone(db: &impl sea_orm::ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<zone::Model> {
    load_visible::<zone::Entity>(db, id, "zone", |z| actor.sees_district(z.district_id)).await
}

pub(super) async fn check_unique_name(
    state: &State,
    district_id: i64,
    name: &str,
    except: Option<i64>,
) -> DomainResult<()> {
    let query =
        zone::Entity::find().filter(zone::Column::DistrictId.eq(district_id)).filter(zone::Column::Name.eq(name));
    ensure_unique(
        &state.db,
        query,
        zone::Column::Id,
        except,
        "name",
        format!("the district already has a zone named {name}"),
    )
    .await?;
    Ok(())
}

/// The lead school must be a live school of the zone's district.
pub(super) async fn check_lead_school(
    state: &State,
    district_id: i64,
    school_id: i64,
    checks: &mut Checks,
) -> DomainResult<()> {
    let found = school::Entity::find_by_id(school_id).one(&state.db).await?;
    checks.ensure(
        found.is_some_and(|s| s.district_id == district_id && s.archived_at.is_none()),
        "lead_school_id",
        "no such school in this district",
    );
    Ok(())
}

/// The zones the caller sees that match `filter`, in the order it asks for (not paged).
pub(super) fn zones_matching(actor: &Actor, filter: &ZoneFilter) -> DomainResult<Select<zone::Entity>> {
    let mut query = zone::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) | Reach::School { district_id: d, .. } => {
            query = query.filter(zone::Column::DistrictId.eq(d))
        }
    }
    if let Some(d) = filter.district_id {
        query = query.filter(zone::Column::DistrictId.eq(d));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(zone::Column::ArchivedAt.is_null());
    }
    sorted(
        query,
        filter.sort.as_deref(),
        &[("name", zone::Column::Name), ("created_at", zone::Column::CreatedAt), ("id", zone::Column::Id)],
        zone::Column::Id,
    )
}

/// How many live schools belong to the zone.
pub(super) async fn live_schools_in(db: &impl ConnectionTrait, zone_id: i64) -> DomainResult<u64> {
    count_live::<school::Entity>(db, school::Column::ZoneId, zone_id).await
}
