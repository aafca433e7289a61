//! Alerts to people (docs/ALERTS.md): subscriptions of a school, group or district to events,
//! delivered to a WeCom or DingTalk group robot or a generic HTTPS webhook through an outbox.
//!
//! - `alert_subscriptions`: who is told (owner scope and ids), where (channel, URL, write-only
//!   secret), how (message type) and of what (`events`, a comma-separated list of event kinds).
//! - `alert_outbox`: one row per message to deliver, written in the transaction of the event
//!   that caused it; `idempotency_key` is unique, so that an event enqueued twice (a scheduler
//!   tick repeated, or run by two replicas) is one message. `due_at_ms` and `lease_until_ms`
//!   (milliseconds since the epoch, compared as numbers on both engines) say when the worker may
//!   next try it and until when a claim holds it.
//! - `alert_deliveries`: the delivery log, one row per attempt.
//!
//! None of them is audited or change-tracked: a subscription holds a secret the audit trail must
//! not copy, and the outbox and log are the service's own bookkeeping.

use sea_orm_migration::{prelude::*, schema::*};

use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(timestamps(
            Table::create()
                .table(AlertSubscriptions::Table)
                .col(big_pk_auto(AlertSubscriptions::Id))
                .col(big_integer(AlertSubscriptions::DistrictId))
                .col(big_integer_null(AlertSubscriptions::SchoolId))
                .col(big_integer_null(AlertSubscriptions::GroupId))
                .col(string_len(AlertSubscriptions::Scope, 16))
                .col(string_len(AlertSubscriptions::Name, 100))
                .col(string_len(AlertSubscriptions::Channel, 16))
                .col(string_len(AlertSubscriptions::Url, 2000))
                .col(string_len_null(AlertSubscriptions::Secret, 500))
                .col(string_len(AlertSubscriptions::MessageType, 16))
                .col(string_len(AlertSubscriptions::Events, 500))
                .col(boolean(AlertSubscriptions::Active))
                .col(big_integer_null(AlertSubscriptions::CreatedByUserId))
                .foreign_key(&mut fk(
                    (AlertSubscriptions::Table, AlertSubscriptions::DistrictId),
                    (Districts::Table, Districts::Id),
                ))
                .foreign_key(&mut fk(
                    (AlertSubscriptions::Table, AlertSubscriptions::SchoolId),
                    (Schools::Table, Schools::Id),
                ))
                .foreign_key(&mut fk(
                    (AlertSubscriptions::Table, AlertSubscriptions::GroupId),
                    (Groups::Table, Groups::Id),
                )),
            true,
        ))
        .await?;
        m.create_index(index("ix_alert_subscriptions_district", AlertSubscriptions::Table, &["district_id"], false))
            .await?;

        m.create_table(timestamps(
            Table::create()
                .table(AlertOutbox::Table)
                .col(big_pk_auto(AlertOutbox::Id))
                .col(big_integer(AlertOutbox::SubscriptionId))
                .col(string_len(AlertOutbox::EventKind, 32))
                .col(string_len(AlertOutbox::IdempotencyKey, 200))
                .col(string_len(AlertOutbox::Title, 200))
                .col(text(AlertOutbox::Body))
                .col(text(AlertOutbox::Payload))
                .col(string_len(AlertOutbox::Status, 16))
                .col(integer(AlertOutbox::Attempts))
                .col(big_integer(AlertOutbox::DueAtMs))
                .col(big_integer_null(AlertOutbox::LeaseUntilMs))
                .col(text_null(AlertOutbox::LastError))
                .col(timestamp_with_time_zone_null(AlertOutbox::DeliveredAt))
                .foreign_key(&mut fk(
                    (AlertOutbox::Table, AlertOutbox::SubscriptionId),
                    (AlertSubscriptions::Table, AlertSubscriptions::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index("ux_alert_outbox_key", AlertOutbox::Table, &["idempotency_key"], true)).await?;
        m.create_index(index("ix_alert_outbox_due", AlertOutbox::Table, &["status", "due_at_ms"], false)).await?;
        m.create_index(index("ix_alert_outbox_subscription", AlertOutbox::Table, &["subscription_id", "id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(AlertDeliveries::Table)
                .col(big_pk_auto(AlertDeliveries::Id))
                .col(big_integer(AlertDeliveries::OutboxId))
                .col(big_integer(AlertDeliveries::SubscriptionId))
                .col(integer(AlertDeliveries::Attempt))
                .col(string_len(AlertDeliveries::Outcome, 16))
                .col(integer_null(AlertDeliveries::HttpStatus))
                .col(text_null(AlertDeliveries::Error))
                .col(big_integer(AlertDeliveries::DurationMs))
                .col(timestamp_with_time_zone(AlertDeliveries::At))
                .foreign_key(&mut fk(
                    (AlertDeliveries::Table, AlertDeliveries::OutboxId),
                    (AlertOutbox::Table, AlertOutbox::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_alert_deliveries_subscription",
            AlertDeliveries::Table,
            &["subscription_id", "id"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in
            [AlertDeliveries::Table.into_iden(), AlertOutbox::Table.into_iden(), AlertSubscriptions::Table.into_iden()]
        {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Districts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Schools {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AlertSubscriptions {
    Table,
    Id,
    DistrictId,
    SchoolId,
    GroupId,
    Scope,
    Name,
    Channel,
    Url,
    Secret,
    MessageType,
    Events,
    Active,
    CreatedByUserId,
}

#[derive(DeriveIden)]
enum AlertOutbox {
    Table,
    Id,
    SubscriptionId,
    EventKind,
    IdempotencyKey,
    Title,
    Body,
    Payload,
    Status,
    Attempts,
    DueAtMs,
    LeaseUntilMs,
    LastError,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum AlertDeliveries {
    Table,
    Id,
    OutboxId,
    SubscriptionId,
    Attempt,
    Outcome,
    HttpStatus,
    Error,
    DurationMs,
    At,
}
