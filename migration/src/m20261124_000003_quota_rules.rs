//! Quota rules (教研常规考核) as data, and the indexes the aggregate quota checks read by.
//!
//! A rule's shape is columns (subject type, metric kind, period, min, max, severity, family,
//! priority) so that rules can be listed and filtered in SQL; its filters (`applies_to`, the
//! metric's own filters) and the semesters it covers are JSON, because they are only ever read
//! whole, by the rule engine, and a district has tens of rules, not millions.

use sea_orm_migration::{prelude::*, schema::*};

use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(timestamps(
            Table::create()
                .table(QuotaRules::Table)
                .col(big_pk_auto(QuotaRules::Id))
                .col(big_integer(QuotaRules::DistrictId))
                .col(big_integer_null(QuotaRules::SchoolId))
                .col(json(QuotaRules::SemesterIds))
                .col(string_len_null(QuotaRules::TemplateId, 64))
                .col(string_len(QuotaRules::Name, 200))
                .col(string_len(QuotaRules::SubjectType, 16))
                .col(string_len(QuotaRules::MetricKind, 32))
                .col(json(QuotaRules::Metric))
                .col(json(QuotaRules::AppliesTo))
                .col(string_len(QuotaRules::Period, 16))
                .col(double(QuotaRules::Min))
                .col(double_null(QuotaRules::Max))
                .col(string_len(QuotaRules::Severity, 16))
                .col(string_len_null(QuotaRules::Family, 64))
                .col(integer(QuotaRules::Priority))
                .col(text_null(QuotaRules::Source))
                .foreign_key(&mut fk((QuotaRules::Table, QuotaRules::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((QuotaRules::Table, QuotaRules::SchoolId), (Schools::Table, Schools::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ix_quota_rules_owner", QuotaRules::Table, &["district_id", "school_id"], false)).await?;

        // The quota checks group a whole district's rows by subject and date: these indexes let
        // each aggregate read only the scope's rows, in date order.
        for (name, table, cols) in [
            ("ix_observations_district_date", "observations", &["district_id", "observed_on"][..]),
            ("ix_records_author_written", "records", &["author_teacher_id", "written_on"][..]),
            ("ix_records_district_written", "records", &["district_id", "written_on"][..]),
        ] {
            m.create_index(index(name, Alias::new(table), cols, false)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_observations_district_date", "observations"),
            ("ix_records_author_written", "records"),
            ("ix_records_district_written", "records"),
        ] {
            m.drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned()).await?;
        }
        m.drop_table(Table::drop().table(QuotaRules::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum QuotaRules {
    Table,
    Id,
    DistrictId,
    SchoolId,
    SemesterIds,
    TemplateId,
    Name,
    SubjectType,
    MetricKind,
    Metric,
    AppliesTo,
    Period,
    Min,
    Max,
    Severity,
    Family,
    Priority,
    Source,
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
