//! One message to deliver to one subscription, written in the transaction of its event.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alert_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subscription_id: i64,
    pub event_kind: String,
    /// Unique: the event and the subscription; sent as `X-Jiaoyan-Delivery` and `Idempotency-Key`.
    pub idempotency_key: String,
    pub title: String,
    /// The message as markdown (the channel's format is made at sending).
    pub body: String,
    /// The event's data as JSON (the generic webhook's `data`).
    pub payload: String,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    pub attempts: i32,
    /// Milliseconds since the epoch: not before then.
    pub due_at_ms: i64,
    /// Milliseconds since the epoch: a worker holds it until then.
    pub lease_until_ms: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
