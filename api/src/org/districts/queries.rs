//! Database access.

use super::views::*;
use crate::auth::{Actor, Reach};
use crate::domain::DomainResult;
use crate::resource::{ensure_unique, load_visible, sorted};
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

/// What `list_districts` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn districts_matching(
    actor: &Actor,
    filter: &DistrictFilter,
) -> DomainResult<sea_orm::Select<district::Entity>> {
    let mut query = district::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) | Reach::School { district_id: d, .. } => query = query.filter(district::Column::Id.eq(d)),
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(district::Column::ArchivedAt.is_null());
    }
    sorted(
        query,
        filter.sort.as_deref(),
        &[("name", district::Column::Name), ("created_at", district::Column::CreatedAt), ("id", district::Column::Id)],
        district::Column::Id,
    )
}
