//! The audit trail (migration 10): one row per written row of an audited table, written by
//! database triggers in the writing transaction, append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Unix milliseconds.
    pub occurred_at: i64,
    /// `user`, `client` (a machine client), `anonymous` (a request without a valid token) or
    /// `system` (no request: start-up, the demo seed, maintenance).
    pub actor_type: String,
    /// The user's or the machine client's row id.
    pub actor_id: Option<i64>,
    pub address: Option<String>,
    pub request_id: Option<String>,
    /// `METHOD /route/{pattern}` of the request.
    pub operation: Option<String>,
    /// `insert`, `update` or `delete` (of the row).
    pub action: String,
    pub resource_type: String,
    pub resource_id: i64,
    /// The table of a part of the resource (`teacher_subjects` ...), `None` for the row itself.
    pub part: Option<String>,
    pub district_id: Option<i64>,
    pub school_id: Option<i64>,
    /// The teacher who owns the resource and may read its history.
    pub owner_teacher_id: Option<i64>,
    pub old_values: Option<Json>,
    pub new_values: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
