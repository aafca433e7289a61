//! District systems (docs/API-DESIGN.md, "Machine clients", "Change tracking"): machine clients,
//! source-system ids, and the change log behind the change feed and ETags.
//!
//! - `sourced_id` on zones, schools, semesters, groups and memberships: the id the district's
//!   system knows the row by (teachers already have `external_id`, which plays that part). Unique
//!   in the installation, as OneRoster `sourcedId`s are.
//! - `api_clients`: machine clients of a district, with a hashed secret, scopes and school limits.
//! - `change_log`: one row per tracked resource, holding its latest `change_version`, whether it
//!   is deleted (archived or removed), and the district and school it belongs to (so the feed can
//!   be scoped without the row itself, which a hard delete removes). `change_counter` hands out
//!   the versions.
//! - Triggers keep the log: every insert, update or delete of a tracked table (and of the child
//!   tables that make up a resource, such as a teacher's subjects) takes the next version **in the
//!   writing transaction**, whoever writes — an API handler, the sync, the demo seed or a test
//!   fixture. Nothing in the application can forget to record a change.
//!
//! Why a counter row rather than a sequence: versions must become visible in the order they were
//! handed out, or a client reading the feed while an earlier transaction is still open would skip
//! that transaction's changes for ever. The counter row is locked from the first write to commit,
//! so writing transactions take versions one after the other (SQLite writers are serialised
//! anyway). The application takes the same lock first thing in every writing transaction
//! (`db::begin_write`), and on PostgreSQL a statement-level trigger takes it before any statement
//! touches a tracked row, so the counter is always the first lock and writers queue instead of
//! deadlocking.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A table whose rows are resources of their own in the change log.
pub(crate) struct Tracked {
    /// The resource type in the log (and the feed): the collection's name.
    pub kind: &'static str,
    pub table: &'static str,
    /// SQL for the district and school the row belongs to, and its source-system id; `{r}` is
    /// the row (`NEW`/`OLD` in SQLite triggers, a record variable in PostgreSQL).
    pub district: &'static str,
    pub school: &'static str,
    pub sourced: &'static str,
}

/// Tables whose rows are part of another resource: a write bumps the parent's version.
pub(crate) struct Child {
    pub table: &'static str,
    pub parent_kind: &'static str,
    pub parent_column: &'static str,
}

const TRACKED: &[Tracked] = &[
    Tracked { kind: "districts", table: "districts", district: "{r}.id", school: "NULL", sourced: "NULL" },
    Tracked { kind: "zones", table: "zones", district: "{r}.district_id", school: "NULL", sourced: "{r}.sourced_id" },
    Tracked {
        kind: "schools",
        table: "schools",
        district: "{r}.district_id",
        school: "{r}.id",
        sourced: "{r}.sourced_id",
    },
    Tracked {
        kind: "school_pairings",
        table: "school_pairings",
        district: "{r}.district_id",
        school: "{r}.mentor_school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "semesters",
        table: "semesters",
        district: "{r}.district_id",
        school: "NULL",
        sourced: "{r}.sourced_id",
    },
    Tracked {
        kind: "teachers",
        table: "teachers",
        district: "(SELECT s.district_id FROM schools s WHERE s.id = {r}.school_id)",
        school: "{r}.school_id",
        sourced: "{r}.external_id",
    },
    Tracked { kind: "users", table: "users", district: "{r}.district_id", school: "{r}.school_id", sourced: "NULL" },
    Tracked {
        kind: "groups",
        table: "groups",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "{r}.sourced_id",
    },
    // A district team's membership belongs to the member's school: school staff see only their
    // own school's members of a district team.
    Tracked {
        kind: "memberships",
        table: "group_memberships",
        district: "(SELECT g.district_id FROM groups g WHERE g.id = {r}.group_id)",
        school: "COALESCE((SELECT g.school_id FROM groups g WHERE g.id = {r}.group_id), \
                 (SELECT t.school_id FROM teachers t WHERE t.id = {r}.teacher_id))",
        sourced: "{r}.sourced_id",
    },
    Tracked {
        kind: "slots",
        table: "weekly_slots",
        district: "(SELECT g.district_id FROM groups g WHERE g.id = {r}.group_id)",
        school: "(SELECT g.school_id FROM groups g WHERE g.id = {r}.group_id)",
        sourced: "NULL",
    },
    Tracked {
        kind: "research_topics",
        table: "research_topics",
        district: "(SELECT g.district_id FROM groups g WHERE g.id = {r}.group_id)",
        school: "(SELECT g.school_id FROM groups g WHERE g.id = {r}.group_id)",
        sourced: "NULL",
    },
    Tracked {
        kind: "activities",
        table: "activities",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "observations",
        table: "observations",
        district: "{r}.district_id",
        school: "{r}.observer_school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "rubrics",
        table: "rubrics",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "records",
        table: "records",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "record_tasks",
        table: "record_tasks",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "mentorships",
        table: "mentorships",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
    Tracked {
        kind: "quota_rules",
        table: "quota_rules",
        district: "{r}.district_id",
        school: "{r}.school_id",
        sourced: "NULL",
    },
    Tracked { kind: "api_clients", table: "api_clients", district: "{r}.district_id", school: "NULL", sourced: "NULL" },
];

const CHILDREN: &[Child] = &[
    Child { table: "teacher_subjects", parent_kind: "teachers", parent_column: "teacher_id" },
    Child { table: "teacher_grades", parent_kind: "teachers", parent_column: "teacher_id" },
    Child { table: "teacher_posts", parent_kind: "teachers", parent_column: "teacher_id" },
    Child { table: "teacher_honours", parent_kind: "teachers", parent_column: "teacher_id" },
    Child { table: "activity_lessons", parent_kind: "activities", parent_column: "activity_id" },
    Child { table: "activity_participants", parent_kind: "activities", parent_column: "activity_id" },
    Child { table: "record_coauthors", parent_kind: "records", parent_column: "record_id" },
    Child { table: "rubric_dimensions", parent_kind: "rubrics", parent_column: "rubric_id" },
];

/// Tables that get a `sourced_id`.
const SOURCED: &[&str] = &["zones", "schools", "semesters", "groups", "group_memberships"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in SOURCED {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(*table))
                    .add_column(string_len_null(Alias::new("sourced_id"), 255))
                    .take(),
            )
            .await?;
            m.create_index(index(&format!("ux_{table}_sourced_id"), Alias::new(*table), &["sourced_id"], true)).await?;
        }

        m.create_table(timestamps(
            Table::create()
                .table(ApiClients::Table)
                .col(big_pk_auto(ApiClients::Id))
                .col(big_integer(ApiClients::DistrictId))
                .col(string_len(ApiClients::Name, 100))
                .col(string_len(ApiClients::ClientId, 64))
                .col(string_len(ApiClients::SecretHash, 64))
                .col(json(ApiClients::Scopes))
                .col(json_null(ApiClients::SchoolIds))
                .col(boolean(ApiClients::Disabled))
                .col(big_integer_null(ApiClients::CreatedByUserId))
                .col(timestamp_with_time_zone(ApiClients::SecretIssuedAt))
                .col(timestamp_with_time_zone_null(ApiClients::LastUsedAt))
                .foreign_key(&mut fk((ApiClients::Table, ApiClients::DistrictId), (Districts::Table, Districts::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ux_api_clients_client_id", ApiClients::Table, &["client_id"], true)).await?;
        m.create_index(index("ix_api_clients_district", ApiClients::Table, &["district_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(ChangeLog::Table)
                .col(string_len(ChangeLog::ResourceType, 32))
                .col(big_integer(ChangeLog::ResourceId))
                .col(big_integer(ChangeLog::ChangeVersion))
                .col(boolean(ChangeLog::Deleted))
                .col(big_integer_null(ChangeLog::DistrictId))
                .col(big_integer_null(ChangeLog::SchoolId))
                .col(string_len_null(ChangeLog::SourcedId, 255))
                // Unix seconds: the same integer on both engines, for retention.
                .col(big_integer(ChangeLog::ChangedAt))
                .primary_key(Index::create().col(ChangeLog::ResourceType).col(ChangeLog::ResourceId))
                .take(),
        )
        .await?;
        m.create_index(index("ux_change_log_version", ChangeLog::Table, &["change_version"], true)).await?;
        m.create_index(index(
            "ix_change_log_district_version",
            ChangeLog::Table,
            &["district_id", "change_version"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ChangeCounter::Table)
                .col(integer(ChangeCounter::Id).primary_key())
                .col(big_integer(ChangeCounter::Value))
                .col(big_integer(ChangeCounter::PurgedThrough))
                .take(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared("INSERT INTO change_counter (id, value, purged_through) VALUES (1, 0, 0)").await?;

        let backend = db.get_database_backend();
        if backend == DatabaseBackend::Postgres {
            db.execute_unprepared(PG_FUNCTIONS).await?;
        }
        for t in TRACKED {
            backfill(db, t).await?;
            for statement in tracked_triggers(backend, t) {
                db.execute_unprepared(&statement).await?;
            }
        }
        for c in CHILDREN {
            for statement in child_triggers(backend, c) {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let tables = TRACKED.iter().map(|t| t.table).chain(CHILDREN.iter().map(|c| c.table));
        for table in tables {
            match backend {
                DatabaseBackend::Postgres => {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS jy_track ON {table}")).await?;
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS jy_lock ON {table}")).await?;
                    db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS jy_track_{table}()")).await?;
                }
                _ => {
                    for op in OPS {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS jy_track_{table}_{}",
                            op.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        if backend == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "DROP FUNCTION IF EXISTS jy_record_change(text, bigint, bigint, bigint, text, boolean)",
            )
            .await?;
            db.execute_unprepared("DROP FUNCTION IF EXISTS jy_touch_change(text, bigint)").await?;
            db.execute_unprepared("DROP FUNCTION IF EXISTS jy_lock_counter()").await?;
        }
        m.drop_table(Table::drop().table(ChangeCounter::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ChangeLog::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ApiClients::Table).to_owned()).await?;
        for table in SOURCED {
            m.drop_index(Index::drop().name(format!("ux_{table}_sourced_id")).table(Alias::new(*table)).to_owned())
                .await?;
            m.alter_table(Table::alter().table(Alias::new(*table)).drop_column(Alias::new("sourced_id")).take())
                .await?;
        }
        Ok(())
    }
}

const OPS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

/// Records a change of a tracked row, and bumps a parent's version, in PostgreSQL.
pub(crate) const PG_FUNCTIONS: &str = r#"
CREATE OR REPLACE FUNCTION jy_record_change(kind text, rid bigint, district bigint, school bigint,
                                            sourced text, is_deleted boolean) RETURNS void AS $$
DECLARE v bigint;
BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value INTO v;
  INSERT INTO change_log (resource_type, resource_id, change_version, deleted, district_id, school_id,
                          sourced_id, changed_at)
  VALUES (kind, rid, v, is_deleted, district, school, sourced, EXTRACT(EPOCH FROM clock_timestamp())::bigint)
  ON CONFLICT (resource_type, resource_id) DO UPDATE SET
    change_version = EXCLUDED.change_version, deleted = EXCLUDED.deleted, district_id = EXCLUDED.district_id,
    school_id = EXCLUDED.school_id, sourced_id = EXCLUDED.sourced_id, changed_at = EXCLUDED.changed_at;
END $$ LANGUAGE plpgsql;

-- Taken before a statement touches any row, so that even a single-statement write takes the
-- counter before the row locks it needs (the same order as every writing transaction).
CREATE OR REPLACE FUNCTION jy_lock_counter() RETURNS trigger AS $$
BEGIN
  PERFORM 1 FROM change_counter WHERE id = 1 FOR UPDATE;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION jy_touch_change(kind text, rid bigint) RETURNS void AS $$
DECLARE v bigint;
BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value INTO v;
  UPDATE change_log SET change_version = v, changed_at = EXTRACT(EPOCH FROM clock_timestamp())::bigint
   WHERE resource_type = kind AND resource_id = rid;
END $$ LANGUAGE plpgsql;
"#;

fn row(expr: &str, r: &str) -> String {
    expr.replace("{r}", r)
}

/// The log entries of the rows already there, oldest change first.
async fn backfill(db: &SchemaManagerConnection<'_>, t: &Tracked) -> Result<(), DbErr> {
    let sql = format!(
        "INSERT INTO change_log (resource_type, resource_id, change_version, deleted, district_id, school_id, \
         sourced_id, changed_at) \
         SELECT '{kind}', x.id, c.value + ROW_NUMBER() OVER (ORDER BY x.updated_at, x.id), \
                x.archived_at IS NOT NULL, {district}, {school}, {sourced}, {now} \
         FROM {table} x, change_counter c WHERE c.id = 1",
        kind = t.kind,
        table = t.table,
        district = row(t.district, "x"),
        school = row(t.school, "x"),
        sourced = row(t.sourced, "x"),
        now = now_seconds(db.get_database_backend()),
    );
    db.execute_unprepared(&sql).await?;
    db.execute_unprepared(
        "UPDATE change_counter SET value = (SELECT COALESCE(MAX(change_version), 0) FROM change_log) WHERE id = 1",
    )
    .await?;
    Ok(())
}

fn now_seconds(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => "EXTRACT(EPOCH FROM clock_timestamp())::bigint",
        _ => "CAST(strftime('%s', 'now') AS INTEGER)",
    }
}

/// PostgreSQL: the counter lock before any row lock of the statement.
fn lock_trigger(table: &str) -> String {
    format!(
        "CREATE TRIGGER jy_lock BEFORE INSERT OR UPDATE OR DELETE ON {table} \
         FOR EACH STATEMENT EXECUTE FUNCTION jy_lock_counter()"
    )
}

pub(crate) fn tracked_triggers(backend: DatabaseBackend, t: &Tracked) -> Vec<String> {
    match backend {
        DatabaseBackend::Postgres => vec![
            format!(
                "CREATE OR REPLACE FUNCTION jy_track_{table}() RETURNS trigger AS $$ \
                 DECLARE r {table}%ROWTYPE; \
                 BEGIN \
                   IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF; \
                   PERFORM jy_record_change('{kind}', r.id, {district}, {school}, {sourced}, \
                                            TG_OP = 'DELETE' OR r.archived_at IS NOT NULL); \
                   RETURN NULL; \
                 END $$ LANGUAGE plpgsql",
                table = t.table,
                kind = t.kind,
                district = row(t.district, "r"),
                school = row(t.school, "r"),
                sourced = row(t.sourced, "r"),
            ),
            format!(
                "CREATE TRIGGER jy_track AFTER INSERT OR UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION jy_track_{table}()",
                table = t.table
            ),
            lock_trigger(t.table),
        ],
        _ => OPS
            .iter()
            .map(|op| {
                let r = if *op == "DELETE" { "OLD" } else { "NEW" };
                let deleted = if *op == "DELETE" { "1".to_string() } else { format!("{r}.archived_at IS NOT NULL") };
                format!(
                    "CREATE TRIGGER jy_track_{table}_{lower} AFTER {op} ON {table} FOR EACH ROW BEGIN \
                       UPDATE change_counter SET value = value + 1 WHERE id = 1; \
                       INSERT INTO change_log (resource_type, resource_id, change_version, deleted, district_id, \
                                               school_id, sourced_id, changed_at) \
                       VALUES ('{kind}', {r}.id, (SELECT value FROM change_counter WHERE id = 1), {deleted}, \
                               {district}, {school}, {sourced}, {now}) \
                       ON CONFLICT (resource_type, resource_id) DO UPDATE SET \
                         change_version = excluded.change_version, deleted = excluded.deleted, \
                         district_id = excluded.district_id, school_id = excluded.school_id, \
                         sourced_id = excluded.sourced_id, changed_at = excluded.changed_at; \
                     END",
                    table = t.table,
                    lower = op.to_lowercase(),
                    kind = t.kind,
                    district = row(t.district, r),
                    school = row(t.school, r),
                    sourced = row(t.sourced, r),
                    now = now_seconds(backend),
                )
            })
            .collect(),
    }
}

pub(crate) fn child_triggers(backend: DatabaseBackend, c: &Child) -> Vec<String> {
    match backend {
        DatabaseBackend::Postgres => vec![
            format!(
                "CREATE OR REPLACE FUNCTION jy_track_{table}() RETURNS trigger AS $$ \
                 BEGIN \
                   IF TG_OP = 'DELETE' THEN PERFORM jy_touch_change('{kind}', OLD.{column}); \
                   ELSE PERFORM jy_touch_change('{kind}', NEW.{column}); END IF; \
                   RETURN NULL; \
                 END $$ LANGUAGE plpgsql",
                table = c.table,
                kind = c.parent_kind,
                column = c.parent_column,
            ),
            format!(
                "CREATE TRIGGER jy_track AFTER INSERT OR UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION jy_track_{table}()",
                table = c.table
            ),
            lock_trigger(c.table),
        ],
        _ => OPS
            .iter()
            .map(|op| {
                let r = if *op == "DELETE" { "OLD" } else { "NEW" };
                format!(
                    "CREATE TRIGGER jy_track_{table}_{lower} AFTER {op} ON {table} FOR EACH ROW BEGIN \
                       UPDATE change_counter SET value = value + 1 WHERE id = 1; \
                       UPDATE change_log SET change_version = (SELECT value FROM change_counter WHERE id = 1), \
                              changed_at = {now} \
                        WHERE resource_type = '{kind}' AND resource_id = {r}.{column}; \
                     END",
                    table = c.table,
                    lower = op.to_lowercase(),
                    kind = c.parent_kind,
                    column = c.parent_column,
                    now = now_seconds(backend),
                )
            })
            .collect(),
    }
}

#[derive(DeriveIden)]
enum Districts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    Id,
    DistrictId,
    Name,
    ClientId,
    SecretHash,
    Scopes,
    SchoolIds,
    Disabled,
    CreatedByUserId,
    SecretIssuedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    ResourceType,
    ResourceId,
    ChangeVersion,
    Deleted,
    DistrictId,
    SchoolId,
    SourcedId,
    ChangedAt,
}

#[derive(DeriveIden)]
enum ChangeCounter {
    Table,
    Id,
    Value,
    PurgedThrough,
}
