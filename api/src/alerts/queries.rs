//! Database access of the subscriptions: who may see and manage which (object level), the
//! owner of a new subscription, the list and the delivery log.

use entities::enums::Role;
use entities::{alert_delivery, alert_outbox, alert_subscription, district, group, school};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::rules::AlertScope;
use super::views::AlertSubscriptionFilter;
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};

/// Whether the caller's role manages subscriptions at all (school and district administrators).
pub fn manages_alerts(actor: &Actor) -> bool {
    matches!(actor.role, Role::DistrictAdmin | Role::SchoolAdmin)
}

/// The owner of a subscription: its district and, for a school's or group's, its school.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub scope: AlertScope,
    pub district_id: i64,
    pub school_id: Option<i64>,
    pub group_id: Option<i64>,
}

/// 404 unless the caller sees the owner; 403 unless they administer it (a school's
/// administrators manage their school's and its groups' subscriptions, the district's
/// administrators every one of the district).
pub fn require_manager(actor: &Actor, owner: &Owner) -> DomainResult<()> {
    let (sees, administers) = match owner.school_id {
        Some(school_id) => {
            (actor.sees_school(owner.district_id, school_id), actor.administers_school(owner.district_id, school_id))
        }
        None => (actor.sees_district(owner.district_id), actor.administers_district(owner.district_id)),
    };
    if !sees {
        return Err(DomainError::not_found("alert subscription"));
    }
    actor.require(administers, "manage these alert subscriptions")
}

pub fn owner_of(s: &alert_subscription::Model) -> Owner {
    Owner {
        scope: AlertScope::parse(&s.scope).unwrap_or(AlertScope::District),
        district_id: s.district_id,
        school_id: s.school_id,
        group_id: s.group_id,
    }
}

/// A live subscription the caller manages (404 when out of sight or archived, 403 when seen but
/// not theirs to manage).
pub async fn load_subscription(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<alert_subscription::Model> {
    let found = alert_subscription::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.archived_at.is_none())
        .ok_or_else(|| DomainError::not_found("alert subscription"))?;
    require_manager(actor, &owner_of(&found))?;
    Ok(found)
}

/// The owner a new subscription names, checked to exist within the caller's sight (422 naming
/// `district_id`, `school_id` or `group_id`, as any reference in a body) and
/// to be theirs to manage (403); a missing id is a 422 naming the field.
pub async fn resolve_owner(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: AlertScope,
    district_id: Option<i64>,
    school_id: Option<i64>,
    group_id: Option<i64>,
) -> DomainResult<Owner> {
    let owner = match scope {
        AlertScope::District => {
            let district_id = district_id.or(actor.district_id).ok_or_else(|| {
                DomainError::invalid("district_id", "is required: an installation administrator has no district")
            })?;
            let found = district::Entity::find_by_id(district_id)
                .one(db)
                .await?
                .filter(|d| d.archived_at.is_none() && actor.sees_district(d.id))
                .ok_or_else(|| DomainError::invalid("district_id", "no such district"))?;
            Owner { scope, district_id: found.id, school_id: None, group_id: None }
        }
        AlertScope::School => {
            let id = school_id
                .ok_or_else(|| DomainError::invalid("school_id", "is required for a school's subscription"))?;
            let found = school::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|s| s.archived_at.is_none() && actor.sees_school(s.district_id, s.id))
                .ok_or_else(|| DomainError::invalid("school_id", "no such school"))?;
            Owner { scope, district_id: found.district_id, school_id: Some(found.id), group_id: None }
        }
        AlertScope::Group => {
            let id =
                group_id.ok_or_else(|| DomainError::invalid("group_id", "is required for a group's subscription"))?;
            let found = group::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|g| {
                    g.archived_at.is_none()
                        && g.school_id
                            .map_or(actor.sees_district(g.district_id), |s| actor.sees_school(g.district_id, s))
                })
                .ok_or_else(|| DomainError::invalid("group_id", "no such group"))?;
            Owner { scope, district_id: found.district_id, school_id: found.school_id, group_id: Some(found.id) }
        }
    };
    require_manager(actor, &owner)?;
    Ok(owner)
}

/// What `list_alert_subscriptions` lists: the live subscriptions the caller manages.
pub fn subscriptions_matching(
    actor: &Actor,
    f: &AlertSubscriptionFilter,
) -> DomainResult<sea_orm::Select<alert_subscription::Entity>> {
    use alert_subscription::Column as C;
    actor.require(manages_alerts(actor), "read alert subscriptions")?;
    let visible = match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(C::DistrictId.eq(d)),
        Reach::School { district_id, school_id } => {
            Condition::all().add(C::DistrictId.eq(district_id)).add(C::SchoolId.eq(school_id))
        }
    };
    let mut query = alert_subscription::Entity::find().filter(visible).filter(C::ArchivedAt.is_null());
    if let Some(school_id) = f.school_id {
        query = query.filter(C::SchoolId.eq(school_id));
    }
    Ok(query.order_by_asc(C::Id))
}

/// The delivery log of a subscription, newest first.
pub fn deliveries_of(subscription_id: i64) -> sea_orm::Select<alert_delivery::Entity> {
    alert_delivery::Entity::find()
        .filter(alert_delivery::Column::SubscriptionId.eq(subscription_id))
        .order_by_desc(alert_delivery::Column::Id)
}

/// The outbox messages the log's page names.
pub async fn messages(db: &impl ConnectionTrait, ids: Vec<i64>) -> DomainResult<Vec<alert_outbox::Model>> {
    Ok(alert_outbox::Entity::find().filter(alert_outbox::Column::Id.is_in(ids)).all(db).await?)
}
