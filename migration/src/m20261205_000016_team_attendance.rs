//! The district team's attendance rule (中心组自动退出, seed 001; docs/API-DESIGN.md, "District team
//! attendance").
//!
//! - `team_attendance_policies`: one row per district (none means the defaults): the share of a
//!   team's held sessions a member may miss (`absence_numerator / absence_denominator`, default
//!   1/3, exceeded strictly), whether leave counts as absence (default yes), and whether removals
//!   happen without a confirmation once the semester has ended.
//! - `team_removals`: a member removed from a district team for the semester's absences, with the
//!   numbers the decision was taken on and the rule as it then was; one per membership. The
//!   membership itself ends (archived, `until` set) in the same transaction.
//! - `notices`: what a school is told (the removal of one of its teachers), read by its
//!   administrators.
//!
//! All three are audited like every table of school data (migration 10). They are not in the
//! change log: the feed serves the roster to district systems, and the membership that ends is
//! already there.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261205_000010_audit_trail::{pg_triggers, sqlite_columns, sqlite_triggers, Audited};
use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

const AUDITED: [Audited; 3] = [
    Audited {
        table: "team_attendance_policies",
        kind: "team_attendance_policies",
        id: "{r}.id",
        part: false,
        district: "{r}.district_id",
        school: "NULL",
        owner: "NULL",
    },
    Audited {
        table: "team_removals",
        kind: "team_removals",
        id: "{r}.id",
        part: false,
        district: "{r}.district_id",
        school: "{r}.school_id",
        owner: "{r}.teacher_id",
    },
    Audited {
        table: "notices",
        kind: "notices",
        id: "{r}.id",
        part: false,
        district: "{r}.district_id",
        school: "{r}.school_id",
        owner: "NULL",
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(timestamps(
            Table::create()
                .table(TeamAttendancePolicies::Table)
                .col(big_pk_auto(TeamAttendancePolicies::Id))
                .col(big_integer(TeamAttendancePolicies::DistrictId))
                .col(integer(TeamAttendancePolicies::AbsenceNumerator))
                .col(integer(TeamAttendancePolicies::AbsenceDenominator))
                .col(boolean(TeamAttendancePolicies::LeaveCountsAsAbsence))
                .col(boolean(TeamAttendancePolicies::AutomaticAtSemesterEnd))
                .foreign_key(&mut fk(
                    (TeamAttendancePolicies::Table, TeamAttendancePolicies::DistrictId),
                    (Districts::Table, Districts::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index(
            "ux_team_attendance_policies_district",
            TeamAttendancePolicies::Table,
            &["district_id"],
            true,
        ))
        .await?;

        m.create_table(timestamps(
            Table::create()
                .table(TeamRemovals::Table)
                .col(big_pk_auto(TeamRemovals::Id))
                .col(big_integer(TeamRemovals::DistrictId))
                .col(big_integer(TeamRemovals::GroupId))
                .col(big_integer(TeamRemovals::SemesterId))
                .col(big_integer(TeamRemovals::MembershipId))
                .col(big_integer(TeamRemovals::TeacherId))
                .col(big_integer(TeamRemovals::SchoolId))
                .col(string_len(TeamRemovals::Reason, 32))
                .col(integer(TeamRemovals::Held))
                .col(integer(TeamRemovals::Attended))
                .col(integer(TeamRemovals::Absent))
                .col(integer(TeamRemovals::OnLeave))
                .col(integer(TeamRemovals::AbsenceNumerator))
                .col(integer(TeamRemovals::AbsenceDenominator))
                .col(boolean(TeamRemovals::LeaveCountsAsAbsence))
                .col(boolean(TeamRemovals::Automatic))
                .col(big_integer_null(TeamRemovals::ConfirmedByUserId))
                .col(date(TeamRemovals::RemovedOn))
                .col(text_null(TeamRemovals::Note))
                .foreign_key(&mut fk(
                    (TeamRemovals::Table, TeamRemovals::DistrictId),
                    (Districts::Table, Districts::Id),
                ))
                .foreign_key(&mut fk((TeamRemovals::Table, TeamRemovals::GroupId), (Groups::Table, Groups::Id)))
                .foreign_key(&mut fk(
                    (TeamRemovals::Table, TeamRemovals::SemesterId),
                    (Semesters::Table, Semesters::Id),
                ))
                .foreign_key(&mut fk(
                    (TeamRemovals::Table, TeamRemovals::MembershipId),
                    (GroupMemberships::Table, GroupMemberships::Id),
                ))
                .foreign_key(&mut fk((TeamRemovals::Table, TeamRemovals::TeacherId), (Teachers::Table, Teachers::Id)))
                .foreign_key(&mut fk((TeamRemovals::Table, TeamRemovals::SchoolId), (Schools::Table, Schools::Id))),
            false,
        ))
        .await?;
        m.create_index(index("ux_team_removals_membership", TeamRemovals::Table, &["membership_id"], true)).await?;
        m.create_index(index("ix_team_removals_semester", TeamRemovals::Table, &["district_id", "semester_id"], false))
            .await?;

        m.create_table(timestamps(
            Table::create()
                .table(Notices::Table)
                .col(big_pk_auto(Notices::Id))
                .col(big_integer(Notices::DistrictId))
                .col(big_integer(Notices::SchoolId))
                .col(string_len(Notices::Kind, 32))
                .col(string_len(Notices::Title, 200))
                .col(text(Notices::Body))
                .col(big_integer_null(Notices::TeacherId))
                .col(big_integer_null(Notices::TeamRemovalId))
                .foreign_key(&mut fk((Notices::Table, Notices::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Notices::Table, Notices::SchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk((Notices::Table, Notices::TeacherId), (Teachers::Table, Teachers::Id)))
                .foreign_key(&mut fk(
                    (Notices::Table, Notices::TeamRemovalId),
                    (TeamRemovals::Table, TeamRemovals::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index("ix_notices_school", Notices::Table, &["school_id", "id"], false)).await?;

        let db = m.get_connection();
        for a in &AUDITED {
            let statements = match db.get_database_backend() {
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
        if db.get_database_backend() == DatabaseBackend::Postgres {
            // Dropping a table drops its triggers; the functions stay unless dropped.
            for a in &AUDITED {
                for suffix in ["", "_insert", "_delete"] {
                    db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS jy_audit_{}{suffix}() CASCADE", a.table))
                        .await?;
                }
            }
        }
        for table in
            [Notices::Table.into_iden(), TeamRemovals::Table.into_iden(), TeamAttendancePolicies::Table.into_iden()]
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
enum Teachers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GroupMemberships {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Semesters {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TeamAttendancePolicies {
    Table,
    Id,
    DistrictId,
    AbsenceNumerator,
    AbsenceDenominator,
    LeaveCountsAsAbsence,
    AutomaticAtSemesterEnd,
}

#[derive(DeriveIden)]
enum TeamRemovals {
    Table,
    Id,
    DistrictId,
    GroupId,
    SemesterId,
    MembershipId,
    TeacherId,
    SchoolId,
    Reason,
    Held,
    Attended,
    Absent,
    OnLeave,
    AbsenceNumerator,
    AbsenceDenominator,
    LeaveCountsAsAbsence,
    Automatic,
    ConfirmedByUserId,
    RemovedOn,
    Note,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    DistrictId,
    SchoolId,
    Kind,
    Title,
    Body,
    TeacherId,
    TeamRemovalId,
}
