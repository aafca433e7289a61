//! The audit trail (docs/AUDIT.md): who changed what, when, from where and through which operation.
//!
//! - `audit_log`: one row per written row of an audited table, append-only. `old_values` and
//!   `new_values` hold the row's fields before and after: every field for an insert (after) or a
//!   delete (before), only the changed fields for an update. Secret columns (password, secret
//!   and token digests) never appear with their values: inserts and deletes leave them out, an
//!   update that changes one shows `"[redacted]"` on both sides. Bookkeeping columns
//!   (`updated_at`, `last_login_at`, `last_used_at`) are left out, and an update that changes
//!   nothing else records nothing.
//! - Database triggers write it **in the writing transaction**, like the change log (migration
//!   4), so every write path is audited: handlers, the sync's bulk statements, the CSV import,
//!   the demo seed. The caller (actor, client address, request id, operation) reaches the
//!   triggers through a transaction-local setting on PostgreSQL (`jiaoyan.audit`, JSON) and
//!   through the one-row `audit_context` table on SQLite (one writer at a time), which the
//!   application writes first in every writing transaction (`db::begin_write`). Without one the
//!   actor is `system`.
//! - Append-only: UPDATE (and TRUNCATE) of `audit_log` is refused by a trigger, DELETE too unless
//!   the retention prune has raised its flag in its own transaction (`jiaoyan.audit_prune` on
//!   PostgreSQL, `audit_context.pruning` on SQLite).
//!
//! SQLite triggers cannot read a row as a whole, so their JSON is generated here from the table's
//! columns as they are when this migration runs. A later migration that adds a column to an
//! audited table must drop and recreate that table's SQLite audit triggers ([`sqlite_triggers`])
//! for the column to be recorded on SQLite (PostgreSQL records whole rows, `to_jsonb`).

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

use crate::table_parts::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An audited table. `{r}` in the expressions is the row (`NEW`/`OLD`, or a record variable).
pub(crate) struct Audited {
    pub table: &'static str,
    /// The resource type the entries are filed under (the change log's name for it).
    pub kind: &'static str,
    /// The resource id: the row's own id, or the parent's for a part of a resource.
    pub id: &'static str,
    /// Whether the table is a part of another resource (a teacher's subjects ...): its entries
    /// name the table as `part`.
    pub part: bool,
    pub district: &'static str,
    pub school: &'static str,
    /// The teacher who owns the resource (who may read its history), if any.
    pub owner: &'static str,
}

const fn tracked(table: &'static str, kind: &'static str, district: &'static str, school: &'static str) -> Audited {
    Audited { table, kind, id: "{r}.id", part: false, district, school, owner: "NULL" }
}

/// A part of a tracked resource: scoped like its parent, through the parent's change-log row.
const fn part(table: &'static str, kind: &'static str, id: &'static str, owner: &'static str) -> Audited {
    Audited { table, kind, id, part: true, district: "", school: "", owner }
}

pub(crate) const AUDITED: &[Audited] = &[
    tracked("districts", "districts", "{r}.id", "NULL"),
    tracked("zones", "zones", "{r}.district_id", "NULL"),
    tracked("schools", "schools", "{r}.district_id", "{r}.id"),
    tracked("school_pairings", "school_pairings", "{r}.district_id", "{r}.mentor_school_id"),
    tracked("semesters", "semesters", "{r}.district_id", "NULL"),
    Audited {
        owner: "{r}.id",
        ..tracked(
            "teachers",
            "teachers",
            "(SELECT s.district_id FROM schools s WHERE s.id = {r}.school_id)",
            "{r}.school_id",
        )
    },
    tracked("users", "users", "{r}.district_id", "{r}.school_id"),
    tracked("groups", "groups", "{r}.district_id", "{r}.school_id"),
    tracked(
        "group_memberships",
        "memberships",
        "(SELECT g.district_id FROM groups g WHERE g.id = {r}.group_id)",
        "COALESCE((SELECT g.school_id FROM groups g WHERE g.id = {r}.group_id), \
         (SELECT t.school_id FROM teachers t WHERE t.id = {r}.teacher_id))",
    ),
    tracked(
        "weekly_slots",
        "slots",
        "(SELECT g.district_id FROM groups g WHERE g.id = {r}.group_id)",
        "(SELECT g.school_id FROM groups g WHERE g.id = {r}.group_id)",
    ),
    tracked(
        "research_topics",
        "research_topics",
        "(SELECT g.district_id FROM groups g WHERE g.id = {r}.group_id)",
        "(SELECT g.school_id FROM groups g WHERE g.id = {r}.group_id)",
    ),
    tracked("activities", "activities", "{r}.district_id", "{r}.school_id"),
    Audited {
        owner: "{r}.observer_teacher_id",
        ..tracked("observations", "observations", "{r}.district_id", "{r}.observer_school_id")
    },
    tracked("rubrics", "rubrics", "{r}.district_id", "{r}.school_id"),
    Audited { owner: "{r}.author_teacher_id", ..tracked("records", "records", "{r}.district_id", "{r}.school_id") },
    tracked("record_tasks", "record_tasks", "{r}.district_id", "{r}.school_id"),
    tracked("mentorships", "mentorships", "{r}.district_id", "{r}.school_id"),
    tracked("quota_rules", "quota_rules", "{r}.district_id", "{r}.school_id"),
    tracked("api_clients", "api_clients", "{r}.district_id", "NULL"),
    tracked(
        "activity_policies",
        "activity_policies",
        "{r}.district_id",
        "CASE WHEN {r}.scope = 'school' THEN {r}.scope_id END",
    ),
    tracked("mentorship_policies", "mentorship_policies", "{r}.district_id", "{r}.school_id"),
    part("teacher_subjects", "teachers", "{r}.teacher_id", "{r}.teacher_id"),
    part("teacher_grades", "teachers", "{r}.teacher_id", "{r}.teacher_id"),
    part("teacher_posts", "teachers", "{r}.teacher_id", "{r}.teacher_id"),
    part("teacher_honours", "teachers", "{r}.teacher_id", "{r}.teacher_id"),
    part("activity_lessons", "activities", "{r}.activity_id", "NULL"),
    part("activity_participants", "activities", "{r}.activity_id", "NULL"),
    part(
        "record_coauthors",
        "records",
        "{r}.record_id",
        "(SELECT rec.author_teacher_id FROM records rec WHERE rec.id = {r}.record_id)",
    ),
    part("rubric_dimensions", "rubrics", "{r}.rubric_id", "NULL"),
    // A user's calendar feed token (its digest is a secret and never recorded): when it was
    // issued or revoked, filed under the user.
    part("calendar_tokens", "users", "{r}.user_id", "NULL"),
];

/// Columns whose values are never recorded.
pub(crate) const SECRETS: &[&str] = &["password_hash", "secret_hash", "token_hash"];
/// Bookkeeping columns left out of the entries; an update of only these records nothing.
pub(crate) const IGNORED: &[&str] = &["updated_at", "last_login_at", "last_used_at"];

impl Audited {
    fn district(&self, r: &str) -> String {
        if self.part {
            format!(
                "(SELECT l.district_id FROM change_log l WHERE l.resource_type = '{}' AND l.resource_id = {})",
                self.kind,
                self.id(r)
            )
        } else {
            self.district.replace("{r}", r)
        }
    }

    fn school(&self, r: &str) -> String {
        if self.part {
            format!(
                "(SELECT l.school_id FROM change_log l WHERE l.resource_type = '{}' AND l.resource_id = {})",
                self.kind,
                self.id(r)
            )
        } else {
            self.school.replace("{r}", r)
        }
    }

    fn id(&self, r: &str) -> String {
        self.id.replace("{r}", r)
    }

    fn owner(&self, r: &str) -> String {
        self.owner.replace("{r}", r)
    }

    fn part_sql(&self) -> String {
        if self.part {
            format!("'{}'", self.table)
        } else {
            "NULL".into()
        }
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_pk_auto(AuditLog::Id))
                // Unix milliseconds: the same integer on both engines, for filters and retention.
                .col(big_integer(AuditLog::OccurredAt))
                .col(string_len(AuditLog::ActorType, 16))
                .col(big_integer_null(AuditLog::ActorId))
                .col(string_len_null(AuditLog::Address, 64))
                .col(string_len_null(AuditLog::RequestId, 64))
                .col(string_len_null(AuditLog::Operation, 200))
                .col(string_len(AuditLog::Action, 8))
                .col(string_len(AuditLog::ResourceType, 32))
                .col(big_integer(AuditLog::ResourceId))
                .col(string_len_null(AuditLog::Part, 32))
                .col(big_integer_null(AuditLog::DistrictId))
                .col(big_integer_null(AuditLog::SchoolId))
                .col(big_integer_null(AuditLog::OwnerTeacherId))
                .col(json_binary_null(AuditLog::OldValues))
                .col(json_binary_null(AuditLog::NewValues))
                .take(),
        )
        .await?;
        for (name, cols) in [
            ("ix_audit_log_resource", &["resource_type", "resource_id", "id"][..]),
            ("ix_audit_log_district", &["district_id", "id"]),
            ("ix_audit_log_school", &["school_id", "id"]),
            ("ix_audit_log_owner", &["owner_teacher_id", "id"]),
        ] {
            // No index on the actor or the time: every write pays for each index, and those
            // filters run within a scope's index (the prune finds the oldest entry by id).
            m.create_index(index(name, AuditLog::Table, cols, false)).await?;
        }
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(&pg_functions()).await?;
                for a in AUDITED {
                    for statement in pg_triggers(a) {
                        db.execute_unprepared(&statement).await?;
                    }
                }
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TABLE audit_context (id integer NOT NULL PRIMARY KEY, actor_type varchar(16) NOT NULL, \
                     actor_id bigint, address varchar(64), request_id varchar(64), operation varchar(200), \
                     pruning boolean NOT NULL DEFAULT 0)",
                )
                .await?;
                db.execute_unprepared("INSERT INTO audit_context (id, actor_type) VALUES (1, 'system')").await?;
                db.execute_unprepared(
                    "CREATE TRIGGER jy_audit_log_no_update BEFORE UPDATE ON audit_log \
                     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER jy_audit_log_no_delete BEFORE DELETE ON audit_log \
                     WHEN (SELECT pruning FROM audit_context WHERE id = 1) IS NOT 1 \
                     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                )
                .await?;
                for a in AUDITED {
                    let columns = sqlite_columns(db, a.table).await?;
                    for statement in sqlite_triggers(a, &columns) {
                        db.execute_unprepared(&statement).await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                for a in AUDITED {
                    for suffix in ["", "_insert", "_delete"] {
                        let table = a.table;
                        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS jy_audit{suffix} ON {table}")).await?;
                        db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS jy_audit_{table}{suffix}()")).await?;
                    }
                }
                db.execute_unprepared("DROP TRIGGER IF EXISTS jy_audit_guard ON audit_log").await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS jy_audit_guard_truncate ON audit_log").await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS jy_audit_guard()").await?;
                db.execute_unprepared(
                    "DROP FUNCTION IF EXISTS jy_audit_write(text, text, bigint, text, bigint, bigint, bigint, jsonb, jsonb)",
                )
                .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS jy_audit_diff(text, jsonb, jsonb, text[])").await?;
            }
            _ => {
                for a in AUDITED {
                    for op in OPS {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS jy_audit_{}_{}",
                            a.table,
                            op.to_lowercase()
                        ))
                        .await?;
                    }
                }
                db.execute_unprepared("DROP TRIGGER IF EXISTS jy_audit_log_no_update").await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS jy_audit_log_no_delete").await?;
                db.execute_unprepared("DROP TABLE IF EXISTS audit_context").await?;
            }
        }
        m.drop_table(Table::drop().table(AuditLog::Table).to_owned()).await?;
        Ok(())
    }
}

const OPS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

fn sql_list(names: &[&str]) -> String {
    names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
}

/// The shared PostgreSQL functions: the diff of two rows, the entry with the transaction's
/// context, and the append-only guard.
fn pg_functions() -> String {
    format!(
        r#"
CREATE OR REPLACE FUNCTION jy_audit_diff(op text, o jsonb, n jsonb, secrets text[], OUT b jsonb, OUT a jsonb) AS $$
BEGIN
  IF op = 'INSERT' THEN a := n - secrets - ARRAY[{ignored}]; RETURN; END IF;
  IF op = 'DELETE' THEN b := o - secrets - ARRAY[{ignored}]; RETURN; END IF;
  SELECT jsonb_object_agg(e.key, CASE WHEN e.key = ANY(secrets) THEN '"[redacted]"'::jsonb ELSE e.value END),
         jsonb_object_agg(e.key, CASE WHEN e.key = ANY(secrets) THEN '"[redacted]"'::jsonb ELSE n -> e.key END)
    INTO b, a
    FROM jsonb_each(o) e
   WHERE e.key <> ALL(ARRAY[{ignored}]) AND (n -> e.key) IS DISTINCT FROM e.value;
END $$ LANGUAGE plpgsql IMMUTABLE;

CREATE OR REPLACE FUNCTION jy_audit_write(act text, kind text, rid bigint, part text, district bigint, school bigint,
                                          owner bigint, b jsonb, a jsonb) RETURNS void AS $$
DECLARE c jsonb := NULLIF(current_setting('jiaoyan.audit', true), '')::jsonb;
BEGIN
  INSERT INTO audit_log (occurred_at, actor_type, actor_id, address, request_id, operation, action, resource_type,
                         resource_id, part, district_id, school_id, owner_teacher_id, old_values, new_values)
  VALUES ((EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint, COALESCE(c ->> 'actor_type', 'system'),
          (c ->> 'actor_id')::bigint, c ->> 'address', c ->> 'request_id', c ->> 'operation', act, kind, rid, part,
          district, school, owner, b, a);
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION jy_audit_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('jiaoyan.audit_prune', true) = 'on' THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER jy_audit_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION jy_audit_guard();
CREATE TRIGGER jy_audit_guard_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION jy_audit_guard();
"#,
        ignored = sql_list(IGNORED)
    )
}

/// PostgreSQL: inserts and deletes are audited per statement, from its transition table (one
/// `INSERT … SELECT` for a whole multi-row statement of the sync), updates per row (only the
/// changed fields, and none when only bookkeeping columns changed).
pub(crate) fn pg_triggers(a: &Audited) -> Vec<String> {
    let whole_rows = |event: &str, action: &str, rows: &str, old: &str, new: &str| {
        format!(
            "CREATE OR REPLACE FUNCTION jy_audit_{table}_{action}() RETURNS trigger AS $$ \
             DECLARE c jsonb := NULLIF(current_setting('jiaoyan.audit', true), '')::jsonb; \
             BEGIN \
               INSERT INTO audit_log (occurred_at, actor_type, actor_id, address, request_id, operation, action, \
                                      resource_type, resource_id, part, district_id, school_id, owner_teacher_id, \
                                      old_values, new_values) \
               SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint, \
                      COALESCE(c ->> 'actor_type', 'system'), (c ->> 'actor_id')::bigint, c ->> 'address', \
                      c ->> 'request_id', c ->> 'operation', '{action}', '{kind}', {id}, {part}, {district}, \
                      {school}, {owner}, {old}, {new} \
               FROM {rows} jy_row{join}; \
               RETURN NULL; \
             END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER jy_audit_{action} AFTER {event} ON {table} REFERENCING {rows_kind} TABLE AS {rows} \
             FOR EACH STATEMENT EXECUTE FUNCTION jy_audit_{table}_{action}()",
            table = a.table,
            kind = a.kind,
            id = a.id("jy_row"),
            part = a.part_sql(),
            district = if a.part { "l.district_id".into() } else { a.district("jy_row") },
            school = if a.part { "l.school_id".into() } else { a.school("jy_row") },
            owner = a.owner("jy_row"),
            // A part's scope is its parent's, from the change log: one join for the statement.
            join = if a.part {
                format!(
                    " LEFT JOIN change_log l ON l.resource_type = '{}' AND l.resource_id = {}",
                    a.kind,
                    a.id("jy_row")
                )
            } else {
                String::new()
            },
            rows_kind = if event == "INSERT" { "NEW" } else { "OLD" },
        )
    };
    let hidden = format!("ARRAY[{}, {}]::text[]", sql_list(SECRETS), sql_list(IGNORED));
    vec![
        whole_rows("INSERT", "insert", "jy_new", "NULL", &format!("to_jsonb(jy_row) - {hidden}")),
        whole_rows("DELETE", "delete", "jy_old", &format!("to_jsonb(jy_row) - {hidden}"), "NULL"),
        format!(
            "CREATE OR REPLACE FUNCTION jy_audit_{table}() RETURNS trigger AS $$ \
             DECLARE b jsonb; a jsonb; \
             BEGIN \
               SELECT d.b, d.a INTO b, a FROM jy_audit_diff('UPDATE', to_jsonb(OLD), to_jsonb(NEW), \
                                                            ARRAY[{secrets}]::text[]) d; \
               IF b IS NULL THEN RETURN NULL; END IF; \
               PERFORM jy_audit_write('update', '{kind}', {id}, {part}, {district}, {school}, {owner}, b, a); \
               RETURN NULL; \
             END $$ LANGUAGE plpgsql",
            table = a.table,
            secrets = sql_list(SECRETS),
            kind = a.kind,
            id = a.id("NEW"),
            part = a.part_sql(),
            district = a.district("NEW"),
            school = a.school("NEW"),
            owner = a.owner("NEW"),
        ),
        format!(
            "CREATE TRIGGER jy_audit AFTER UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION jy_audit_{table}()",
            table = a.table
        ),
    ]
}

/// A column of an SQLite table, with how its value becomes JSON.
pub(crate) struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    Plain,
    Boolean,
    Json,
    Secret,
}

/// The columns of an SQLite table as they are now, without the ignored ones.
pub(crate) async fn sqlite_columns(db: &SchemaManagerConnection<'_>, table: &str) -> Result<Vec<Column>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid"),
        ))
        .await?;
    let mut columns = Vec::new();
    for row in rows {
        let name: String = row.try_get_by_index(0)?;
        let ty: String = row.try_get_by_index(1)?;
        if IGNORED.contains(&name.as_str()) {
            continue;
        }
        let ty = ty.to_lowercase();
        let kind = if SECRETS.contains(&name.as_str()) {
            ColumnKind::Secret
        } else if ty.starts_with("bool") {
            ColumnKind::Boolean
        } else if ty.starts_with("json") {
            ColumnKind::Json
        } else {
            ColumnKind::Plain
        };
        columns.push(Column { name, kind });
    }
    Ok(columns)
}

/// A value of row `r` as JSON text.
fn sqlite_json_text(c: &Column, r: &str) -> String {
    let v = format!("{r}.\"{}\"", c.name);
    match c.kind {
        ColumnKind::Plain => format!("json_quote({v})"),
        ColumnKind::Boolean => format!("CASE WHEN {v} IS NULL THEN 'null' WHEN {v} THEN 'true' ELSE 'false' END"),
        ColumnKind::Json => format!("COALESCE({v}, 'null')"),
        ColumnKind::Secret => "'\"[redacted]\"'".into(),
    }
}

/// Every (non-secret) field of row `r` as a JSON object.
fn sqlite_whole_row(columns: &[Column], r: &str) -> String {
    let fields: Vec<String> = columns
        .iter()
        .filter(|c| c.kind != ColumnKind::Secret)
        .map(|c| match c.kind {
            // json_object encodes plain values itself.
            ColumnKind::Plain => format!("'{n}', {r}.\"{n}\"", n = c.name),
            _ => format!("'{}', json({})", c.name, sqlite_json_text(c, r)),
        })
        .collect();
    format!("json_object({})", fields.join(", "))
}

/// The changed fields of an update, from row `r` (`OLD` or `NEW`).
fn sqlite_changed(columns: &[Column], r: &str) -> String {
    let rows: Vec<String> = columns
        .iter()
        .map(|c| format!("('{}', {}, OLD.\"{n}\" IS NOT NEW.\"{n}\")", c.name, sqlite_json_text(c, r), n = c.name))
        .collect();
    format!("(SELECT json_group_object(column1, json(column2)) FROM (VALUES {}) WHERE column3)", rows.join(", "))
}

pub(crate) fn sqlite_triggers(a: &Audited, columns: &[Column]) -> Vec<String> {
    OPS.iter()
        .map(|op| {
            let r = if *op == "DELETE" { "OLD" } else { "NEW" };
            let (when, old_values, new_values) = match *op {
                "INSERT" => (String::new(), "NULL".to_string(), sqlite_whole_row(columns, "NEW")),
                "DELETE" => (String::new(), sqlite_whole_row(columns, "OLD"), "NULL".to_string()),
                _ => {
                    let changed: Vec<String> =
                        columns.iter().map(|c| format!("OLD.\"{n}\" IS NOT NEW.\"{n}\"", n = c.name)).collect();
                    (
                        format!("WHEN {}", changed.join(" OR ")),
                        sqlite_changed(columns, "OLD"),
                        sqlite_changed(columns, "NEW"),
                    )
                }
            };
            format!(
                "CREATE TRIGGER jy_audit_{table}_{lower} AFTER {op} ON {table} FOR EACH ROW {when} BEGIN \
                   INSERT INTO audit_log (occurred_at, actor_type, actor_id, address, request_id, operation, action, \
                                          resource_type, resource_id, part, district_id, school_id, owner_teacher_id, \
                                          old_values, new_values) \
                   SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), c.actor_type, c.actor_id, \
                          c.address, c.request_id, c.operation, '{action}', '{kind}', {id}, {part}, {district}, \
                          {school}, {owner}, {old_values}, {new_values} \
                   FROM audit_context c WHERE c.id = 1; \
                 END",
                table = a.table,
                lower = op.to_lowercase(),
                action = op.to_lowercase(),
                kind = a.kind,
                id = a.id(r),
                part = a.part_sql(),
                district = a.district(r),
                school = a.school(r),
                owner = a.owner(r),
            )
        })
        .collect()
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    OccurredAt,
    ActorType,
    ActorId,
    Address,
    RequestId,
    Operation,
    Action,
    ResourceType,
    ResourceId,
    Part,
    DistrictId,
    SchoolId,
    OwnerTeacherId,
    OldValues,
    NewValues,
}
