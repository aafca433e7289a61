//! `jiaoyan export`: every table of one read snapshot, table after table (each after those it
//! refers to), each read in primary-key batches and written as it is read.

use std::collections::BTreeMap;
use std::path::Path;

use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::format::{ColumnSpec, Header, Line, TableHeader, Writer};
use super::progress::Progress;
use super::queries::{self, FileRow};
use super::rules::{self, Engine, FORMAT_VERSION, MAX_ROWS};
use super::schema::{self, Table};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub tables: Vec<(String, u64)>,
    pub change_version: i64,
}

/// Writes the database `db` (at `database_url`) to `path`.
pub async fn export(
    db: &DatabaseConnection,
    database_url: &str,
    path: &Path,
    progress: &Progress,
) -> anyhow::Result<Exported> {
    // One snapshot for every table: a file never holds half of a write.
    let txn = crate::db::begin_read(db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let engine = schema::engine(&txn);
    let migrations = schema::applied_migrations(&txn).await?;
    let tables = schema::tables(&txn).await?;
    let order = rules::table_order(&tables.iter().map(|t| (t.name.clone(), t.refers())).collect::<BTreeMap<_, _>>());
    let owned = match engine {
        Engine::Postgres => schema::pg_sequences(&txn).await?.0,
        Engine::Sqlite => Vec::new(),
    };
    let change_version = change_version(&txn).await?;
    let mut out = Writer::create(path)?;
    out.write(&Line::Header(Header {
        format: FORMAT_VERSION,
        written_by: format!("jiaoyan {}", env!("CARGO_PKG_VERSION")),
        engine,
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        migrations,
        change_version,
    }))?;
    let extra = extra_rows(&txn, database_url).await?;
    let mut counts = Vec::new();
    for name in &order {
        let table = tables.iter().find(|t| &t.name == name).expect("ordered from the tables");
        let added: Vec<&FileRow> = extra.iter().filter(|(t, _)| t == name).map(|(_, r)| r).collect();
        let rows = queries::count(&txn, name).await? + added.len() as u64;
        out.write(&Line::Table(TableHeader {
            name: name.clone(),
            columns: table.columns.iter().map(|c| ColumnSpec { name: c.name.clone(), ty: c.ty }).collect(),
            primary_key: table.primary_key.clone(),
            rows,
            sequence: schema::sequence_value(&txn, name, &owned).await?,
        }))?;
        let bar = progress.table(name, rows);
        let written = write_rows(&txn, table, &mut out, &bar).await?;
        for row in added {
            out.write(&Line::Row(row.clone()))?;
        }
        bar.finish();
        anyhow::ensure!(written + extra_len(&extra, name) == rows, "table {name} changed while it was read");
        counts.push((name.clone(), rows));
    }
    out.finish(counts.clone())?;
    txn.commit().await?;
    Ok(Exported { tables: counts, change_version })
}

fn extra_len(extra: &[(String, FileRow)], table: &str) -> u64 {
    extra.iter().filter(|(t, _)| t == table).count() as u64
}

async fn write_rows(
    txn: &impl ConnectionTrait,
    table: &Table,
    out: &mut Writer,
    bar: &super::progress::TableBar,
) -> anyhow::Result<u64> {
    let mut after = None;
    let mut written = 0;
    loop {
        let (rows, last) = queries::read_batch(txn, table, after, MAX_ROWS).await?;
        let n = rows.len();
        for row in rows {
            out.write(&Line::Row(row))?;
        }
        written += n as u64;
        bar.inc(n as u64);
        if n < MAX_ROWS {
            return Ok(written);
        }
        after = last;
    }
}

/// The newest change version the source handed out: the change feed's `newest`, and on
/// PostgreSQL the version sequence, which writers also draw from (migration 11) and which may be
/// above every version in the log.
async fn change_version(txn: &impl ConnectionTrait) -> anyhow::Result<i64> {
    let newest = crate::changes::newest_version(txn).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let sequence = match schema::engine(txn) {
        Engine::Postgres => schema::pg_sequence_value(txn, "change_version_seq").await?.unwrap_or(0),
        Engine::Sqlite => 0,
    };
    Ok(newest.max(sequence))
}

/// Rows that are not in the database's tables but move with it: on SQLite, the JWT signing
/// secret generated beside the database file (`<file>.jwt-secret`), as the `service_secrets` row
/// PostgreSQL keeps it in (migration 12), so that tokens issued before the move stay valid.
async fn extra_rows(txn: &impl ConnectionTrait, database_url: &str) -> anyhow::Result<Vec<(String, FileRow)>> {
    if schema::engine(txn) != Engine::Sqlite {
        return Ok(Vec::new());
    }
    let Some(path) = crate::auth::secret::secret_path(database_url) else { return Ok(Vec::new()) };
    let Ok(secret) = std::fs::read_to_string(&path) else { return Ok(Vec::new()) };
    let secret = secret.trim();
    let kept = txn
        .query_one_raw(schema::statement(txn, "SELECT 1 FROM service_secrets WHERE name = 'jwt'", vec![]))
        .await?
        .is_some();
    if secret.is_empty() || kept {
        return Ok(Vec::new());
    }
    let row: FileRow = [("name".to_string(), "jwt".into()), ("value".to_string(), secret.into())].into_iter().collect();
    Ok(vec![("service_secrets".to_string(), row)])
}
