//! Checks of a group's references against the database, and its member counts.

use std::collections::HashMap;

use entities::enums::GroupKind;
use entities::{group, group_membership, school, teacher};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait};

use super::rules::{parent_problem, would_cycle};
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{live_membership, today, visible_member_teachers};
use crate::resource::ensure_unique_per_owner;
use crate::validate::Checks;

/// Where a new group goes: its district, and its school unless it is a district team.
pub struct Placement {
    pub district_id: i64,
    pub school_id: Option<i64>,
}

/// Resolves `school_id`/`district_id` of a new group; every problem is a 422 on its field.
pub async fn place(
    db: &impl ConnectionTrait,
    actor: &Actor,
    kind: GroupKind,
    school_id: Option<i64>,
    district_id: Option<i64>,
) -> DomainResult<Placement> {
    if kind == GroupKind::DistrictTeam {
        let mut checks = Checks::new();
        checks.ensure(school_id.is_none(), "school_id", "must be null for a district team");
        let Some(d) = district_id else {
            checks.fail("district_id", "required for a district team");
            return Err(DomainError::Invalid(checks.into_errors()));
        };
        let found = entities::district::Entity::find_by_id(d).one(db).await?;
        checks.ensure(
            found.is_some_and(|x| x.archived_at.is_none() && actor.sees_district(x.id)),
            "district_id",
            "no such district",
        );
        checks.finish()?;
        return Ok(Placement { district_id: d, school_id: None });
    }
    let Some(s) = school_id else {
        return Err(DomainError::invalid("school_id", "required unless the group is a district team"));
    };
    let found = school::Entity::find_by_id(s)
        .one(db)
        .await?
        .filter(|x| x.archived_at.is_none() && actor.sees_school(x.district_id, x.id))
        .ok_or_else(|| DomainError::invalid("school_id", "no such school"))?;
    if district_id.is_some_and(|d| d != found.district_id) {
        return Err(DomainError::invalid("district_id", "must be the school's district"));
    }
    Ok(Placement { district_id: found.district_id, school_id: Some(found.id) })
}

/// The name is unique among the live groups of the school (of the district's teams).
pub async fn check_unique_name(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: Option<i64>,
    name: &str,
    except: Option<i64>,
) -> DomainResult<()> {
    ensure_unique_per_owner::<group::Entity>(
        db,
        district_id,
        school_id,
        name,
        except,
        format!("a live group named {name} exists here"),
    )
    .await
}

/// The parent must be a live group of the same school (district teams: of the same district's
/// teams), of a fitting kind, and must not be the group itself or one of its descendants.
pub async fn check_parent(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: Option<i64>,
    kind: GroupKind,
    id: Option<i64>,
    parent_id: i64,
    checks: &mut Checks,
) -> DomainResult<()> {
    let parent = group::Entity::find_by_id(parent_id)
        .one(db)
        .await?
        .filter(|p| p.district_id == district_id && p.school_id == school_id && p.archived_at.is_none());
    let Some(parent) = parent else {
        checks.fail("parent_id", "no such live group in this school");
        return Ok(());
    };
    if let Some(problem) = parent_problem(kind, parent.kind) {
        checks.fail("parent_id", problem);
        return Ok(());
    }
    if let Some(id) = id {
        let mut siblings = group::Entity::find().filter(group::Column::DistrictId.eq(district_id));
        siblings = match school_id {
            Some(s) => siblings.filter(group::Column::SchoolId.eq(s)),
            None => siblings.filter(group::Column::SchoolId.is_null()),
        };
        let parents: HashMap<i64, Option<i64>> = siblings
            .select_only()
            .column(group::Column::Id)
            .column(group::Column::ParentId)
            .into_tuple::<(i64, Option<i64>)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        checks.ensure(
            !would_cycle(id, parent.id, &parents),
            "parent_id",
            "must not be the group or one of its sub-groups",
        );
    }
    Ok(())
}

/// A group that has live lesson-prep sub-groups must stay a research group.
pub async fn check_kind_keeps_children(
    db: &impl ConnectionTrait,
    id: i64,
    kind: GroupKind,
    checks: &mut Checks,
) -> DomainResult<()> {
    let children: Vec<GroupKind> = group::Entity::find()
        .select_only()
        .column(group::Column::Kind)
        .filter(group::Column::ParentId.eq(id))
        .filter(group::Column::ArchivedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    if let Some(problem) = children.into_iter().find_map(|child| parent_problem(child, kind)) {
        checks.fail("kind", format!("the group has live sub-groups: {problem}"));
    }
    Ok(())
}

/// The leader is a live teacher of the school (of any school of the district, for teams).
pub async fn check_leader(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: Option<i64>,
    teacher_id: i64,
    checks: &mut Checks,
) -> DomainResult<()> {
    let mut query = teacher::Entity::find()
        .filter(teacher::Column::Id.eq(teacher_id))
        .filter(teacher::Column::ArchivedAt.is_null());
    query = match school_id {
        Some(s) => query.filter(teacher::Column::SchoolId.eq(s)),
        None => query.filter(
            teacher::Column::SchoolId.in_subquery(
                school::Entity::find()
                    .select_only()
                    .column(school::Column::Id)
                    .filter(school::Column::DistrictId.eq(district_id))
                    .into_query(),
            ),
        ),
    };
    let message =
        if school_id.is_some() { "no such teacher in this school" } else { "no such teacher in this district" };
    checks.ensure(query.count(db).await? > 0, "leader_teacher_id", message);
    Ok(())
}

/// Live members per group, in one grouped COUNT, as far as `actor` may see them.
pub async fn member_counts(
    db: &impl ConnectionTrait,
    actor: &Actor,
    group_ids: &[i64],
) -> DomainResult<HashMap<i64, u64>> {
    live_member_counts(db, group_ids, visible_member_teachers(actor)).await
}

/// Live members per group, in one grouped COUNT, counting only the teachers `teachers` selects
/// (every teacher when `None`): the change feed counts a school-limited client's members the
/// way [`member_counts`] counts a school user's.
pub async fn live_member_counts(
    db: &impl ConnectionTrait,
    group_ids: &[i64],
    teachers: Option<sea_orm::sea_query::SelectStatement>,
) -> DomainResult<HashMap<i64, u64>> {
    if group_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::GroupId)
        .column_as(group_membership::Column::Id.count(), "n")
        .filter(group_membership::Column::GroupId.is_in(group_ids.iter().copied()))
        .filter(live_membership(today()));
    if let Some(teachers) = teachers {
        query = query.filter(group_membership::Column::TeacherId.in_subquery(teachers));
    }
    let rows: Vec<(i64, i64)> = query.group_by(group_membership::Column::GroupId).into_tuple().all(db).await?;
    Ok(rows.into_iter().map(|(id, n)| (id, n.max(0) as u64)).collect())
}
