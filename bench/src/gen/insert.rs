//! Multi-row INSERTs with explicit ids, chunked under the bind-parameter limits.

use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DbErr, Value};

/// Bind parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;
/// Rows per statement at most, whatever the width.
const MAX_ROWS: usize = 1_000;

/// Rows waiting to be inserted into one table.
pub struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Value>>,
    per_statement: usize,
    /// Rows written so far.
    pub written: u64,
}

impl Batch {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        let per_statement = (MAX_PARAMS / columns.len()).clamp(1, MAX_ROWS);
        Batch { table, columns, rows: Vec::with_capacity(per_statement), per_statement, written: 0 }
    }

    pub fn table(&self) -> &'static str {
        self.table
    }

    /// Queues a row (one value per column, in order), writing a statement when enough are queued.
    pub async fn push(&mut self, db: &impl ConnectionTrait, row: Vec<Value>) -> Result<(), DbErr> {
        assert_eq!(row.len(), self.columns.len(), "a row of {} has one value per column", self.table);
        self.rows.push(row);
        if self.rows.len() >= self.per_statement {
            self.flush(db).await?;
        }
        Ok(())
    }

    /// Queues a row without writing: for child rows whose parents must be written first (see
    /// [`Batch::full`]).
    pub fn queue(&mut self, row: Vec<Value>) {
        assert_eq!(row.len(), self.columns.len(), "a row of {} has one value per column", self.table);
        self.rows.push(row);
    }

    /// Whether a statement's worth of rows is queued.
    pub fn full(&self) -> bool {
        self.rows.len() >= self.per_statement
    }

    /// Writes every queued row.
    pub async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut insert = Query::insert();
        insert.into_table(Alias::new(self.table)).columns(self.columns.iter().map(|c| Alias::new(*c)));
        let n = self.rows.len() as u64;
        for row in self.rows.drain(..) {
            insert.values_panic(row.into_iter().map(Into::into));
        }
        db.execute(&insert).await?;
        self.written += n;
        Ok(())
    }
}
