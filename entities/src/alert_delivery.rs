//! One attempt to deliver an outbox message: the delivery log.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alert_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub outbox_id: i64,
    pub subscription_id: i64,
    /// 1 for the first attempt.
    pub attempt: i32,
    /// `delivered`, `failed` (tried again later) or `dead` (the last attempt failed).
    pub outcome: String,
    pub http_status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
