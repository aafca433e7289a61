//! PostgreSQL: change versions from a sequence instead of updating the counter row.
//!
//! Migration 4 took each version with `UPDATE change_counter SET value = value + 1`. On
//! PostgreSQL every update of a row leaves a new row version that, inside one transaction, cannot
//! be pruned, so the n-th update of the counter in a transaction walks past n-1 dead versions: a
//! bulk sync of 10,000 teachers (some 60,000 versions with their subjects, grades, posts and
//! honours) took minutes. `nextval` costs the same every time.
//!
//! Order is kept by the same lock as before: every writing transaction holds the counter row
//! (`FOR UPDATE`, taken by `db::begin_write` and by the statement-level `jy_lock` triggers) from
//! its first write to its commit, so transactions take versions one after the other and commit in
//! that order. A rolled-back transaction leaves a gap, which readers never see: the newest
//! version is the highest one in the log (`changes::newest_version`), not the sequence.
//!
//! SQLite keeps the counter row: its writers are serialised and it updates rows in place.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::prelude::*;

use crate::m20261201_000004_district_sync::PG_FUNCTIONS;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SEQUENCE_FUNCTIONS: &str = r#"
CREATE SEQUENCE change_version_seq;
SELECT setval('change_version_seq', GREATEST(n, 1), n > 0)
  FROM (SELECT GREATEST(c.value, COALESCE((SELECT MAX(change_version) FROM change_log), 0)) AS n
          FROM change_counter c WHERE c.id = 1) latest;

CREATE OR REPLACE FUNCTION jy_record_change(kind text, rid bigint, district bigint, school bigint,
                                            sourced text, is_deleted boolean) RETURNS void AS $$
DECLARE v bigint := nextval('change_version_seq');
BEGIN
  INSERT INTO change_log (resource_type, resource_id, change_version, deleted, district_id, school_id,
                          sourced_id, changed_at)
  VALUES (kind, rid, v, is_deleted, district, school, sourced, EXTRACT(EPOCH FROM clock_timestamp())::bigint)
  ON CONFLICT (resource_type, resource_id) DO UPDATE SET
    change_version = EXCLUDED.change_version, deleted = EXCLUDED.deleted, district_id = EXCLUDED.district_id,
    school_id = EXCLUDED.school_id, sourced_id = EXCLUDED.sourced_id, changed_at = EXCLUDED.changed_at;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION jy_touch_change(kind text, rid bigint) RETURNS void AS $$
BEGIN
  UPDATE change_log SET change_version = nextval('change_version_seq'),
                        changed_at = EXTRACT(EPOCH FROM clock_timestamp())::bigint
   WHERE resource_type = kind AND resource_id = rid;
END $$ LANGUAGE plpgsql;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(SEQUENCE_FUNCTIONS).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "UPDATE change_counter SET value = GREATEST(value, (SELECT COALESCE(MAX(change_version), 0) \
                 FROM change_log)) WHERE id = 1",
            )
            .await?;
            db.execute_unprepared(PG_FUNCTIONS).await?;
            db.execute_unprepared("DROP SEQUENCE change_version_seq").await?;
        }
        Ok(())
    }
}
