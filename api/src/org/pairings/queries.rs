//! Database access.

use super::rules::*;
use super::views::*;
use crate::auth::{Actor, Reach};
use crate::domain::DomainResult;
use crate::resource::{load_visible, sorted};
use crate::validate::Checks;
use entities::{school, school_pairing};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

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

/// What `list_school_pairings` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn pairings_matching(
    actor: &Actor,
    filter: &SchoolPairingFilter,
) -> DomainResult<sea_orm::Select<school_pairing::Entity>> {
    use school_pairing::Column as C;
    let either_side = |s: i64| Condition::any().add(C::MentorSchoolId.eq(s)).add(C::PartnerSchoolId.eq(s));
    let mut query = school_pairing::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) => query = query.filter(C::DistrictId.eq(d)),
        Reach::School { school_id, .. } => query = query.filter(either_side(school_id)),
    }
    if let Some(d) = filter.district_id {
        query = query.filter(C::DistrictId.eq(d));
    }
    if let Some(s) = filter.school_id {
        query = query.filter(either_side(s));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(C::Kind.eq(kind));
    }
    if let Some(day) = filter.active_on {
        query = query
            .filter(C::StartDate.lte(day))
            .filter(Condition::any().add(C::EndDate.is_null()).add(C::EndDate.gte(day)));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(C::ArchivedAt.is_null());
    }
    sorted(
        query,
        filter.sort.as_deref(),
        &[("start_date", C::StartDate), ("created_at", C::CreatedAt), ("id", C::Id)],
        C::Id,
    )
}
