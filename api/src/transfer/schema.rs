//! What the migrations created, read from the database itself (SQLite's `sqlite_master` and
//! pragmas, PostgreSQL's catalogue): the tables, their columns with their file types, primary
//! keys and foreign keys, and the sequences behind ids and change versions. Nothing here lists a
//! table by name: a table a new migration adds is moved without touching this module.

use std::collections::BTreeSet;

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use super::rules::{self, ColumnType, Engine, NOT_EXPORTED};

/// A column of a table.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    /// As the engine declares it (`varchar(64)`, `integer` ...): how to decode its values.
    pub declared: String,
    pub ty: ColumnType,
}

/// A foreign key of a table.
#[derive(Debug, Clone)]
pub struct ForeignKey {
    /// The constraint's name (PostgreSQL; empty on SQLite, whose keys have none).
    pub name: String,
    pub referenced: String,
}

/// A table the migrations created.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn refers(&self) -> BTreeSet<String> {
        self.foreign_keys.iter().map(|f| f.referenced.clone()).collect()
    }
}

/// The engine of a connection.
pub fn engine(db: &impl ConnectionTrait) -> Engine {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => Engine::Postgres,
        _ => Engine::Sqlite,
    }
}

/// An identifier, quoted for both engines.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The `n`-th (1-based) bind parameter.
pub fn placeholder(engine: Engine, n: usize) -> String {
    match engine {
        Engine::Sqlite => "?".into(),
        Engine::Postgres => format!("${n}"),
    }
}

pub fn statement(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(db.get_database_backend(), sql, values)
}

async fn strings(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> anyhow::Result<Vec<Vec<String>>> {
    let rows = db.query_all_raw(statement(db, sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut fields = Vec::new();
        let mut i = 0;
        while let Ok(field) = row.try_get_by_index::<String>(i) {
            fields.push(field);
            i += 1;
        }
        out.push(fields);
    }
    Ok(out)
}

/// Every table the migrations created, but those [`NOT_EXPORTED`], by name.
pub async fn tables(db: &impl ConnectionTrait) -> anyhow::Result<Vec<Table>> {
    let engine = engine(db);
    let names = match engine {
        Engine::Sqlite => {
            strings(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", vec![])
                .await?
        }
        Engine::Postgres => {
            strings(
                db,
                "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()",
                vec![],
            )
            .await?
        }
    };
    let mut names: Vec<String> = names.into_iter().filter_map(|r| r.into_iter().next()).collect();
    names.retain(|n| !NOT_EXPORTED.contains(&n.as_str()));
    names.sort();
    let mut tables = Vec::new();
    for name in names {
        tables.push(table(db, engine, &name).await.with_context(|| format!("reading the schema of table {name}"))?);
    }
    Ok(tables)
}

async fn table(db: &impl ConnectionTrait, engine: Engine, name: &str) -> anyhow::Result<Table> {
    let (columns, primary_key, foreign_keys) = match engine {
        Engine::Sqlite => {
            let columns = strings(
                db,
                "SELECT name, type, CAST(pk AS TEXT) FROM pragma_table_info(?) ORDER BY cid",
                vec![name.into()],
            )
            .await?;
            let mut pk: Vec<(String, String)> =
                columns.iter().filter(|c| c[2] != "0").map(|c| (c[2].clone(), c[0].clone())).collect();
            pk.sort_by_key(|(position, _)| position.parse::<u32>().unwrap_or(0));
            let fks =
                strings(db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", vec![name.into()]).await?;
            let fks = fks.into_iter().map(|r| ForeignKey { name: String::new(), referenced: r[0].clone() }).collect();
            let columns = columns.into_iter().map(|c| (c[0].clone(), c[1].clone())).collect::<Vec<_>>();
            (columns, pk.into_iter().map(|(_, c)| c).collect::<Vec<_>>(), fks)
        }
        Engine::Postgres => {
            let relation = "(quote_ident(current_schema()) || '.' || quote_ident($1))::regclass";
            let columns = strings(
                db,
                &format!(
                    "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
                     WHERE a.attrelid = {relation} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
                ),
                vec![name.into()],
            )
            .await?;
            let pk = strings(
                db,
                &format!(
                    "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid \
                     AND a.attnum = ANY(i.indkey) WHERE i.indrelid = {relation} AND i.indisprimary \
                     ORDER BY array_position(i.indkey::int2[], a.attnum)"
                ),
                vec![name.into()],
            )
            .await?;
            let fks = strings(
                db,
                &format!(
                    "SELECT c.conname::text, r.relname::text FROM pg_constraint c JOIN pg_class r ON r.oid = c.confrelid \
                     WHERE c.contype = 'f' AND c.conrelid = {relation} ORDER BY c.conname"
                ),
                vec![name.into()],
            )
            .await?;
            let fks = fks.into_iter().map(|r| ForeignKey { name: r[0].clone(), referenced: r[1].clone() }).collect();
            let columns = columns.into_iter().map(|c| (c[0].clone(), c[1].clone())).collect::<Vec<_>>();
            (columns, pk.into_iter().map(|r| r[0].clone()).collect(), fks)
        }
    };
    let columns = columns
        .into_iter()
        .map(|(column, declared)| {
            let ty = rules::column_type(engine, &declared).ok_or_else(|| {
                anyhow::anyhow!("column {name}.{column} has type {declared}, which the conversion table does not know")
            })?;
            Ok(Column { name: column, declared, ty })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    anyhow::ensure!(!primary_key.is_empty(), "table {name} has no primary key: its rows cannot be read in batches");
    Ok(Table { name: name.to_string(), columns, primary_key, foreign_keys })
}

/// A PostgreSQL sequence that hands out a column's values (`bigserial`, identity).
#[derive(Debug, Clone)]
pub struct OwnedSequence {
    pub sequence: String,
    pub table: String,
    pub column: String,
}

/// PostgreSQL: the sequences of id columns, and the names of sequences no column owns (such as
/// `change_version_seq`, migration 5).
pub async fn pg_sequences(db: &impl ConnectionTrait) -> anyhow::Result<(Vec<OwnedSequence>, Vec<String>)> {
    let rows = strings(
        db,
        "SELECT s.relname::text, COALESCE(t.relname::text, ''), COALESCE(a.attname::text, '') \
         FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace \
         LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass \
              AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') \
         LEFT JOIN pg_class t ON t.oid = d.refobjid \
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid \
         WHERE s.relkind = 'S' AND n.nspname = current_schema() ORDER BY 1",
        vec![],
    )
    .await?;
    let mut owned = Vec::new();
    let mut free = Vec::new();
    for r in rows {
        if r[1].is_empty() {
            free.push(r[0].clone());
        } else {
            owned.push(OwnedSequence { sequence: r[0].clone(), table: r[1].clone(), column: r[2].clone() });
        }
    }
    Ok((owned, free))
}

/// The last value a PostgreSQL sequence handed out, if any.
pub async fn pg_sequence_value(db: &impl ConnectionTrait, sequence: &str) -> anyhow::Result<Option<i64>> {
    let sql = format!("SELECT CASE WHEN is_called THEN last_value END FROM {}", quoted(sequence));
    let row = db.query_one_raw(statement(db, &sql, vec![])).await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<i64>>(0)?,
        None => None,
    })
}

/// The last id SQLite's `AUTOINCREMENT` handed out for `table`, if any.
pub async fn sqlite_sequence_value(db: &impl ConnectionTrait, table: &str) -> anyhow::Result<Option<i64>> {
    if !sqlite_has_sequences(db).await? {
        return Ok(None);
    }
    let row =
        db.query_one_raw(statement(db, "SELECT seq FROM sqlite_sequence WHERE name = ?", vec![table.into()])).await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<i64>>(0)?,
        None => None,
    })
}

/// Whether SQLite keeps `AUTOINCREMENT` sequences (`sqlite_sequence` exists once a table uses it).
pub async fn sqlite_has_sequences(db: &impl ConnectionTrait) -> anyhow::Result<bool> {
    Ok(!strings(db, "SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'", vec![]).await?.is_empty())
}

/// The last id handed out for `table` by its own sequence, on either engine.
pub async fn sequence_value(
    db: &impl ConnectionTrait,
    table: &str,
    owned: &[OwnedSequence],
) -> anyhow::Result<Option<i64>> {
    match engine(db) {
        Engine::Sqlite => sqlite_sequence_value(db, table).await,
        Engine::Postgres => match owned.iter().find(|s| s.table == table) {
            Some(s) => pg_sequence_value(db, &s.sequence).await,
            None => Ok(None),
        },
    }
}

/// The migrations applied to the database, in order.
pub async fn applied_migrations(db: &impl ConnectionTrait) -> anyhow::Result<Vec<String>> {
    let rows = strings(db, "SELECT version FROM seaql_migrations ORDER BY version", vec![])
        .await
        .context("the database has no migration table: it is not a Jiaoyan database")?;
    Ok(rows.into_iter().filter_map(|r| r.into_iter().next()).collect())
}
