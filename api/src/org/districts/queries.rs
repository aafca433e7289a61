//! Database access.

use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::resource::{ensure_unique, load_visible};
use crate::state::State;
use entities::district;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A district within the caller's reach, or 404.
pub async fn load_district(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<district::Model> {
    load_visible::<district::Entity>(db, id, "district", |d| actor.sees_district(d.id)).await
}

pub(super) async fn check_unique_name(state: &State, name: &str, except: Option<i64>) -> DomainResult<()> {
    let query = district::Entity::find().filter(district::Column::Name.eq(name));
    ensure_unique(&state.db, query, district::Column::Id, except, "name", format!("a district named {name} exists"))
        .await?;
    Ok(())
}
