//! Secrets every service replica shares (docs/SCALING.md): the JWT signing secret generated when
//! `JIAOYAN_JWT_SECRET` is unset on PostgreSQL. Kept in a file beside the service (the old way),
//! each replica on another machine made its own, and a token issued by one was refused by the
//! next. SQLite keeps its file beside the database file (one machine).
//!
//! Not change-tracked and not audited: no resource of the API, and nothing a client reads.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServiceSecrets {
    Table,
    Name,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ServiceSecrets::Table)
                .col(string_len(ServiceSecrets::Name, 64).primary_key())
                .col(text(ServiceSecrets::Value))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ServiceSecrets::Table).take()).await
    }
}
