//! Things owned by a school, or by a district for all its schools (rubrics, quota rules): where a
//! new one goes, who reads it and who manages it. One place, so every such resource answers the
//! same way:
//! - a school's thing is read by whoever sees the school, a district's by the whole district;
//! - a school's thing is managed by the school's administrators (and the district's), a
//!   district's by the district's administrators.

use entities::{district, school};
use sea_orm::sea_query::IntoColumnRef;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{Condition, ConnectionTrait, EntityTrait};

use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};

/// Whether `actor` reads a thing owned here.
pub fn sees(actor: &Actor, district_id: i64, school_id: Option<i64>) -> bool {
    match school_id {
        Some(school_id) => actor.sees_school(district_id, school_id),
        None => actor.sees_district(district_id),
    }
}

/// Whether `actor` creates, changes and archives a thing owned here.
pub fn manages(actor: &Actor, district_id: i64, school_id: Option<i64>) -> bool {
    match school_id {
        Some(school_id) => actor.administers_school(district_id, school_id),
        None => actor.administers_district(district_id),
    }
}

/// Whether a thing owned here is for the given school: its own, or its district's.
pub fn usable_by(owner_district_id: i64, owner_school_id: Option<i64>, district_id: i64, school_id: i64) -> bool {
    match owner_school_id {
        Some(s) => s == school_id,
        None => owner_district_id == district_id,
    }
}

/// The SQL form of [`sees`] over a table's owner columns.
pub fn scope(actor: &Actor, district_col: impl IntoColumnRef, school_col: impl IntoColumnRef + Copy) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(Expr::col(district_col).eq(d)),
        Reach::School { district_id, school_id } => Condition::all()
            .add(Expr::col(district_col).eq(district_id))
            .add(Condition::any().add(Expr::col(school_col).is_null()).add(Expr::col(school_col).eq(school_id))),
    }
}

/// Where a new thing goes: `(district_id, school_id)` of a live school or district the caller
/// sees, or a 422 naming `school_id` or `district_id`.
pub async fn resolve(
    db: &impl ConnectionTrait,
    actor: &Actor,
    school_id: Option<i64>,
    district_id: Option<i64>,
) -> DomainResult<(i64, Option<i64>)> {
    if let Some(school_id) = school_id {
        let found = school::Entity::find_by_id(school_id)
            .one(db)
            .await?
            .filter(|s| s.archived_at.is_none() && actor.sees_school(s.district_id, s.id))
            .ok_or_else(|| DomainError::invalid("school_id", "no such school"))?;
        if district_id.is_some_and(|d| d != found.district_id) {
            return Err(DomainError::invalid("district_id", "must be the school's district (or omitted)"));
        }
        return Ok((found.district_id, Some(found.id)));
    }
    let district_id =
        district_id.ok_or_else(|| DomainError::invalid("district_id", "give school_id or district_id"))?;
    district::Entity::find_by_id(district_id)
        .one(db)
        .await?
        .filter(|d| d.archived_at.is_none() && actor.sees_district(d.id))
        .ok_or_else(|| DomainError::invalid("district_id", "no such district"))?;
    Ok((district_id, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use entities::enums::Role;

    #[test]
    fn district_things_are_usable_by_every_school_of_the_district() {
        assert!(usable_by(1, None, 1, 10));
        assert!(!usable_by(1, None, 2, 20));
        assert!(usable_by(1, Some(10), 1, 10));
        assert!(!usable_by(1, Some(10), 1, 11));
    }

    #[test]
    fn school_admins_manage_their_school_things_only() {
        let admin = Actor {
            user_id: 1,
            username: "a".into(),
            role: Role::SchoolAdmin,
            district_id: Some(1),
            school_id: Some(10),
            teacher_id: None,
        };
        assert!(manages(&admin, 1, Some(10)));
        assert!(!manages(&admin, 1, None));
        assert!(sees(&admin, 1, None));
        assert!(!sees(&admin, 1, Some(11)));
    }
}
