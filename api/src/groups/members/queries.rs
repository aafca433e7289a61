//! Database access.

use super::views::*;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{live_membership, today, visible_member_teachers};
use crate::resource::{ensure_unique, sorted};
use entities::{group, group_membership, teacher};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A membership of `group` whose teacher the caller may see, or 404.
pub(super) async fn load_member(
    db: &impl ConnectionTrait,
    actor: &Actor,
    group: &group::Model,
    id: i64,
) -> DomainResult<(group_membership::Model, teacher::Model)> {
    let m = group_membership::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.group_id == group.id)
        .ok_or_else(|| DomainError::not_found("membership"))?;
    let t = teacher::Entity::find_by_id(m.teacher_id)
        .one(db)
        .await?
        .filter(|t| actor.sees_school(group.district_id, t.school_id))
        .ok_or_else(|| DomainError::not_found("membership"))?;
    Ok((m, t))
}

/// A live teacher of the group's school (district teams: of the district) that the caller sees.
pub(super) async fn check_teacher(
    db: &impl ConnectionTrait,
    actor: &Actor,
    group: &group::Model,
    teacher_id: i64,
) -> DomainResult<Option<teacher::Model>> {
    let Some(t) = teacher::Entity::find_by_id(teacher_id).one(db).await?.filter(|t| t.archived_at.is_none()) else {
        return Ok(None);
    };
    let belongs = match group.school_id {
        Some(s) => t.school_id == s,
        None => entities::school::Entity::find_by_id(t.school_id)
            .one(db)
            .await?
            .is_some_and(|s| s.district_id == group.district_id),
    };
    Ok((belongs && actor.sees_school(group.district_id, t.school_id)).then_some(t))
}

/// 409 when the teacher already has a live membership of the group (other than `except`).
pub(crate) async fn check_single_live(
    db: &impl ConnectionTrait,
    group_id: i64,
    teacher_id: i64,
    except: Option<i64>,
) -> DomainResult<()> {
    let query = group_membership::Entity::find()
        .filter(group_membership::Column::GroupId.eq(group_id))
        .filter(group_membership::Column::TeacherId.eq(teacher_id))
        .filter(live_membership(today()));
    ensure_unique(
        db,
        query,
        group_membership::Column::Id,
        except,
        "teacher_id",
        "the teacher already has a live membership of this group",
    )
    .await?;
    Ok(())
}

/// What `list_members` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn members_matching(
    actor: &Actor,
    f: &MemberFilter,
    group: &group::Model,
) -> DomainResult<sea_orm::Select<group_membership::Entity>> {
    let mut query = group_membership::Entity::find().filter(group_membership::Column::GroupId.eq(group.id));
    if let Some(teachers) = visible_member_teachers(actor) {
        query = query.filter(group_membership::Column::TeacherId.in_subquery(teachers));
    }
    if let Some(role) = f.role {
        query = query.filter(group_membership::Column::Role.eq(role));
    }
    if !f.include_past.unwrap_or(false) {
        query = query.filter(live_membership(today()));
    }
    sorted(
        query,
        f.sort.as_deref(),
        &[
            ("since", group_membership::Column::Since),
            ("created_at", group_membership::Column::CreatedAt),
            ("id", group_membership::Column::Id),
        ],
        group_membership::Column::Id,
    )
}
