//! The persisted lockout (migration 9): consecutive failed logins per account name, and the lock
//! they lead to ([`super::rules::after_failure`]). A success or an administrator's lift clears
//! the row.
//!
//! The writes stay outside the application's write transactions (which on PostgreSQL queue
//! behind the change counter): a failure is one insert-if-missing and one compare-and-set
//! update, so that guessing does not hold up other writers.

use chrono::{DateTime, Duration, Utc};
use entities::login_lockout;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::rules::{after_failure, retry_after_seconds, Failures};
use crate::config::LoginSettings;
use crate::domain::DomainError;

/// Rows of names without a failure for this long (and no running lock) are forgotten.
const FORGET_AFTER_HOURS: i64 = 24;

/// The lockout key of a user account.
pub fn user_account(username: &str) -> String {
    format!("user:{}", username.trim())
}

/// A locked account's answer: 429 with the seconds left.
pub fn locked(until: DateTime<Utc>, now: DateTime<Utc>) -> DomainError {
    crate::telemetry::login_refused(crate::telemetry::LoginRefusal::Locked);
    let retry_after = retry_after_seconds((until - now).num_milliseconds());
    DomainError::TooManyAttempts {
        detail: format!(
            "the account is locked after repeated failed logins; try again in {retry_after} seconds or ask an administrator to unlock it"
        ),
        retry_after,
    }
}

/// What is recorded about `account`'s failures, if anything.
pub async fn find(db: &impl ConnectionTrait, account: &str) -> Result<Option<login_lockout::Model>, DbErr> {
    login_lockout::Entity::find().filter(login_lockout::Column::Account.eq(account)).one(db).await
}

/// Until when a recorded account is locked, if it is at `now`.
pub fn locked_until(recorded: Option<&login_lockout::Model>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    recorded.and_then(|r| r.locked_until).filter(|until| *until > now)
}

/// Counts a failed login of `account`; answers the end of the lock it starts, if it does.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    account: &str,
    settings: &LoginSettings,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let now = Utc::now();
    login_lockout::Entity::delete_many()
        .filter(login_lockout::Column::LastFailureAt.lt(now - Duration::hours(FORGET_AFTER_HOURS)))
        .filter(
            Condition::any()
                .add(login_lockout::Column::LockedUntil.is_null())
                .add(login_lockout::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    let fresh = login_lockout::ActiveModel {
        account: Set(account.to_string()),
        failed_count: Set(0),
        lock_count: Set(0),
        locked_until: Set(None),
        last_failure_at: Set(now),
        ..Default::default()
    };
    login_lockout::Entity::insert(fresh)
        .on_conflict(OnConflict::column(login_lockout::Column::Account).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    // Compare and set: a concurrent failure of the same name makes this one read again.
    for _ in 0..8 {
        let Some(row) = find(db, account).await? else { return Ok(None) };
        let before = Failures { failed: row.failed_count.max(0) as u32, locks: row.lock_count.max(0) as u32 };
        let (after, lock_minutes) = after_failure(before, settings.lockout_threshold, settings.lockout_minutes);
        let until = lock_minutes.map(|m| now + Duration::minutes(i64::from(m)));
        let updated = login_lockout::Entity::update_many()
            .col_expr(login_lockout::Column::FailedCount, Expr::value(after.failed as i32))
            .col_expr(login_lockout::Column::LockCount, Expr::value(after.locks as i32))
            .col_expr(login_lockout::Column::LockedUntil, Expr::value(until.or(row.locked_until)))
            .col_expr(login_lockout::Column::LastFailureAt, Expr::value(now))
            .filter(login_lockout::Column::Id.eq(row.id))
            .filter(login_lockout::Column::FailedCount.eq(row.failed_count))
            .filter(login_lockout::Column::LockCount.eq(row.lock_count))
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            if until.is_some() {
                crate::telemetry::lockout_started();
            }
            return Ok(until);
        }
    }
    Ok(None)
}

/// Forgets the failures and any lock of `account` (a success, or an administrator's lift).
pub async fn clear(db: &impl ConnectionTrait, account: &str) -> Result<(), DbErr> {
    login_lockout::Entity::delete_many().filter(login_lockout::Column::Account.eq(account)).exec(db).await?;
    Ok(())
}
