//! Database access.

use super::views::GroupFilter;
use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::groups::access::{live_membership, today, visible_groups};
use crate::resource::sorted;
use entities::{group, group_membership};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

/// What `list_groups` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn groups_matching(actor: &Actor, f: &GroupFilter) -> DomainResult<sea_orm::Select<group::Entity>> {
    let mut query = group::Entity::find().filter(visible_groups(actor));
    if let Some(s) = f.school_id {
        query = query.filter(group::Column::SchoolId.eq(s));
    }
    if let Some(d) = f.district_id {
        query = query.filter(group::Column::DistrictId.eq(d));
    }
    if let Some(kind) = f.kind {
        query = query.filter(group::Column::Kind.eq(kind));
    }
    if let Some(subject) = f.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(group::Column::Subject.eq(subject));
    }
    if let Some(p) = f.parent_id {
        query = query.filter(group::Column::ParentId.eq(p));
    }
    if let Some(t) = f.leader_teacher_id {
        query = query.filter(group::Column::LeaderTeacherId.eq(t));
    }
    if let Some(t) = f.teacher_id {
        let with_member = group_membership::Entity::find()
            .select_only()
            .column(group_membership::Column::GroupId)
            .filter(group_membership::Column::TeacherId.eq(t))
            .filter(live_membership(today()))
            .into_query();
        query = query.filter(group::Column::Id.in_subquery(with_member));
    }
    if !f.include_archived.unwrap_or(false) {
        query = query.filter(group::Column::ArchivedAt.is_null());
    }
    sorted(
        query,
        f.sort.as_deref(),
        &[("name", group::Column::Name), ("created_at", group::Column::CreatedAt), ("id", group::Column::Id)],
        group::Column::Id,
    )
}
