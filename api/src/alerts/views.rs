//! Wire types: subscriptions as the API reads and shows them (secrets write-only, robot keys in
//! URLs masked), the delivery log, and the test message's answer.

use chrono::{DateTime, Utc};
use entities::{alert_delivery, alert_outbox, alert_subscription};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::{events_of, masked_url, AlertChannel, AlertScope, EventKind, MessageType};
use crate::validate::nullable;

/// A subscription as the API shows it: never its secret (`secret_set` says whether it has one),
/// and its URL with the query's values masked (`?key=***`: a robot's key is a secret too).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "district_id": 1, "scope": "school", "school_id": 2, "group_id": null,
    "name": "教导处企业微信群", "channel": "wecom", "message_type": "markdown",
    "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***", "secret_set": false,
    "events": ["at_risk_digest", "finding_to_correct"], "active": true,
    "created_at": "2026-12-05T08:00:00Z", "updated_at": "2026-12-05T08:00:00Z"}))]
pub struct AlertSubscriptionView {
    pub id: i64,
    pub district_id: i64,
    pub scope: AlertScope,
    /// The school of a school's or group's subscription.
    pub school_id: Option<i64>,
    /// The group of a group's subscription.
    pub group_id: Option<i64>,
    pub name: String,
    pub channel: AlertChannel,
    pub message_type: MessageType,
    /// The URL with its query values masked.
    pub url: String,
    /// Whether a secret is set (DingTalk's signing secret, the webhook's HMAC key).
    pub secret_set: bool,
    pub events: Vec<EventKind>,
    /// An inactive subscription is told nothing.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<alert_subscription::Model> for AlertSubscriptionView {
    fn from(s: alert_subscription::Model) -> Self {
        AlertSubscriptionView {
            id: s.id,
            district_id: s.district_id,
            scope: AlertScope::parse(&s.scope).unwrap_or(AlertScope::District),
            school_id: s.school_id,
            group_id: s.group_id,
            name: s.name,
            channel: AlertChannel::parse(&s.channel).unwrap_or(AlertChannel::Webhook),
            message_type: MessageType::parse(&s.message_type),
            url: masked_url(&s.url),
            secret_set: s.secret.is_some(),
            events: events_of(&s.events),
            active: s.active,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A new subscription. The owner: `scope` `district` (with `district_id` for an installation
/// administrator), `school` with `school_id`, or `group` with `group_id`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"scope": "school", "school_id": 2, "name": "教导处企业微信群", "channel": "wecom",
    "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa",
    "events": ["at_risk_digest", "deadlines_coming", "finding_to_correct"]}))]
pub struct NewAlertSubscription {
    pub scope: AlertScope,
    /// A district's subscription: its district (default: the caller's).
    pub district_id: Option<i64>,
    /// A school's subscription: its school.
    pub school_id: Option<i64>,
    /// A group's subscription: its group.
    pub group_id: Option<i64>,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub channel: AlertChannel,
    /// `https://` (WeCom and DingTalk robots at their vendor's address); never a private address.
    #[schema(max_length = 2000)]
    pub url: String,
    /// DingTalk's signing secret (`SEC…`, optional) or the webhook's HMAC key (required, at
    /// least 16 characters); write-only.
    #[schema(max_length = 500)]
    pub secret: Option<String>,
    /// Default `markdown`.
    pub message_type: Option<MessageType>,
    /// At least one of the subscribable kinds (not `test`).
    pub events: Vec<EventKind>,
    /// Default true.
    pub active: Option<bool>,
}

/// Changes to a subscription; absent fields stay. `secret: null` removes the secret.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"events": ["at_risk_digest"], "active": false}))]
pub struct AlertSubscriptionPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub secret: Option<Option<String>>,
    pub message_type: Option<MessageType>,
    pub events: Option<Vec<EventKind>>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AlertSubscriptionFilter {
    /// Only this school's subscriptions (its groups' included).
    pub school_id: Option<i64>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// One attempt to deliver one message.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 9, "message_id": 14, "event": "finding_to_correct",
    "idempotency_key": "finding:31/sub:3", "title": "整改通知：王芳", "attempt": 2, "outcome": "delivered",
    "http_status": 200, "error": null, "duration_ms": 84, "at": "2026-12-05T08:00:31Z",
    "message_status": "delivered"}))]
pub struct AlertDeliveryView {
    pub id: i64,
    /// The outbox message it tried to deliver.
    pub message_id: i64,
    pub event: String,
    /// Sent as `X-Jiaoyan-Delivery` and `Idempotency-Key`.
    pub idempotency_key: String,
    pub title: String,
    /// 1 for the first attempt.
    pub attempt: i32,
    /// `delivered`, `failed` (tried again later) or `dead` (no attempt left).
    pub outcome: String,
    pub http_status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub at: DateTime<Utc>,
    /// The message's state now: `pending`, `delivered` or `dead`.
    pub message_status: String,
}

impl AlertDeliveryView {
    pub fn new(d: alert_delivery::Model, message: Option<&alert_outbox::Model>) -> Self {
        AlertDeliveryView {
            id: d.id,
            message_id: d.outbox_id,
            event: message.map(|m| m.event_kind.clone()).unwrap_or_default(),
            idempotency_key: message.map(|m| m.idempotency_key.clone()).unwrap_or_default(),
            title: message.map(|m| m.title.clone()).unwrap_or_default(),
            attempt: d.attempt,
            outcome: d.outcome,
            http_status: d.http_status,
            error: d.error,
            duration_ms: d.duration_ms,
            at: d.at,
            message_status: message.map(|m| m.status.clone()).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AlertDeliveryFilter {
    /// 1–500, default 50. Newest first.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A test message, queued for delivery.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"message_id": 15, "idempotency_key": "test:1733385600123/sub:3", "status": "pending"}))]
pub struct AlertTestView {
    /// Follow it in `GET /alert-subscriptions/{id}/deliveries`.
    pub message_id: i64,
    pub idempotency_key: String,
    pub status: String,
}
