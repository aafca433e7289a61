//! Collective lesson preparation (集体备课, seed 003: "主备教师要提前三天把主备教案发到组内教师手中
//! …一度调整…二度调整…三度调整"; docs/API-DESIGN.md, "Collective preparation").
//!
//! - `preparations`: one lesson a group prepares together, with the lead's draft (初备), the
//!   consensus plan (二度调整) and the day it was completed through every stage. School data:
//!   change-tracked (resource type `preparations`, so ETags and `If-Match` work) and audited.
//! - `preparation_participants`: the lead (主备) and the co-preparers (副备), each with the day of
//!   their first revision note and their post-lesson reflection (三度调整, a `records` row of kind
//!   `reflection`). A part of the preparation.
//! - `preparation_notes`: the co-preparers' revision notes (一度调整), each anchored to a section
//!   of the draft. A part of the preparation.
//! - `preparation_policies`: how many days before the session the draft is due, per district,
//!   school or group (default 3, seed 003). Audited like the other policies.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261201_000004_district_sync::{child_triggers, tracked_triggers, Child, Tracked};
use crate::m20261205_000010_audit_trail::{part, pg_triggers, sqlite_columns, sqlite_triggers, tracked, Audited};
use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TRACKED: Tracked = Tracked {
    kind: "preparations",
    table: "preparations",
    district: "{r}.district_id",
    school: "{r}.school_id",
    sourced: "NULL",
};

const CHILDREN: [Child; 2] = [
    Child { table: "preparation_participants", parent_kind: "preparations", parent_column: "preparation_id" },
    Child { table: "preparation_notes", parent_kind: "preparations", parent_column: "preparation_id" },
];

const AUDITED: [Audited; 4] = [
    tracked("preparations", "preparations", "{r}.district_id", "{r}.school_id"),
    part("preparation_participants", "preparations", "{r}.preparation_id", "{r}.teacher_id"),
    part("preparation_notes", "preparations", "{r}.preparation_id", "{r}.teacher_id"),
    tracked("preparation_policies", "preparation_policies", "{r}.district_id", "{r}.school_id"),
];

/// Children before parents.
const TABLES: [&str; 4] = ["preparation_notes", "preparation_participants", "preparations", "preparation_policies"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_preparations(m).await?;
        create_parts(m).await?;
        create_policies(m).await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let mut statements = tracked_triggers(backend, &TRACKED);
        for c in &CHILDREN {
            statements.extend(child_triggers(backend, c));
        }
        for a in &AUDITED {
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
        // The tables' triggers go with them; PostgreSQL keeps the trigger functions.
        for table in TABLES {
            m.drop_table(Table::drop().table(Alias::new(table)).if_exists().to_owned()).await?;
        }
        if db.get_database_backend() == DatabaseBackend::Postgres {
            for table in TABLES {
                for suffix in ["", "_insert", "_delete"] {
                    db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS jy_audit_{table}{suffix}()")).await?;
                }
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS jy_track_{table}()")).await?;
            }
        }
        db.execute_unprepared("DELETE FROM change_log WHERE resource_type = 'preparations'").await?;
        Ok(())
    }
}

async fn create_preparations(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    use Preparations as P;
    m.create_table(timestamps(
        Table::create()
            .table(P::Table)
            .col(big_pk_auto(P::Id))
            .col(big_integer(P::DistrictId))
            .col(big_integer(P::SchoolId))
            .col(big_integer(P::GroupId))
            .col(big_integer_null(P::SemesterId))
            .col(big_integer_null(P::ActivityId))
            .col(string_len(P::Subject, 64))
            .col(integer(P::Grade))
            .col(string_len_null(P::UnitTitle, 200))
            .col(string_len(P::LessonTitle, 200))
            .col(big_integer(P::LeadTeacherId))
            .col(date(P::SessionOn))
            .col(integer(P::DraftLeadDays))
            .col(date(P::DraftDueOn))
            .col(json_null(P::DraftSections))
            .col(date_null(P::DraftSubmittedOn))
            .col(boolean(P::DraftLate).default(false))
            .col(text_null(P::ConsensusBody))
            .col(big_integer_null(P::ConsensusTeacherId))
            .col(date_null(P::ConsensusOn))
            .col(date_null(P::CompletedOn))
            .col(big_integer_null(P::CreatedByUserId))
            .foreign_key(&mut fk((P::Table, P::DistrictId), (Alias::new("districts"), Alias::new("id"))))
            .foreign_key(&mut fk((P::Table, P::SchoolId), (Alias::new("schools"), Alias::new("id"))))
            .foreign_key(&mut fk((P::Table, P::GroupId), (Alias::new("groups"), Alias::new("id"))))
            .foreign_key(&mut fk((P::Table, P::ActivityId), (Alias::new("activities"), Alias::new("id"))))
            .foreign_key(&mut fk((P::Table, P::LeadTeacherId), (Alias::new("teachers"), Alias::new("id")))),
        true,
    ))
    .await?;
    m.create_index(index("ix_preparations_group", P::Table, &["group_id", "session_on"], false)).await?;
    m.create_index(index("ix_preparations_school", P::Table, &["school_id", "session_on"], false)).await?;
    m.create_index(index("ix_preparations_lead", P::Table, &["lead_teacher_id", "draft_submitted_on"], false)).await?;
    Ok(())
}

async fn create_parts(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    use PreparationNotes as N;
    use PreparationParticipants as T;
    m.create_table(
        Table::create()
            .table(T::Table)
            .col(big_pk_auto(T::Id))
            .col(big_integer(T::PreparationId))
            .col(big_integer(T::TeacherId))
            .col(string_len(T::Role, 16))
            .col(date_null(T::FirstNotedOn))
            .col(big_integer_null(T::ReflectionRecordId))
            .col(date_null(T::ReflectedOn))
            .foreign_key(&mut fk((T::Table, T::PreparationId), (Preparations::Table, Preparations::Id)))
            .foreign_key(&mut fk((T::Table, T::TeacherId), (Alias::new("teachers"), Alias::new("id"))))
            .foreign_key(&mut fk((T::Table, T::ReflectionRecordId), (Alias::new("records"), Alias::new("id"))))
            .to_owned(),
    )
    .await?;
    m.create_index(index("ux_preparation_participants", T::Table, &["preparation_id", "teacher_id"], true)).await?;
    m.create_index(index("ix_preparation_participants_teacher", T::Table, &["teacher_id"], false)).await?;
    m.create_table(
        Table::create()
            .table(N::Table)
            .col(big_pk_auto(N::Id))
            .col(big_integer(N::PreparationId))
            .col(big_integer(N::TeacherId))
            .col(integer(N::Section))
            .col(text(N::Body))
            .col(date(N::WrittenOn))
            .col(timestamp_with_time_zone(N::CreatedAt))
            .foreign_key(&mut fk((N::Table, N::PreparationId), (Preparations::Table, Preparations::Id)))
            .foreign_key(&mut fk((N::Table, N::TeacherId), (Alias::new("teachers"), Alias::new("id"))))
            .to_owned(),
    )
    .await?;
    m.create_index(index("ix_preparation_notes_preparation", N::Table, &["preparation_id", "id"], false)).await?;
    m.create_index(index("ix_preparation_notes_teacher", N::Table, &["teacher_id", "written_on"], false)).await?;
    Ok(())
}

async fn create_policies(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    use PreparationPolicies as Q;
    m.create_table(timestamps(
        Table::create()
            .table(Q::Table)
            .col(big_pk_auto(Q::Id))
            .col(big_integer(Q::DistrictId))
            .col(big_integer_null(Q::SchoolId))
            .col(big_integer_null(Q::GroupId))
            .col(integer(Q::DraftLeadDays))
            .foreign_key(&mut fk((Q::Table, Q::DistrictId), (Alias::new("districts"), Alias::new("id"))))
            .foreign_key(&mut fk((Q::Table, Q::SchoolId), (Alias::new("schools"), Alias::new("id"))))
            .foreign_key(&mut fk((Q::Table, Q::GroupId), (Alias::new("groups"), Alias::new("id")))),
        false,
    ))
    .await?;
    m.create_index(index("ix_preparation_policies_owner", Q::Table, &["district_id", "school_id", "group_id"], false))
        .await?;
    Ok(())
}

#[derive(DeriveIden)]
enum Preparations {
    Table,
    Id,
    DistrictId,
    SchoolId,
    GroupId,
    SemesterId,
    ActivityId,
    Subject,
    Grade,
    UnitTitle,
    LessonTitle,
    LeadTeacherId,
    SessionOn,
    DraftLeadDays,
    DraftDueOn,
    DraftSections,
    DraftSubmittedOn,
    DraftLate,
    ConsensusBody,
    ConsensusTeacherId,
    ConsensusOn,
    CompletedOn,
    CreatedByUserId,
}

#[derive(DeriveIden)]
enum PreparationParticipants {
    Table,
    Id,
    PreparationId,
    TeacherId,
    Role,
    FirstNotedOn,
    ReflectionRecordId,
    ReflectedOn,
}

#[derive(DeriveIden)]
enum PreparationNotes {
    Table,
    Id,
    PreparationId,
    TeacherId,
    Section,
    Body,
    WrittenOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PreparationPolicies {
    Table,
    Id,
    DistrictId,
    SchoolId,
    GroupId,
    DraftLeadDays,
}
