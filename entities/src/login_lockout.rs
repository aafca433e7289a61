//! Consecutive failed logins of an account name, and the lock they led to (migration 9).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_lockouts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `user:<username>`, whether or not such an account exists.
    #[sea_orm(unique)]
    pub account: String,
    /// Consecutive failures since the last success, lift or lock.
    pub failed_count: i32,
    /// Locks without a success in between; each lasts twice as long as the one before.
    pub lock_count: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub last_failure_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
