//! Days of a mentorship pair and of a teacher at their school (docs/API-DESIGN.md, "Quota checks",
//! partial presence): a pair formed in week 7 or ended early is judged only over the days it ran.
//! Existing pairs take their first semester's first day and their last semester's last day; a pair
//! terminated before ends on the day it was last changed (within its days).
//!
//! Both columns are added empty, filled from the semesters, then made required on PostgreSQL.
//! SQLite cannot add a constraint to an existing column; there they stay nullable in the file
//! and every write sets them (the entity types them as required).

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

/// A teacher's days at their school: `joined_on` (set by a move) and `left_on` (set when they
/// are transferred or retire), both empty for existing teachers (there all along).
const TEACHER_COLUMNS: [&str; 2] = ["joined_on", "left_on"];

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "mentorships";
const COLUMNS: [(&str, &str, &str); 2] =
    [("start_date", "start_semester_id", "start_date"), ("end_date", "end_semester_id", "end_date")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (column, _, _) in COLUMNS {
            m.alter_table(Table::alter().table(Alias::new(TABLE)).add_column(date_null(Alias::new(column))).take())
                .await?;
        }
        let db = m.get_connection();
        for (column, semester, day) in COLUMNS {
            db.execute_unprepared(&format!(
                "UPDATE {TABLE} SET {column} = (SELECT s.{day} FROM semesters s WHERE s.id = {TABLE}.{semester})"
            ))
            .await?;
        }
        // A pair terminated before this migration ended on the day it was last changed.
        let day = match db.get_database_backend() {
            DatabaseBackend::Postgres => "CAST(updated_at AS date)",
            _ => "substr(updated_at, 1, 10)",
        };
        let (least, greatest) = match db.get_database_backend() {
            DatabaseBackend::Postgres => ("LEAST", "GREATEST"),
            _ => ("MIN", "MAX"),
        };
        db.execute_unprepared(&format!(
            "UPDATE {TABLE} SET end_date = {least}({greatest}({day}, start_date), end_date) WHERE status = 'terminated'"
        ))
        .await?;
        for column in TEACHER_COLUMNS {
            m.alter_table(
                Table::alter().table(Alias::new("teachers")).add_column(date_null(Alias::new(column))).take(),
            )
            .await?;
        }
        if db.get_database_backend() == DatabaseBackend::Postgres {
            for (column, _, _) in COLUMNS {
                db.execute_unprepared(&format!("ALTER TABLE {TABLE} ALTER COLUMN {column} SET NOT NULL")).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in TEACHER_COLUMNS {
            m.alter_table(Table::alter().table(Alias::new("teachers")).drop_column(Alias::new(column)).take()).await?;
        }
        for (column, _, _) in COLUMNS {
            m.alter_table(Table::alter().table(Alias::new(TABLE)).drop_column(Alias::new(column)).take()).await?;
        }
        Ok(())
    }
}
