//! Database access of the token endpoint: the client a pair of credentials names, and when it
//! last got a token.

use super::views::ApiClientFilter;
use crate::auth::{Actor, Reach};
use crate::domain::DomainResult;
use crate::resource::{now, sorted};
use entities::api_client;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set};
use subtle::ConstantTimeEq;

/// The live client `client_id` names when `secret` is its secret; `None` for an unknown client,
/// a wrong secret, a disabled or an archived client alike.
pub async fn authenticated_client(
    db: &DatabaseConnection,
    client_id: &str,
    secret: &str,
) -> DomainResult<Option<api_client::Model>> {
    let found = api_client::Entity::find().filter(api_client::Column::ClientId.eq(client_id)).one(db).await?;
    Ok(found.filter(|c| {
        same_digest(&c.secret_hash, &crate::auth::tokens::digest(secret)) && !c.disabled && c.archived_at.is_none()
    }))
}

/// Records that `client` got a token now.
pub async fn mark_used(db: &DatabaseConnection, client: api_client::Model) -> DomainResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let mut active = client.into_active_model();
    active.last_used_at = Set(Some(now()));
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Compares two digests in time independent of where they differ.
fn same_digest(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// What `list_clients` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn clients_matching(
    actor: &Actor,
    filter: &ApiClientFilter,
) -> DomainResult<sea_orm::Select<api_client::Entity>> {
    let mut query = api_client::Entity::find();
    if let Reach::District(d) = actor.reach() {
        query = query.filter(api_client::Column::DistrictId.eq(d));
    }
    if let Some(d) = filter.district_id {
        query = query.filter(api_client::Column::DistrictId.eq(d));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(api_client::Column::ArchivedAt.is_null());
    }
    sorted(query, None, &[], api_client::Column::Id)
}
