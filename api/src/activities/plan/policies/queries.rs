//! Database access.

use super::rules::*;
use super::views::*;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{load_group, require_manages_contents};
use crate::resource::sorted;
use entities::enums::PolicyScope;
use entities::{activity_policy, group, school, zone};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The scope's district, if the caller sees the scope (404 otherwise), and whether the caller
/// may write its policy.
pub(super) async fn resolve_scope(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: PolicyScope,
    id: i64,
) -> DomainResult<(i64, bool)> {
    let missing = || DomainError::not_found(scope.code());
    Ok(match scope {
        PolicyScope::District => {
            let d = entities::district::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|d| d.archived_at.is_none() && actor.sees_district(d.id))
                .ok_or_else(missing)?;
            (d.id, actor.administers_district(d.id))
        }
        PolicyScope::Zone => {
            let z = zone::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|z| z.archived_at.is_none() && actor.sees_district(z.district_id))
                .ok_or_else(missing)?;
            (z.district_id, actor.administers_district(z.district_id))
        }
        PolicyScope::School => {
            let s = school::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|s| s.archived_at.is_none() && actor.sees_school(s.district_id, s.id))
                .ok_or_else(missing)?;
            (s.district_id, actor.administers_school(s.district_id, s.id))
        }
        PolicyScope::Group => {
            let g: group::Model = load_group(db, actor, id).await?;
            if g.archived_at.is_some() {
                return Err(missing());
            }
            let may_write = require_manages_contents(db, actor, &g).await.is_ok();
            (g.district_id, may_write)
        }
    })
}

pub(super) async fn stored(
    db: &impl ConnectionTrait,
    scope: PolicyScope,
    id: i64,
) -> DomainResult<Option<activity_policy::Model>> {
    Ok(activity_policy::Entity::find()
        .filter(activity_policy::Column::Scope.eq(scope))
        .filter(activity_policy::Column::ScopeId.eq(id))
        .one(db)
        .await?)
}

/// What `list_policies` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn policies_matching(
    actor: &Actor,
    f: &PolicyFilter,
) -> DomainResult<sea_orm::Select<activity_policy::Entity>> {
    let mut query = activity_policy::Entity::find().filter(visible_policies(actor));
    if let Some(scope) = f.scope {
        query = query.filter(activity_policy::Column::Scope.eq(scope));
    }
    if let Some(id) = f.scope_id {
        query = query.filter(activity_policy::Column::ScopeId.eq(id));
    }
    sorted(
        query,
        f.sort.as_deref(),
        &[
            ("scope", activity_policy::Column::Scope),
            ("created_at", activity_policy::Column::CreatedAt),
            ("id", activity_policy::Column::Id),
        ],
        activity_policy::Column::Id,
    )
}
