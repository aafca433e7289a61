//! Database access.

use super::super::rules::Rules;
use super::views::*;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use entities::{district, mentorship_policy, school};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The rules in force for a school, with the stored policy they come from.
pub async fn rules_for_school(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: i64,
) -> DomainResult<(Rules, Option<mentorship_policy::Model>)> {
    let found = mentorship_policy::Entity::find()
        .filter(mentorship_policy::Column::DistrictId.eq(district_id))
        .filter(
            Condition::any()
                .add(mentorship_policy::Column::SchoolId.eq(school_id))
                .add(mentorship_policy::Column::SchoolId.is_null()),
        )
        .order_by_asc(mentorship_policy::Column::Id)
        .all(db)
        .await?;
    let chosen = found
        .iter()
        .find(|p| p.school_id == Some(school_id))
        .or_else(|| found.iter().find(|p| p.school_id.is_none()))
        .cloned();
    Ok((chosen.as_ref().map(Rules::from).unwrap_or_default(), chosen))
}

pub(super) async fn stored(db: &impl ConnectionTrait, owner: Owner) -> DomainResult<Option<mentorship_policy::Model>> {
    let column = mentorship_policy::Column::SchoolId;
    Ok(mentorship_policy::Entity::find()
        .filter(mentorship_policy::Column::DistrictId.eq(owner.district_id()))
        .filter(match owner.school_id() {
            Some(s) => column.eq(s),
            None => column.is_null(),
        })
        .order_by_asc(mentorship_policy::Column::Id)
        .one(db)
        .await?)
}

/// A school the caller sees, or 404.
pub(super) async fn school_owner(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<Owner> {
    school::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| actor.sees_school(s.district_id, s.id))
        .map(|s| Owner::School { district_id: s.district_id, school_id: s.id })
        .ok_or_else(|| DomainError::not_found("school"))
}

/// A district the caller sees, or 404.
pub(super) async fn district_owner(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<Owner> {
    district::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| actor.sees_district(d.id))
        .map(|d| Owner::District(d.id))
        .ok_or_else(|| DomainError::not_found("district"))
}

/// Locks the owner's row until the transaction ends, so that two PUTs at once for the same owner
/// replace one policy instead of creating two. PostgreSQL only: SQLite's writing transactions
/// already run one at a time (`db::begin_write`), and it has no `FOR UPDATE`.
pub(super) async fn lock_owner(db: &impl ConnectionTrait, owner: Owner) -> DomainResult<()> {
    if db.get_database_backend() == DbBackend::Postgres {
        match owner.school_id() {
            Some(id) => {
                school::Entity::find_by_id(id).lock_exclusive().one(db).await?;
            }
            None => {
                district::Entity::find_by_id(owner.district_id()).lock_exclusive().one(db).await?;
            }
        }
    }
    Ok(())
}
