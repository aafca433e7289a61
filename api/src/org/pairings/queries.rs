//! Database access.

use super::rules::*;
use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::resource::load_visible;
use crate::validate::Checks;
use entities::{school, school_pairing};
use sea_orm::{ConnectionTrait, EntityTrait};

/// A pairing within the caller's reach (one of its schools is), or 404.
pub async fn load_school_pairing(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<school_pairing::Model> {
    load_visible::<school_pairing::Entity>(db, id, "school pairing", |p| sees(actor, p)).await
}

/// A live school the caller can see, else a 422 on `field`.
pub(super) async fn visible_school(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    field: &str,
    checks: &mut Checks,
) -> DomainResult<Option<school::Model>> {
    let found = school::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| actor.sees_school(s.district_id, s.id) && s.archived_at.is_none());
    if found.is_none() {
        checks.fail(field, "no such school");
    }
    Ok(found)
}

/// Checks both sides: two different live schools the caller sees, of one district (returned
/// when both are valid).
pub(super) async fn check_schools(
    db: &impl ConnectionTrait,
    actor: &Actor,
    mentor_id: i64,
    partner_id: i64,
    checks: &mut Checks,
) -> DomainResult<Option<i64>> {
    let mentor = visible_school(db, actor, mentor_id, "mentor_school_id", checks).await?;
    let partner = if partner_id == mentor_id {
        checks.fail("partner_school_id", "must be another school than mentor_school_id");
        None
    } else {
        visible_school(db, actor, partner_id, "partner_school_id", checks).await?
    };
    Ok(match (mentor, partner) {
        (Some(m), Some(p)) if m.district_id == p.district_id => Some(m.district_id),
        (Some(_), Some(_)) => {
            checks.fail("partner_school_id", "must be a school of the mentor school's district");
            None
        }
        _ => None,
    })
}
