//! Database access of the rules API, and the rules a check applies.

use entities::{quota_rule, semester};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::views::StoredRule;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::org::ownership;
use crate::quota::checks::scan::Place;
use crate::resource::ensure_unique;

/// A rule the caller sees (archived ones included), or 404.
pub async fn load_rule(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<StoredRule> {
    let row = quota_rule::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| ownership::sees(actor, r.district_id, r.school_id))
        .ok_or_else(|| DomainError::not_found("quota rule"))?;
    StoredRule::from_row(row)
}

/// The rules matching `cond` within the caller's scope, oldest first (the order families fall
/// back on for ties).
pub async fn rules_where(db: &impl ConnectionTrait, actor: &Actor, cond: Condition) -> DomainResult<Vec<StoredRule>> {
    let scope = ownership::scope(actor, quota_rule::Column::DistrictId, quota_rule::Column::SchoolId);
    quota_rule::Entity::find()
        .filter(scope)
        .filter(cond)
        .order_by_asc(quota_rule::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(StoredRule::from_row)
        .collect()
}

/// The live rules of a district and of the place's schools covering `semester_id`: every rule a
/// check over the place may apply (each subject then gets its own school's and the district's).
pub async fn rules_for(db: &impl ConnectionTrait, place: &Place, semester_id: i64) -> DomainResult<Vec<StoredRule>> {
    let owner = Condition::any()
        .add(quota_rule::Column::SchoolId.is_null())
        .add(quota_rule::Column::SchoolId.in_subquery(place.schools()));
    let rows = quota_rule::Entity::find()
        .filter(quota_rule::Column::DistrictId.eq(place.district_id))
        .filter(quota_rule::Column::ArchivedAt.is_null())
        .filter(owner)
        .order_by_asc(quota_rule::Column::Id)
        .all(db)
        .await?;
    let mut rules = Vec::with_capacity(rows.len());
    for row in rows {
        let rule = StoredRule::from_row(row)?;
        if rule.covers(semester_id) {
            rules.push(rule);
        }
    }
    Ok(rules)
}

/// The most semesters a rule may list (`maxItems`).
pub const MAX_SEMESTER_IDS: usize = 20;

/// 422 naming `semester_ids[i]` for an id that is not a semester of the district.
pub async fn check_semesters(db: &impl ConnectionTrait, district_id: i64, ids: &[i64]) -> DomainResult<()> {
    if ids.len() > MAX_SEMESTER_IDS {
        return Err(DomainError::invalid("semester_ids", format!("must have at most {MAX_SEMESTER_IDS} items")));
    }
    if ids.is_empty() {
        return Ok(());
    }
    let found: Vec<i64> = semester::Entity::find()
        .filter(semester::Column::DistrictId.eq(district_id))
        .filter(semester::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    match ids.iter().position(|id| !found.contains(id)) {
        Some(i) => Err(DomainError::invalid(format!("semester_ids[{i}]"), "no such semester in the rule's district")),
        None => Ok(()),
    }
}

/// 409 when another live rule of the same owner has the name: reports name their columns by it.
pub async fn check_name(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: Option<i64>,
    name: &str,
    except: Option<i64>,
) -> DomainResult<()> {
    let owner = match school_id {
        Some(s) => quota_rule::Column::SchoolId.eq(s),
        None => quota_rule::Column::SchoolId.is_null(),
    };
    let query = quota_rule::Entity::find()
        .filter(quota_rule::Column::DistrictId.eq(district_id))
        .filter(owner)
        .filter(quota_rule::Column::Name.eq(name))
        .filter(quota_rule::Column::ArchivedAt.is_null());
    ensure_unique(db, query, quota_rule::Column::Id, except, "name", format!("another rule here is named {name}")).await
}
