//! Database access.

use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::resource::{ensure_unique, load_visible};
use crate::state::State;
use crate::validate::Checks;
use entities::{school, zone};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

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
