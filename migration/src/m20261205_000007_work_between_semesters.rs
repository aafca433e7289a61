//! Work dated between semesters (docs/API-DESIGN.md, "Work between semesters"): `records.semester_id` and
//! `observations.semester_id` may be NULL.
//!
//! A reading note written in the winter holiday lies in no semester. It is stored without one
//! and counts for school-year rules and date ranges, not for semester rules.
//!
//! PostgreSQL drops the NOT NULL constraints. SQLite cannot alter a column, so each table is
//! rebuilt as its documentation describes ("Making Other Kinds Of Table Schema Changes"), in the
//! migration's one transaction: the table's CREATE statement, indexes, triggers and
//! AUTOINCREMENT counter are read from `sqlite_master` and `sqlite_sequence`; the rows are copied
//! to a temporary table; the table is dropped and created again from its own statement with the
//! constraint edited; the rows come back; the indexes and triggers are created again from their
//! own statements; the counter is restored, so that ids are never reused. Foreign keys are
//! deferred to the commit (`PRAGMA defer_foreign_keys`, allowed inside a transaction, unlike
//! `foreign_keys`): dropping the table orphans the rows that reference it (co-authors, records
//! naming an observation) until its rows come back, which SQLite counts down again. The drop
//! fires no trigger and the copy is back before the triggers are, so the change log is untouched.
//!
//! `down` puts the constraints back and refuses (naming the count) while any row has no semester:
//! those rows cannot be given one that does not exist.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TryGetable};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose `semester_id` becomes nullable; observations first (records reference them).
const TABLES: [&str; 2] = ["observations", "records"];

/// The column as migration 2 wrote it into SQLite's schema, and as it becomes (written as
/// sea-query writes a nullable column).
const NOT_NULL: &str = "\"semester_id\" integer NOT NULL";
const NULLABLE: &str = "\"semester_id\" integer NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend: SQLite's rebuild must not be seen half done, and its
    /// statements must run on one connection.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                for table in TABLES {
                    db.execute_unprepared(&format!("ALTER TABLE {table} ALTER COLUMN semester_id DROP NOT NULL"))
                        .await?;
                }
            }
            _ => {
                for table in TABLES {
                    sqlite_rebuild(db, table, NOT_NULL, NULLABLE).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for table in TABLES {
            let without: i64 = one(db, &format!("SELECT COUNT(*) FROM {table} WHERE semester_id IS NULL"), &[]).await?;
            if without > 0 {
                return Err(DbErr::Migration(format!(
                    "{without} {table} are dated outside every semester (semester_id NULL); \
                     delete them or add semesters that contain them before rolling back"
                )));
            }
        }
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                for table in TABLES {
                    db.execute_unprepared(&format!("ALTER TABLE {table} ALTER COLUMN semester_id SET NOT NULL"))
                        .await?;
                }
            }
            _ => {
                for table in TABLES {
                    sqlite_rebuild(db, table, NULLABLE, NOT_NULL).await?;
                }
            }
        }
        Ok(())
    }
}

/// The first column of the one row `sql` returns.
async fn one<T: TryGetable>(db: &impl ConnectionTrait, sql: &str, values: &[&str]) -> Result<T, DbErr> {
    let statement = Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        values.iter().map(|v| sea_orm::Value::from(String::from(*v))),
    );
    let row = db.query_one_raw(statement).await?.ok_or_else(|| DbErr::Migration(format!("no row: {sql}")))?;
    row.try_get_by_index(0).map_err(|e| DbErr::Migration(format!("{sql}: {e:?}")))
}

/// Every `sql` column `query` returns.
async fn texts(db: &impl ConnectionTrait, sql: &str, table: &str) -> Result<Vec<String>, DbErr> {
    let statement = Statement::from_sql_and_values(db.get_database_backend(), sql, [table.into()]);
    db.query_all_raw(statement)
        .await?
        .into_iter()
        .map(|row| row.try_get_by_index(0).map_err(|e| DbErr::Migration(format!("{sql}: {e:?}"))))
        .collect()
}

/// Rebuilds SQLite table `table` with `from` replaced by `to` in its CREATE statement (see the
/// module documentation). Must run inside a transaction.
async fn sqlite_rebuild(db: &impl ConnectionTrait, table: &str, from: &str, to: &str) -> Result<(), DbErr> {
    let create: String = one(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", &[table]).await?;
    if create.matches(from).count() != 1 {
        return Err(DbErr::Migration(format!("{table}: expected `{from}` once in {create}")));
    }
    let create = create.replacen(from, to, 1);
    let attached = texts(
        db,
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        table,
    )
    .await?;
    let counter = texts(db, "SELECT CAST(seq AS TEXT) FROM sqlite_sequence WHERE name = ?", table).await?;

    db.execute_unprepared("PRAGMA defer_foreign_keys = ON").await?;
    db.execute_unprepared(&format!("CREATE TEMP TABLE jy_rebuild AS SELECT * FROM \"{table}\"")).await?;
    db.execute_unprepared(&format!("DROP TABLE \"{table}\"")).await?;
    db.execute_unprepared(&create).await?;
    db.execute_unprepared(&format!("INSERT INTO \"{table}\" SELECT * FROM temp.jy_rebuild")).await?;
    db.execute_unprepared("DROP TABLE temp.jy_rebuild").await?;
    for statement in &attached {
        db.execute_unprepared(statement).await?;
    }
    if let Some(seq) = counter.first() {
        let seq: i64 = seq.parse().map_err(|e| DbErr::Migration(format!("{table}: sequence {seq}: {e}")))?;
        db.execute_unprepared(&format!("DELETE FROM sqlite_sequence WHERE name = '{table}'")).await?;
        db.execute_unprepared(&format!("INSERT INTO sqlite_sequence (name, seq) VALUES ('{table}', {seq})")).await?;
    }
    Ok(())
}
