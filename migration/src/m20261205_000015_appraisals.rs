//! The semester appraisal (量化考核, 期末绩效考评, seed 000): schemes as data, and the frozen results
//! of each publication.
//!
//! - `appraisal_schemes`: a scheme of a school, or of a district for all its schools, for one
//!   semester or one school year; its scoring (`spec`) is JSON, read only whole by the appraisal
//!   core. Change-tracked and audited like `quota_rules` (the comparable owned data).
//! - `appraisal_versions`: one row per publication (version 1, 2 ...), with the scoring as it was
//!   published; a part of its scheme for the change log and the audit trail (publishing bumps the
//!   scheme's version and is audited with who published).
//! - `appraisal_results`: the score, rank and breakdown of each teacher and group of a version,
//!   written once in the publishing transaction and never changed ("because pay depends on it").
//!   Derived rows, neither tracked nor audited: the version row that owns them is.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261201_000004_district_sync::{child_triggers, tracked_triggers, Child, Tracked};
use crate::m20261205_000010_audit_trail::{pg_triggers, sqlite_columns, sqlite_triggers, Audited};
use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SCHEMES: Tracked = Tracked {
    kind: "appraisal_schemes",
    table: "appraisal_schemes",
    district: "{r}.district_id",
    school: "{r}.school_id",
    sourced: "NULL",
};

const VERSIONS: Child =
    Child { table: "appraisal_versions", parent_kind: "appraisal_schemes", parent_column: "scheme_id" };

const AUDITED: [Audited; 2] = [
    Audited {
        table: "appraisal_schemes",
        kind: "appraisal_schemes",
        id: "{r}.id",
        part: false,
        district: "{r}.district_id",
        school: "{r}.school_id",
        owner: "NULL",
    },
    Audited {
        table: "appraisal_versions",
        kind: "appraisal_schemes",
        id: "{r}.scheme_id",
        part: true,
        district: "",
        school: "",
        owner: "NULL",
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(timestamps(
            Table::create()
                .table(Schemes::Table)
                .col(big_pk_auto(Schemes::Id))
                .col(big_integer(Schemes::DistrictId))
                .col(big_integer_null(Schemes::SchoolId))
                .col(big_integer_null(Schemes::SemesterId))
                .col(string_len_null(Schemes::SchoolYear, 16))
                .col(string_len(Schemes::Name, 200))
                .col(string_len(Schemes::Status, 16))
                .col(json(Schemes::Spec))
                .col(integer(Schemes::PublishedVersion))
                .foreign_key(&mut fk((Schemes::Table, Schemes::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Schemes::Table, Schemes::SchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk((Schemes::Table, Schemes::SemesterId), (Semesters::Table, Semesters::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ix_appraisal_schemes_owner", Schemes::Table, &["district_id", "school_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(Versions::Table)
                .col(big_pk_auto(Versions::Id))
                .col(big_integer(Versions::SchemeId))
                .col(integer(Versions::Version))
                .col(date(Versions::AsOf))
                .col(json(Versions::Spec))
                .col(big_integer_null(Versions::PublishedByUserId))
                .col(timestamp_with_time_zone(Versions::PublishedAt))
                .foreign_key(&mut fk((Versions::Table, Versions::SchemeId), (Schemes::Table, Schemes::Id)))
                .take(),
        )
        .await?;
        m.create_index(index("ux_appraisal_versions_scheme", Versions::Table, &["scheme_id", "version"], true)).await?;
        m.create_table(
            Table::create()
                .table(Results::Table)
                .col(big_pk_auto(Results::Id))
                .col(big_integer(Results::VersionId))
                .col(string_len(Results::SubjectType, 16))
                .col(big_integer(Results::SubjectId))
                .col(big_integer_null(Results::SchoolId))
                .col(string_len(Results::Name, 200))
                .col(double(Results::Score))
                .col(integer(Results::Rank))
                .col(json(Results::Breakdown))
                .foreign_key(&mut fk((Results::Table, Results::VersionId), (Versions::Table, Versions::Id)))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ux_appraisal_results_subject",
            Results::Table,
            &["version_id", "subject_type", "subject_id"],
            true,
        ))
        .await?;
        m.create_index(index("ix_appraisal_results_school", Results::Table, &["version_id", "school_id"], false))
            .await?;

        let db = m.get_connection();
        let backend = db.get_database_backend();
        for statement in tracked_triggers(backend, &SCHEMES).into_iter().chain(child_triggers(backend, &VERSIONS)) {
            db.execute_unprepared(&statement).await?;
        }
        for a in &AUDITED {
            let statements = match backend {
                DatabaseBackend::Postgres => pg_triggers(a),
                _ => sqlite_triggers(a, &sqlite_columns(db, a.table).await?),
            };
            for statement in statements {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        for table in [SCHEMES.table, VERSIONS.table] {
            if backend == DatabaseBackend::Postgres {
                for suffix in ["", "_insert", "_delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS jy_audit{suffix} ON {table}")).await?;
                    db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS jy_audit_{table}{suffix}()")).await?;
                }
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS jy_track ON {table}")).await?;
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS jy_lock ON {table}")).await?;
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS jy_track_{table}()")).await?;
            } else {
                for op in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS jy_audit_{table}_{op}")).await?;
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS jy_track_{table}_{op}")).await?;
                }
            }
        }
        db.execute_unprepared("DELETE FROM change_log WHERE resource_type = 'appraisal_schemes'").await?;
        m.drop_table(Table::drop().table(Results::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Versions::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Schemes::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Schemes {
    #[sea_orm(iden = "appraisal_schemes")]
    Table,
    Id,
    DistrictId,
    SchoolId,
    SemesterId,
    SchoolYear,
    Name,
    Status,
    Spec,
    PublishedVersion,
}

#[derive(DeriveIden)]
enum Versions {
    #[sea_orm(iden = "appraisal_versions")]
    Table,
    Id,
    SchemeId,
    Version,
    AsOf,
    Spec,
    PublishedByUserId,
    PublishedAt,
}

#[derive(DeriveIden)]
enum Results {
    #[sea_orm(iden = "appraisal_results")]
    Table,
    Id,
    VersionId,
    SubjectType,
    SubjectId,
    SchoolId,
    Name,
    Score,
    Rank,
    Breakdown,
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
enum Semesters {
    Table,
    Id,
}
