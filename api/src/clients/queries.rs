//! Database access of the token endpoint: the client a pair of credentials names, and when it
//! last got a token.

use entities::api_client;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set};
use subtle::ConstantTimeEq;

use crate::domain::DomainResult;
use crate::resource::now;

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
