//! Database access.

use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{live_membership, today};
use crate::resource::ensure_unique;
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
