//! Reading the audit trail.

use entities::audit_log::{Column, Entity};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::rules::AuditScope;
use super::views::AuditFilter;
use crate::domain::DomainResult;
use crate::pagination::{fetch_page, Page, Paging};

/// One page of the entries within `scope` that match `filter`, newest first.
pub async fn list(
    db: &DatabaseConnection,
    scope: AuditScope,
    filter: &AuditFilter,
    paging: Paging,
) -> DomainResult<Page<entities::audit_log::Model>> {
    let mut query = Entity::find();
    query = match scope {
        AuditScope::Everything => query,
        AuditScope::District(d) => query.filter(Column::DistrictId.eq(d)),
        AuditScope::School(s) => query.filter(Column::SchoolId.eq(s)),
        AuditScope::Owner(t) => query.filter(Column::OwnerTeacherId.eq(t)),
        AuditScope::Nothing => query.filter(Column::Id.eq(-1)),
    };
    if let Some(kind) = filter.resource_type {
        query = query.filter(Column::ResourceType.eq(kind.code()));
    }
    if let Some(id) = filter.resource_id {
        query = query.filter(Column::ResourceId.eq(id));
    }
    if let Some(actor_type) = filter.actor_type {
        query = query.filter(Column::ActorType.eq(actor_type.code()));
    }
    if let Some(id) = filter.actor_id {
        query = query.filter(Column::ActorId.eq(id));
    }
    if let Some(from) = filter.from {
        query = query.filter(Column::OccurredAt.gte(from.timestamp_millis()));
    }
    if let Some(to) = filter.to {
        query = query.filter(Column::OccurredAt.lt(to.timestamp_millis()));
    }
    fetch_page(query.order_by_desc(Column::Id), paging, db).await
}
