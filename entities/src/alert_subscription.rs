//! A subscription of a school, group or district to alerts, delivered to a WeCom or DingTalk
//! group robot or a generic webhook (docs/ALERTS.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alert_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// Set for a school's and a group's subscription.
    pub school_id: Option<i64>,
    /// Set for a group's subscription.
    pub group_id: Option<i64>,
    /// `district`, `school` or `group`.
    pub scope: String,
    pub name: String,
    /// `wecom`, `dingtalk` or `webhook`.
    pub channel: String,
    pub url: String,
    /// DingTalk's signing secret or the webhook's HMAC key; never returned by the API.
    pub secret: Option<String>,
    /// `markdown` or `text`.
    pub message_type: String,
    /// Comma-separated event kinds.
    pub events: String,
    pub active: bool,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
