//! Database access.

use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::resource::{ensure_unique, load_visible};
use crate::state::State;
use entities::semester;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A semester within the caller's reach (its district), or 404.
pub async fn load_semester(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<semester::Model> {
    load_visible::<semester::Entity>(db, id, "semester", |s| actor.sees_district(s.district_id)).await
}

pub(super) async fn check_unique_name(
    state: &State,
    district_id: i64,
    name: &str,
    except: Option<i64>,
) -> DomainResult<()> {
    let query = semester::Entity::find()
        .filter(semester::Column::DistrictId.eq(district_id))
        .filter(semester::Column::Name.eq(name));
    ensure_unique(
        &state.db,
        query,
        semester::Column::Id,
        except,
        "name",
        format!("the district already has a semester named {name}"),
    )
    .await?;
    Ok(())
}
