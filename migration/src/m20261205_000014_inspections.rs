//! Routine inspections (常规检查, seeds 000 and 002; docs/API-DESIGN.md, "Inspections").
//!
//! - `inspection_templates`: checklists owned by a school or by a district (`school_id` NULL);
//!   the items (name, scale, max points, required count, what Jiaoyan counts for it) are a JSON
//!   array, validated by the API. The built-in default (备课, 听课记录, 读书笔记, 作业批改, 实验册,
//!   反思) is code, not a row.
//! - `inspections`: an inspection of a school, or of the district's schools (`school_id` NULL),
//!   with its kind, date, the period it covers and a copy of its checklist (`items`), so that a
//!   template changed later leaves past inspections as they were.
//! - `inspection_subjects`: the teachers inspected (a group named at creation becomes its
//!   members), each with the school and group their results are reported under.
//! - `inspection_grades`: per teacher and item, the inspector's grade (or points) and comment.
//! - `inspection_findings`: what must be corrected (整改), its due date, the teacher's response
//!   and the inspector's confirmation.
//!
//! Change tracking and the audit trail as for the other school data: templates, inspections and
//! findings are tracked resources; subjects and grades are parts of their inspection.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261201_000004_district_sync::{child_triggers, tracked_triggers, Child, Tracked};
use crate::m20261205_000010_audit_trail::{pg_triggers, sqlite_columns, sqlite_triggers, Audited};
use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InspectionTemplates {
    Table,
    Id,
    DistrictId,
    SchoolId,
    Name,
    Items,
}

#[derive(DeriveIden)]
enum Inspections {
    Table,
    Id,
    DistrictId,
    SchoolId,
    Kind,
    Title,
    InspectedOn,
    PeriodStart,
    PeriodEnd,
    TemplateId,
    Items,
    CreatedByUserId,
}

#[derive(DeriveIden)]
enum InspectionSubjects {
    Table,
    Id,
    InspectionId,
    TeacherId,
    SchoolId,
    GroupId,
}

#[derive(DeriveIden)]
enum InspectionGrades {
    Table,
    Id,
    InspectionId,
    TeacherId,
    ItemKey,
    Grade,
    Points,
    Comment,
    GradedByUserId,
}

#[derive(DeriveIden)]
enum InspectionFindings {
    Table,
    Id,
    InspectionId,
    DistrictId,
    SchoolId,
    TeacherId,
    ItemKey,
    Description,
    DueOn,
    Status,
    Response,
    RespondedOn,
    ConfirmedOn,
    ConfirmedByUserId,
    CreatedByUserId,
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
enum Teachers {
    Table,
    Id,
}

const TRACKED: &[Tracked] = &[
    Tracked {
        kind: "inspection_templates",
        table: "inspection_templates",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "inspections",
        table: "inspections",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "inspection_findings",
        table: "inspection_findings",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
];

const CHILDREN: &[Child] = &[
    Child { table: "inspection_subjects", parent_kind: "inspections", parent_column: "inspection_id" },
    Child { table: "inspection_grades", parent_kind: "inspections", parent_column: "inspection_id" },
];

const fn tracked(table: &'static str, owner: &'static str) -> Audited {
    Audited {
        table,
        kind: table,
        id: "{r}.id",
        part: false,
        district: "{r}.district_id",
        school: "{r}.school_id",
        owner,
    }
}

const fn part(table: &'static str, owner: &'static str) -> Audited {
    Audited { table, kind: "inspections", id: "{r}.inspection_id", part: true, district: "", school: "", owner }
}

const AUDITED: &[Audited] = &[
    tracked("inspection_templates", "NULL"),
    tracked("inspections", "NULL"),
    tracked("inspection_findings", "{r}.teacher_id"),
    part("inspection_subjects", "{r}.teacher_id"),
    part("inspection_grades", "{r}.teacher_id"),
];

async fn create_tables(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(timestamps(
        Table::create()
            .table(InspectionTemplates::Table)
            .col(big_pk_auto(InspectionTemplates::Id))
            .col(big_integer(InspectionTemplates::DistrictId))
            .col(big_integer_null(InspectionTemplates::SchoolId))
            .col(string_len(InspectionTemplates::Name, 200))
            .col(json_binary(InspectionTemplates::Items))
            .foreign_key(&mut fk(
                (InspectionTemplates::Table, InspectionTemplates::DistrictId),
                (Districts::Table, Districts::Id),
            ))
            .foreign_key(&mut fk(
                (InspectionTemplates::Table, InspectionTemplates::SchoolId),
                (Schools::Table, Schools::Id),
            )),
        true,
    ))
    .await?;
    m.create_index(index(
        "ix_inspection_templates_owner",
        InspectionTemplates::Table,
        &["district_id", "school_id"],
        false,
    ))
    .await?;

    m.create_table(timestamps(
        Table::create()
            .table(Inspections::Table)
            .col(big_pk_auto(Inspections::Id))
            .col(big_integer(Inspections::DistrictId))
            .col(big_integer_null(Inspections::SchoolId))
            .col(string_len(Inspections::Kind, 32))
            .col(string_len(Inspections::Title, 200))
            .col(date(Inspections::InspectedOn))
            .col(date(Inspections::PeriodStart))
            .col(date(Inspections::PeriodEnd))
            .col(big_integer_null(Inspections::TemplateId))
            .col(json_binary(Inspections::Items))
            .col(big_integer_null(Inspections::CreatedByUserId))
            .foreign_key(&mut fk((Inspections::Table, Inspections::DistrictId), (Districts::Table, Districts::Id)))
            .foreign_key(&mut fk((Inspections::Table, Inspections::SchoolId), (Schools::Table, Schools::Id)))
            .foreign_key(&mut fk(
                (Inspections::Table, Inspections::TemplateId),
                (InspectionTemplates::Table, InspectionTemplates::Id),
            )),
        true,
    ))
    .await?;
    m.create_index(index("ix_inspections_school", Inspections::Table, &["school_id", "inspected_on"], false)).await?;
    m.create_index(index("ix_inspections_district", Inspections::Table, &["district_id", "inspected_on"], false))
        .await?;

    m.create_table(
        Table::create()
            .table(InspectionSubjects::Table)
            .col(big_pk_auto(InspectionSubjects::Id))
            .col(big_integer(InspectionSubjects::InspectionId))
            .col(big_integer(InspectionSubjects::TeacherId))
            .col(big_integer(InspectionSubjects::SchoolId))
            .col(big_integer_null(InspectionSubjects::GroupId))
            .foreign_key(&mut fk(
                (InspectionSubjects::Table, InspectionSubjects::InspectionId),
                (Inspections::Table, Inspections::Id),
            ))
            .foreign_key(&mut fk(
                (InspectionSubjects::Table, InspectionSubjects::TeacherId),
                (Teachers::Table, Teachers::Id),
            ))
            .foreign_key(&mut fk(
                (InspectionSubjects::Table, InspectionSubjects::SchoolId),
                (Schools::Table, Schools::Id),
            ))
            .take(),
    )
    .await?;
    m.create_index(index("ux_inspection_subjects", InspectionSubjects::Table, &["inspection_id", "teacher_id"], true))
        .await?;
    m.create_index(index("ix_inspection_subjects_teacher", InspectionSubjects::Table, &["teacher_id"], false)).await?;

    m.create_table(timestamps(
        Table::create()
            .table(InspectionGrades::Table)
            .col(big_pk_auto(InspectionGrades::Id))
            .col(big_integer(InspectionGrades::InspectionId))
            .col(big_integer(InspectionGrades::TeacherId))
            .col(string_len(InspectionGrades::ItemKey, 32))
            .col(string_len_null(InspectionGrades::Grade, 32))
            .col(double_null(InspectionGrades::Points))
            .col(text_null(InspectionGrades::Comment))
            .col(big_integer_null(InspectionGrades::GradedByUserId))
            .foreign_key(&mut fk(
                (InspectionGrades::Table, InspectionGrades::InspectionId),
                (Inspections::Table, Inspections::Id),
            ))
            .foreign_key(&mut fk(
                (InspectionGrades::Table, InspectionGrades::TeacherId),
                (Teachers::Table, Teachers::Id),
            )),
        false,
    ))
    .await?;
    m.create_index(index(
        "ux_inspection_grades",
        InspectionGrades::Table,
        &["inspection_id", "teacher_id", "item_key"],
        true,
    ))
    .await?;
    m.create_index(index("ix_inspection_grades_teacher", InspectionGrades::Table, &["teacher_id"], false)).await?;

    m.create_table(timestamps(
        Table::create()
            .table(InspectionFindings::Table)
            .col(big_pk_auto(InspectionFindings::Id))
            .col(big_integer(InspectionFindings::InspectionId))
            .col(big_integer(InspectionFindings::DistrictId))
            .col(big_integer(InspectionFindings::SchoolId))
            .col(big_integer(InspectionFindings::TeacherId))
            .col(string_len_null(InspectionFindings::ItemKey, 32))
            .col(text(InspectionFindings::Description))
            .col(date(InspectionFindings::DueOn))
            .col(string_len(InspectionFindings::Status, 32))
            .col(text_null(InspectionFindings::Response))
            .col(date_null(InspectionFindings::RespondedOn))
            .col(date_null(InspectionFindings::ConfirmedOn))
            .col(big_integer_null(InspectionFindings::ConfirmedByUserId))
            .col(big_integer_null(InspectionFindings::CreatedByUserId))
            .foreign_key(&mut fk(
                (InspectionFindings::Table, InspectionFindings::InspectionId),
                (Inspections::Table, Inspections::Id),
            ))
            .foreign_key(&mut fk(
                (InspectionFindings::Table, InspectionFindings::TeacherId),
                (Teachers::Table, Teachers::Id),
            ))
            .foreign_key(&mut fk(
                (InspectionFindings::Table, InspectionFindings::SchoolId),
                (Schools::Table, Schools::Id),
            )),
        true,
    ))
    .await?;
    m.create_index(index("ix_inspection_findings_inspection", InspectionFindings::Table, &["inspection_id"], false))
        .await?;
    m.create_index(index(
        "ix_inspection_findings_teacher",
        InspectionFindings::Table,
        &["teacher_id", "due_on"],
        false,
    ))
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_tables(m).await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let mut statements: Vec<String> = Vec::new();
        for t in TRACKED {
            statements.extend(tracked_triggers(backend, t));
        }
        for c in CHILDREN {
            statements.extend(child_triggers(backend, c));
        }
        for a in AUDITED {
            match backend {
                DatabaseBackend::Postgres => statements.extend(pg_triggers(a)),
                _ => statements.extend(sqlite_triggers(a, &sqlite_columns(db, a.table).await?)),
            }
        }
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let tables =
            ["inspection_findings", "inspection_grades", "inspection_subjects", "inspections", "inspection_templates"];
        // Dropping a table drops its triggers; the SQLite ones go with it too, and PostgreSQL's
        // functions are dropped after the tables. The audit log keeps its entries (append-only).
        for table in tables {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        if db.get_database_backend() == DatabaseBackend::Postgres {
            for table in tables {
                for function in [
                    format!("jy_track_{table}"),
                    format!("jy_audit_{table}"),
                    format!("jy_audit_{table}_insert"),
                    format!("jy_audit_{table}_delete"),
                ] {
                    db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {function}()")).await?;
                }
            }
        }
        db.execute_unprepared(
            "DELETE FROM change_log WHERE resource_type IN ('inspection_templates', 'inspections', 'inspection_findings')",
        )
        .await?;
        Ok(())
    }
}
