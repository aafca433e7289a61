//! `jiaoyan import`: a file written by `export` into an empty database, in one transaction (a
//! failed import leaves the database as empty as it found it), read a line at a time and inserted
//! in batches of bounded size.

use std::path::Path;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait, Value};

use super::format::{Header, Line, Reader, TableHeader};
use super::progress::Progress;
use super::queries;
use super::rules::{self, Engine, FILLED_BY_MIGRATIONS, FORMAT_VERSION};
use super::schema::{self, Table};

/// What an import loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub tables: Vec<(String, u64)>,
    pub change_version: i64,
}

/// Loads the file at `path` into `db` (at `database_url`): migrates it to the file's migrations,
/// refuses it unless empty, imports, then applies this binary's later migrations.
pub async fn import(
    db: &DatabaseConnection,
    database_url: &str,
    path: &Path,
    progress: &Progress,
) -> anyhow::Result<Imported> {
    let mut reader = Reader::open(path)?;
    let header = match reader.next_line()? {
        Some(Line::Header(header)) => header,
        _ => anyhow::bail!("{} is not a Jiaoyan export (no header line)", path.display()),
    };
    anyhow::ensure!(
        header.format == FORMAT_VERSION,
        "the file is in format {} and this binary reads format {FORMAT_VERSION}: import it with the version that wrote it ({})",
        header.format,
        header.written_by
    );
    migrate_to(db, &header).await?;
    let tables = schema::tables(db).await?;
    if let Some(table) = queries::first_filled_table(db, &tables).await? {
        anyhow::bail!(
            "DATABASE_URL is not empty (table {table} has rows): import only into a new database, never served \
             (serving creates the first administrator) — a new PostgreSQL database (createdb) or a new SQLite file"
        );
    }
    let txn = begin(db).await?;
    let held = queries::hold_triggers(&txn, &tables).await?;
    let mut load = Load { txn: &txn, tables: &tables, order: Vec::new(), deferred: Vec::new(), sequences: Vec::new() };
    let counts = load.all(&mut reader, progress).await?;
    let (deferred, sequences) = (std::mem::take(&mut load.deferred), std::mem::take(&mut load.sequences));
    queries::check_foreign_keys(&txn).await?;
    for (table, constraint) in &deferred {
        queries::pg_defer(&txn, table, constraint, false).await?;
    }
    queries::continue_sequences(&txn, &sequences, header.change_version).await?;
    queries::restore_triggers(&txn, held).await?;
    keep_secret(&txn, database_url).await?;
    txn.commit().await.context("committing the import")?;
    // Migrations newer than the file transform its rows as they would have the source's.
    crate::db::migrate(db).await?;
    Ok(Imported { tables: counts, change_version: header.change_version })
}

/// Applies the file's migrations (and no later one yet) to the database.
async fn migrate_to(db: &DatabaseConnection, header: &Header) -> anyhow::Result<()> {
    let binary: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
    let wanted = rules::migrations_to_apply(&header.migrations, &binary).map_err(anyhow::Error::msg)?;
    let applied = schema::applied_migrations(db).await.map(|m| m.len()).unwrap_or(0);
    anyhow::ensure!(
        applied <= wanted,
        "DATABASE_URL is migrated further ({applied} migrations) than the file ({wanted}): import into a new database"
    );
    if wanted > applied {
        Migrator::up(db, Some((wanted - applied) as u32)).await?;
    }
    crate::db::audit_context::reset(db).await?;
    Ok(())
}

async fn begin(db: &DatabaseConnection) -> anyhow::Result<DatabaseTransaction> {
    Ok(match schema::engine(db) {
        // The file's one writer connection, `BEGIN IMMEDIATE`.
        Engine::Sqlite => crate::db::begin_write(db).await.map_err(|e| anyhow::anyhow!("{e}"))?,
        Engine::Postgres => db.begin().await?,
    })
}

/// The state of one import transaction as it reads the file.
struct Load<'a> {
    txn: &'a DatabaseTransaction,
    tables: &'a [Table],
    /// The tables of the file so far, in its order.
    order: Vec<String>,
    /// PostgreSQL foreign keys made checked-at-commit: (table, constraint).
    deferred: Vec<(String, String)>,
    /// Each table's sequence in the source.
    sequences: Vec<(String, Option<i64>)>,
}

impl Load<'_> {
    /// Every table of the file; the row counts, checked against the trailer.
    async fn all(&mut self, reader: &mut Reader, progress: &Progress) -> anyhow::Result<Vec<(String, u64)>> {
        let mut counts: Vec<(String, u64)> = Vec::new();
        let mut line = reader.next_line()?;
        loop {
            match line {
                Some(Line::Table(header)) => {
                    let (count, next) = self.table(reader, &header, progress).await?;
                    counts.push((header.name.clone(), count));
                    line = next;
                }
                Some(Line::End(trailer)) => {
                    anyhow::ensure!(trailer.tables == counts, "the file's trailer does not count the rows read");
                    anyhow::ensure!(reader.next_line()?.is_none(), "the file goes on after its trailer");
                    return Ok(counts);
                }
                Some(_) => anyhow::bail!("line {} of the file is out of place", reader.line_number),
                None => anyhow::bail!("the file ends before its trailer: it is incomplete"),
            }
        }
    }

    /// One table's rows, up to the next line that is not a row (returned).
    async fn table(
        &mut self,
        reader: &mut Reader,
        header: &TableHeader,
        progress: &Progress,
    ) -> anyhow::Result<(u64, Option<Line>)> {
        let name = &header.name;
        let tables = self.tables;
        let table = tables
            .iter()
            .find(|t| &t.name == name)
            .with_context(|| format!("the file has a table {name} that the migrations did not create"))?;
        for spec in &header.columns {
            let column =
                table.column(&spec.name).with_context(|| format!("{name}.{} is not a column here", spec.name))?;
            anyhow::ensure!(
                column.ty == spec.ty,
                "{name}.{} is {:?} here and {:?} in the file",
                spec.name,
                column.ty,
                spec.ty
            );
        }
        self.order.push(name.clone());
        self.sequences.push((name.clone(), header.sequence));
        self.defer_references(table).await?;
        if FILLED_BY_MIGRATIONS.contains(&name.as_str()) {
            self.txn.execute_unprepared(&format!("DELETE FROM {}", schema::quoted(name))).await?;
        }
        let columns: Vec<String> = header.columns.iter().map(|c| c.name.clone()).collect();
        let batch_size = rules::rows_per_batch(columns.len());
        let bar = progress.table(name, header.rows);
        let mut batch: Vec<Vec<Value>> = Vec::with_capacity(batch_size);
        let mut count = 0;
        let next = loop {
            match reader.next_line()? {
                Some(Line::Row(row)) => {
                    let values = header
                        .columns
                        .iter()
                        .map(|c| rules::to_value(c.ty, row.get(&c.name).unwrap_or(&serde_json::Value::Null)))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| anyhow::anyhow!("line {}: table {name}: {e}", reader.line_number))?;
                    batch.push(values);
                    count += 1;
                    if batch.len() == batch_size {
                        queries::insert(self.txn, name, &columns, std::mem::take(&mut batch)).await?;
                        bar.inc(batch_size as u64);
                    }
                }
                other => break other,
            }
        };
        bar.inc(batch.len() as u64);
        queries::insert(self.txn, name, &columns, batch).await?;
        bar.finish();
        anyhow::ensure!(
            count == header.rows,
            "table {name}: the file has {count} rows, its table line says {}",
            header.rows
        );
        Ok((count, next))
    }

    /// PostgreSQL: the foreign keys of `table` to itself or to a table not yet imported are
    /// checked at commit (SQLite defers them all: `PRAGMA defer_foreign_keys`).
    async fn defer_references(&mut self, table: &Table) -> anyhow::Result<()> {
        if schema::engine(self.txn) != Engine::Postgres {
            return Ok(());
        }
        for fk in &table.foreign_keys {
            if rules::checked_at_commit(&self.order[..self.order.len() - 1], &table.name, &fk.referenced) {
                queries::pg_defer(self.txn, &table.name, &fk.name, true).await?;
                self.deferred.push((table.name.clone(), fk.name.clone()));
            }
        }
        Ok(())
    }
}

/// SQLite keeps a generated JWT secret beside the file, not in `service_secrets`: the imported
/// secret is written there too (owner-only), so that tokens issued before the move stay valid.
async fn keep_secret(txn: &DatabaseTransaction, database_url: &str) -> anyhow::Result<()> {
    if schema::engine(txn) != Engine::Sqlite {
        return Ok(());
    }
    let row = txn
        .query_one_raw(schema::statement(txn, "SELECT value FROM service_secrets WHERE name = 'jwt'", vec![]))
        .await?;
    let (Some(row), Some(path)) = (row, crate::auth::secret::secret_path(database_url)) else { return Ok(()) };
    let secret: String = row.try_get_by_index(0)?;
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing.trim() == secret => Ok(()),
        Ok(_) => anyhow::bail!("{} holds another JWT secret: remove it (it is not this database's)", path.display()),
        Err(_) => crate::auth::secret::write_secret_file(&path, &secret),
    }
}
