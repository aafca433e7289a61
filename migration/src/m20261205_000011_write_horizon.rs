//! PostgreSQL: writers without a global lock, and a change feed that still never skips a change.
//!
//! Until now every writing transaction locked the change counter row from its first write to its
//! commit (migrations 4 and 5), so versions from `change_version_seq` became visible in the order
//! they were handed out — and a 10,000-record sync held up every other write of the installation
//! while it ran. Without that lock two transactions can commit in the opposite order of their
//! versions, and a feed reader that saw the later one could move past the earlier one for ever.
//!
//! Instead each writing transaction now *registers*: before it takes any version it draws one
//! from the sequence itself (`r`, never used for a change: a gap) and holds a shared advisory
//! lock keyed by `r` until it ends. Every version it takes afterwards is above `r`. The feed's
//! horizon (`jy_settled_version`) is the sequence's last value, lowered to the smallest key still
//! locked; read in that order, before the feed's snapshot is taken, every version at or below it
//! belongs to a transaction that had already ended, so the snapshot shows it if it committed.
//! Shared locks never wait for each other: registering costs one `nextval` and one lock-table
//! entry, and blocks nobody.
//!
//! `db::begin_write` registers in its first statement; the statement-level `jy_lock` triggers of
//! migration 4 (before any statement touches a tracked row) now register too, once per
//! transaction, so a write outside `begin_write` (a fixture, a manual fix) is covered as well.
//!
//! SQLite is unchanged: its writers take turns on the file's one write lock.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE OR REPLACE FUNCTION jy_register_writer() RETURNS void AS $$
BEGIN
  IF current_setting('jiaoyan.writer', true) IS DISTINCT FROM 'on' THEN
    -- The single-bigint form (pg_locks.objsubid = 1) is reserved for this.
    PERFORM pg_advisory_xact_lock_shared(nextval('change_version_seq'));
    PERFORM set_config('jiaoyan.writer', 'on', true);
  END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION jy_lock_counter() RETURNS trigger AS $$
BEGIN
  PERFORM jy_register_writer();
  RETURN NULL;
END $$ LANGUAGE plpgsql;

-- The highest version below which no running writer can still commit a change. Read before the
-- snapshot that serves it: first the sequence, then the registered writers.
CREATE OR REPLACE FUNCTION jy_settled_version() RETURNS bigint AS $$
DECLARE
  issued bigint;
  oldest bigint;
BEGIN
  SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO issued FROM change_version_seq;
  SELECT min(l.classid::bigint * 4294967296 + l.objid::bigint) INTO oldest
    FROM pg_locks l
   WHERE l.locktype = 'advisory' AND l.objsubid = 1
     AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database());
  RETURN LEAST(issued, COALESCE(oldest, issued));
END $$ LANGUAGE plpgsql VOLATILE;
"#;

const DOWN: &str = r#"
DROP FUNCTION IF EXISTS jy_settled_version();
CREATE OR REPLACE FUNCTION jy_lock_counter() RETURNS trigger AS $$
BEGIN
  PERFORM 1 FROM change_counter WHERE id = 1 FOR UPDATE;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP FUNCTION IF EXISTS jy_register_writer();
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(UP).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(DOWN).await?;
        }
        Ok(())
    }
}
