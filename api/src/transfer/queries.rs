//! The database side of a move: rows read in keyset batches, rows inserted in multi-row
//! batches, the emptiness check, triggers and foreign keys held back while importing, and the
//! sequences set past the imported values.

use anyhow::Context;
use sea_orm::{ConnectionTrait, QueryResult, Value};

use super::rules::{self, base_type, Cell, ColumnType, Engine, FILLED_BY_MIGRATIONS};
use super::schema::{self, engine, placeholder, quoted, statement, Column, OwnedSequence, Table};

fn decode(row: &QueryResult, i: usize, engine: Engine, column: &Column) -> Result<Cell, sea_orm::DbErr> {
    let base = base_type(&column.declared);
    let pg = engine == Engine::Postgres;
    let cell = match column.ty {
        ColumnType::Boolean => row.try_get_by_index::<Option<bool>>(i)?.map(Cell::Boolean),
        ColumnType::Integer if pg && base == "smallint" => {
            row.try_get_by_index::<Option<i16>>(i)?.map(|v| Cell::Integer(v.into()))
        }
        ColumnType::Integer if pg && base == "integer" => {
            row.try_get_by_index::<Option<i32>>(i)?.map(|v| Cell::Integer(v.into()))
        }
        ColumnType::Integer => row.try_get_by_index::<Option<i64>>(i)?.map(Cell::Integer),
        ColumnType::Float if pg && base == "real" => {
            row.try_get_by_index::<Option<f32>>(i)?.map(|v| Cell::Float(v.into()))
        }
        ColumnType::Float => row.try_get_by_index::<Option<f64>>(i)?.map(Cell::Float),
        ColumnType::Text => row.try_get_by_index::<Option<String>>(i)?.map(Cell::Text),
        ColumnType::Timestamp => {
            row.try_get_by_index::<Option<chrono::DateTime<chrono::FixedOffset>>>(i)?.map(Cell::Timestamp)
        }
        ColumnType::Date => row.try_get_by_index::<Option<chrono::NaiveDate>>(i)?.map(Cell::Date),
        ColumnType::Time => row.try_get_by_index::<Option<chrono::NaiveTime>>(i)?.map(Cell::Time),
        ColumnType::Json => row.try_get_by_index::<Option<serde_json::Value>>(i)?.map(Cell::Json),
        ColumnType::Bytes => row.try_get_by_index::<Option<Vec<u8>>>(i)?.map(Cell::Bytes),
    };
    Ok(cell.unwrap_or(Cell::Null))
}

/// A row as the file holds it: column name → value.
pub type FileRow = serde_json::Map<String, serde_json::Value>;

/// The rows of `table` after the primary key `after` (from the start when `None`), at most
/// `limit`, in primary-key order; and the key of the last one, to read on from.
pub async fn read_batch(
    db: &impl ConnectionTrait,
    table: &Table,
    after: Option<Vec<Value>>,
    limit: usize,
) -> anyhow::Result<(Vec<FileRow>, Option<Vec<Value>>)> {
    let engine = engine(db);
    let columns: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let key: Vec<String> = table.primary_key.iter().map(|c| quoted(c)).collect();
    let mut sql = format!("SELECT {} FROM {}", columns.join(", "), quoted(&table.name));
    let values = after.unwrap_or_default();
    if !values.is_empty() {
        let params: Vec<String> = (1..=values.len()).map(|n| placeholder(engine, n)).collect();
        sql += &format!(" WHERE ({}) > ({})", key.join(", "), params.join(", "));
    }
    sql += &format!(" ORDER BY {} LIMIT {limit}", key.join(", "));
    let rows = db.query_all_raw(statement(db, &sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut file_row = FileRow::new();
        for (i, column) in table.columns.iter().enumerate() {
            let cell = decode(row, i, engine, column)
                .with_context(|| format!("reading {}.{} ({})", table.name, column.name, column.declared))?;
            let value = rules::to_file(cell).map_err(|e| anyhow::anyhow!("{}.{}: {e}", table.name, column.name))?;
            file_row.insert(column.name.clone(), value);
        }
        out.push(file_row);
    }
    let last = match out.last() {
        Some(row) => Some(key_of(table, row)?),
        None => None,
    };
    Ok((out, last))
}

/// The primary key of a row of the file, as parameters.
fn key_of(table: &Table, row: &FileRow) -> anyhow::Result<Vec<Value>> {
    table
        .primary_key
        .iter()
        .map(|name| {
            let column = table.column(name).context("a key column")?;
            rules::to_value(column.ty, row.get(name).unwrap_or(&serde_json::Value::Null)).map_err(anyhow::Error::msg)
        })
        .collect()
}

pub async fn count(db: &impl ConnectionTrait, table: &str) -> anyhow::Result<u64> {
    let sql = format!("SELECT COUNT(*) FROM {}", quoted(table));
    let row = db.query_one_raw(statement(db, &sql, vec![])).await?.context("COUNT answers a row")?;
    Ok(row.try_get_by_index::<i64>(0)? as u64)
}

/// Inserts `rows` (each in the order of `columns`) into `table` in one statement.
pub async fn insert(
    db: &impl ConnectionTrait,
    table: &str,
    columns: &[String],
    rows: Vec<Vec<Value>>,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let engine = engine(db);
    let names: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
    let mut sql = format!("INSERT INTO {} ({}) VALUES ", quoted(table), names.join(", "));
    let mut n = 0;
    for (i, _) in rows.iter().enumerate() {
        sql += if i == 0 { "(" } else { ", (" };
        for j in 0..columns.len() {
            n += 1;
            if j > 0 {
                sql += ", ";
            }
            sql += &placeholder(engine, n);
        }
        sql += ")";
    }
    let values: Vec<Value> = rows.into_iter().flatten().collect();
    db.execute_raw(statement(db, &sql, values)).await.with_context(|| format!("inserting rows into {table}"))?;
    Ok(())
}

/// The first table holding a row the migrations did not put there, if any.
pub async fn first_filled_table(db: &impl ConnectionTrait, tables: &[Table]) -> anyhow::Result<Option<String>> {
    for table in tables {
        let sql = if FILLED_BY_MIGRATIONS.contains(&table.name.as_str()) {
            // Migration 4's counter row: filled once a version was handed out.
            "SELECT 1 FROM change_counter WHERE value <> 0 OR purged_through <> 0".to_string()
        } else {
            format!("SELECT 1 FROM {} LIMIT 1", quoted(&table.name))
        };
        if db.query_one_raw(statement(db, &sql, vec![])).await?.is_some() {
            return Ok(Some(table.name.clone()));
        }
    }
    Ok(None)
}

/// Triggers held back while the file's rows go in: the change log and the audit trail are
/// imported as they were, not written again.
pub enum HeldTriggers {
    /// SQLite has no way to disable a trigger: they are dropped and made again from their SQL,
    /// inside the import transaction.
    Sqlite(Vec<(String, String)>),
    /// PostgreSQL: `DISABLE TRIGGER USER` on each table (the table owner may; foreign keys stay
    /// on).
    Postgres(Vec<String>),
}

pub async fn hold_triggers(txn: &impl ConnectionTrait, tables: &[Table]) -> anyhow::Result<HeldTriggers> {
    Ok(match engine(txn) {
        Engine::Sqlite => {
            let rows = txn
                .query_all_raw(statement(txn, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'", vec![]))
                .await?;
            let mut held = Vec::new();
            for row in rows {
                let (name, sql): (String, String) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
                txn.execute_unprepared(&format!("DROP TRIGGER {}", quoted(&name))).await?;
                held.push((name, sql));
            }
            txn.execute_unprepared("PRAGMA defer_foreign_keys = ON").await?;
            HeldTriggers::Sqlite(held)
        }
        Engine::Postgres => {
            let names: Vec<String> = tables.iter().map(|t| t.name.clone()).collect();
            for name in &names {
                txn.execute_unprepared(&format!("ALTER TABLE {} DISABLE TRIGGER USER", quoted(name))).await?;
            }
            HeldTriggers::Postgres(names)
        }
    })
}

pub async fn restore_triggers(txn: &impl ConnectionTrait, held: HeldTriggers) -> anyhow::Result<()> {
    match held {
        HeldTriggers::Sqlite(triggers) => {
            for (_, sql) in triggers {
                txn.execute_unprepared(&sql).await?;
            }
        }
        HeldTriggers::Postgres(tables) => {
            for name in tables {
                txn.execute_unprepared(&format!("ALTER TABLE {} ENABLE TRIGGER USER", quoted(&name))).await?;
            }
        }
    }
    Ok(())
}

/// PostgreSQL: makes the foreign key `constraint` of `table` checked at commit (or back).
pub async fn pg_defer(txn: &impl ConnectionTrait, table: &str, constraint: &str, deferred: bool) -> anyhow::Result<()> {
    let how = if deferred { "DEFERRABLE INITIALLY DEFERRED" } else { "NOT DEFERRABLE" };
    txn.execute_unprepared(&format!("ALTER TABLE {} ALTER CONSTRAINT {} {how}", quoted(table), quoted(constraint)))
        .await?;
    Ok(())
}

/// Checks every foreign key now: PostgreSQL's deferred ones, SQLite's whole database (its
/// deferred keys would only fail the commit, without saying where).
pub async fn check_foreign_keys(txn: &impl ConnectionTrait) -> anyhow::Result<()> {
    match engine(txn) {
        Engine::Postgres => {
            txn.execute_unprepared("SET CONSTRAINTS ALL IMMEDIATE").await?;
        }
        Engine::Sqlite => {
            let rows = txn
                .query_all_raw(statement(txn, "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check", vec![]))
                .await?;
            if let Some(row) = rows.first() {
                let (table, rowid, parent): (String, Option<i64>, String) =
                    (row.try_get_by_index(0)?, row.try_get_by_index(1)?, row.try_get_by_index(2)?);
                anyhow::bail!(
                    "{} rows refer to rows that are not in the file (first: {table} rowid {rowid:?} → {parent})",
                    rows.len()
                );
            }
        }
    }
    Ok(())
}

/// Sets the sequences past the imported values: each table's id sequence to the highest of its
/// highest id and the source's sequence (`sequences`: table → the source's last id), and the
/// change version past `change_version` — PostgreSQL's `change_version_seq` (migration 5, read by
/// `jy_settled_version`), SQLite's counter row.
pub async fn continue_sequences(
    txn: &impl ConnectionTrait,
    sequences: &[(String, Option<i64>)],
    change_version: i64,
) -> anyhow::Result<()> {
    let source = |table: &str| sequences.iter().find(|(t, _)| t == table).and_then(|(_, s)| *s).unwrap_or(0);
    match engine(txn) {
        Engine::Postgres => {
            let (owned, free) = schema::pg_sequences(txn).await?;
            for OwnedSequence { sequence, table, column } in owned {
                let sql = format!(
                    "SELECT setval($1::regclass, v, true) FROM (SELECT GREATEST(COALESCE(MAX({}), 0), $2) AS v FROM {}) x WHERE v > 0",
                    quoted(&column),
                    quoted(&table)
                );
                let values = vec![quoted(&sequence).into(), source(&table).into()];
                txn.query_one_raw(statement(txn, &sql, values)).await?;
            }
            for sequence in free {
                anyhow::ensure!(
                    sequence == "change_version_seq",
                    "sequence {sequence} belongs to no column and is not the change version: this binary does not know how to continue it"
                );
                let sql = "SELECT setval('change_version_seq', v, true) FROM (SELECT GREATEST($1, \
                           (SELECT COALESCE(MAX(change_version), 0) FROM change_log), \
                           (SELECT GREATEST(value, purged_through) FROM change_counter WHERE id = 1)) AS v) x WHERE v > 0";
                txn.query_one_raw(statement(txn, sql, vec![change_version.into()])).await?;
            }
        }
        Engine::Sqlite => {
            if schema::sqlite_has_sequences(txn).await? {
                for (table, seq) in sequences.iter().filter_map(|(t, s)| s.map(|s| (t, s))) {
                    let sql = "INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 \
                               WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)";
                    txn.execute_raw(statement(txn, sql, vec![table.into(), table.into()])).await?;
                    let sql = "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?";
                    txn.execute_raw(statement(txn, sql, vec![seq.into(), table.into()])).await?;
                }
            }
            let sql = "UPDATE change_counter SET value = MAX(value, ?) WHERE id = 1";
            txn.execute_raw(statement(txn, sql, vec![change_version.into()])).await?;
        }
    }
    Ok(())
}
