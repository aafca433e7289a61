//! The school a teacher left, in the change log.
//!
//! The log has one row per resource, holding the school it belongs to now; the feed serves a
//! school-limited reader (a school's offline front end) the rows of its schools. When a teacher
//! moved to another school, the old school's reader never heard of it again and kept the teacher
//! for ever. `left_school_id` remembers the school the teacher last left, so that its readers get
//! the teacher as a tombstone. It is written by a trigger of its own on a change of
//! `teachers.school_id`, and kept until the next move (a reader that misses two moves of the
//! same teacher in a row misses the first departure — the price of one row per resource).

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SET_LEFT: &str = "UPDATE change_log SET left_school_id = OLD.school_id \
                        WHERE resource_type = 'teachers' AND resource_id = NEW.id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("change_log"))
                .add_column(big_integer_null(Alias::new("left_school_id")))
                .take(),
        )
        .await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION jy_track_teachers_left() RETURNS trigger AS $$ \
                     BEGIN {SET_LEFT}; RETURN NULL; END $$ LANGUAGE plpgsql"
                ))
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER jy_track_left AFTER UPDATE OF school_id ON teachers FOR EACH ROW \
                     WHEN (OLD.school_id IS DISTINCT FROM NEW.school_id) EXECUTE FUNCTION jy_track_teachers_left()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER jy_track_teachers_left AFTER UPDATE OF school_id ON teachers FOR EACH ROW \
                     WHEN OLD.school_id IS NOT NEW.school_id BEGIN {SET_LEFT}; END"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS jy_track_left ON teachers").await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS jy_track_teachers_left()").await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS jy_track_teachers_left").await?;
            }
        }
        m.alter_table(Table::alter().table(Alias::new("change_log")).drop_column(Alias::new("left_school_id")).take())
            .await?;
        Ok(())
    }
}
