//! Writing to the outbox: an event becomes one row per subscription that wants it, in the
//! transaction of whatever caused it (a removal's notice, a finding) or of the scheduler's tick.
//! The idempotency key is unique: an event written twice is one message (the second insert does
//! nothing), so a repeated tick or two replicas ticking at once enqueue once.

use entities::{alert_outbox, alert_subscription, group_membership};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde_json::Value;

use super::rules::{events_of, EventKind};
use crate::domain::DomainResult;

/// Something to tell people.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventKind,
    /// What makes the event itself unique (`finding:12`, `at_risk_digest:2026-W47`); each
    /// message's idempotency key is this and the subscription.
    pub key: String,
    pub district_id: i64,
    /// The school it concerns (school subscriptions hear of their school's events only).
    pub school_id: Option<i64>,
    /// The teacher it concerns: group subscriptions hear of their current members' events.
    pub teacher_id: Option<i64>,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub data: Value,
}

/// Milliseconds since the epoch, on the real clock (delivery times never follow a test clock).
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The live, active subscriptions that hear of `event`: the district's, its school's, and its
/// teacher's groups', each only if it wants the event's kind.
pub async fn subscribers(db: &impl ConnectionTrait, event: &Event) -> DomainResult<Vec<alert_subscription::Model>> {
    use alert_subscription::Column as C;
    let mut reach = Condition::any().add(C::Scope.eq("district"));
    if let Some(school_id) = event.school_id {
        reach = reach.add(Condition::all().add(C::Scope.eq("school")).add(C::SchoolId.eq(school_id)));
    }
    if let Some(teacher_id) = event.teacher_id {
        let groups: Vec<i64> = group_membership::Entity::find()
            .select_only()
            .column(group_membership::Column::GroupId)
            .filter(group_membership::Column::TeacherId.eq(teacher_id))
            .filter(group_membership::Column::ArchivedAt.is_null())
            .into_tuple()
            .all(db)
            .await?;
        reach = reach.add(Condition::all().add(C::Scope.eq("group")).add(C::GroupId.is_in(groups)));
    }
    let found = alert_subscription::Entity::find()
        .filter(C::DistrictId.eq(event.district_id))
        .filter(C::Active.eq(true))
        .filter(C::ArchivedAt.is_null())
        .filter(reach)
        .all(db)
        .await?;
    Ok(found.into_iter().filter(|s| events_of(&s.events).contains(&event.kind)).collect())
}

/// Enqueues `event` for every subscription that hears of it; returns the rows written (0 for
/// those already there).
pub async fn publish(db: &impl ConnectionTrait, event: &Event) -> DomainResult<u64> {
    let subscriptions = subscribers(db, event).await?;
    let mut written = 0;
    for subscription in &subscriptions {
        written += enqueue(db, subscription.id, event).await?;
    }
    Ok(written)
}

/// Enqueues `event` for one subscription (the scheduler's per-subscription events, the test
/// message): 1 when written, 0 when its key was already there.
pub async fn enqueue(db: &impl ConnectionTrait, subscription_id: i64, event: &Event) -> DomainResult<u64> {
    let at = crate::clock::now();
    let row = alert_outbox::ActiveModel {
        subscription_id: Set(subscription_id),
        event_kind: Set(event.kind.code().to_string()),
        idempotency_key: Set(format!("{}/sub:{subscription_id}", event.key)),
        title: Set(event.title.chars().take(200).collect()),
        body: Set(event.body.clone()),
        payload: Set(event.data.to_string()),
        status: Set(PENDING.to_string()),
        attempts: Set(0),
        due_at_ms: Set(now_ms()),
        lease_until_ms: Set(None),
        last_error: Set(None),
        delivered_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    let inserted = alert_outbox::Entity::insert(row)
        .on_conflict(OnConflict::column(alert_outbox::Column::IdempotencyKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(inserted)
}

/// A message waiting for its (next) attempt.
pub const PENDING: &str = "pending";
/// A message a receiver accepted.
pub const DELIVERED: &str = "delivered";
/// A message whose last allowed attempt failed.
pub const DEAD: &str = "dead";
