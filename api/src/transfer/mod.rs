//! Moving a whole database between engines: `jiaoyan export --out FILE` writes every table the
//! migrations created to one streaming file, `jiaoyan import --in FILE` loads it into an empty
//! database of either engine (docs/MOVING.md: the file, the guarantees, the steps).
//!
//! - `rules.rs`: the one conversion table between the engines' types and the file's, the table
//!   order, the migration check, batch sizes (pure, unit-tested);
//! - `format.rs`: the file's lines, written and read one at a time, with the checksum;
//! - `schema.rs`: the tables, columns, keys and sequences, read from the database itself;
//! - `queries.rs`: keyset reads, batched inserts, triggers and sequences;
//! - `export.rs`, `import.rs`: the two commands; `progress.rs`: the bars.
//!
//! A command-line tool, not an area: no route, and its errors (`anyhow`) end the process with a
//! message instead of becoming problem+json.

pub mod export;
pub mod format;
pub mod import;
pub mod progress;
pub mod queries;
pub mod rules;
pub mod schema;

use std::path::Path;

pub use export::{export, Exported};
pub use import::{import, Imported};
pub use progress::Progress;

use crate::config::Settings;

/// `jiaoyan export --out FILE`: the database of `DATABASE_URL`, as it is (never migrated).
pub async fn export_command(settings: &Settings, out: &Path) -> anyhow::Result<()> {
    let db = crate::db::connect(&settings.database_url).await?;
    let exported = export(&db, &settings.database_url, out, &Progress::on_terminal()).await;
    crate::db::close(db).await?;
    let exported = exported?;
    let rows: u64 = exported.tables.iter().map(|(_, n)| n).sum();
    println!(
        "exported {rows} rows of {} tables (change version {}) to {}",
        exported.tables.len(),
        exported.change_version,
        out.display()
    );
    Ok(())
}

/// `jiaoyan import --in FILE`: into the empty database of `DATABASE_URL`, which it migrates.
pub async fn import_command(settings: &Settings, input: &Path) -> anyhow::Result<()> {
    settings.check()?;
    let db = crate::db::connect(&settings.database_url).await?;
    // Like a starting service: replicas started meanwhile wait (PostgreSQL).
    let lock = crate::db::start_lock(&settings.database_url).await?;
    let imported = import(&db, &settings.database_url, input, &Progress::on_terminal()).await;
    crate::db::release_start_lock(lock).await?;
    crate::db::close(db).await?;
    let imported = imported?;
    let rows: u64 = imported.tables.iter().map(|(_, n)| n).sum();
    println!(
        "imported {rows} rows of {} tables; the change feed continues after version {}",
        imported.tables.len(),
        imported.change_version
    );
    Ok(())
}
