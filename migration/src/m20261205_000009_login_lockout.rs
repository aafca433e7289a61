//! Login lockout (docs/LOGINS.md, "Lockout"): consecutive failed logins per account name, and until when the
//! account is locked after too many of them.
//!
//! A table of its own rather than columns on `users`: a failed login must not be a write to a
//! change-tracked row (every failure would bump the change feed and make kept quota checks
//! stale), and failures for names that have no account are counted the same way, so that a
//! lockout never tells whether a username exists. `account` is `user:<username>`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::table_parts::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginLockouts {
    Table,
    Id,
    Account,
    FailedCount,
    LockCount,
    LockedUntil,
    LastFailureAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LoginLockouts::Table)
                .col(big_pk_auto(LoginLockouts::Id))
                .col(string_len(LoginLockouts::Account, 200))
                // Consecutive failures since the last success, lift or lock.
                .col(integer(LoginLockouts::FailedCount))
                // Locks so far without a success in between: each lasts twice the one before.
                .col(integer(LoginLockouts::LockCount))
                .col(timestamp_with_time_zone_null(LoginLockouts::LockedUntil))
                .col(timestamp_with_time_zone(LoginLockouts::LastFailureAt))
                .take(),
        )
        .await?;
        m.create_index(index("ux_login_lockouts_account", LoginLockouts::Table, &["account"], true)).await?;
        m.create_index(index("ix_login_lockouts_last_failure", LoginLockouts::Table, &["last_failure_at"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LoginLockouts::Table).take()).await
    }
}
