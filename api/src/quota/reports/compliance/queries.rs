//! What the compliance report reads besides the checks.

use std::collections::BTreeMap;

use entities::school;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::DomainResult;

/// The names of the schools.
pub(super) async fn school_names(db: &impl ConnectionTrait, mut ids: Vec<i64>) -> DomainResult<BTreeMap<i64, String>> {
    ids.sort();
    ids.dedup();
    Ok(school::Entity::find()
        .filter(school::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}
