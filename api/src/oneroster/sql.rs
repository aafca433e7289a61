//! A small SQL text builder with bound values, for the OneRoster queries: they select from a
//! derived table (the collection's "view", see `queries.rs`) with a WHERE built from `filter=`
//! and an ORDER BY built from `sort=`, which sea-query cannot express over a raw sub-select.
//!
//! Every value a client sends is bound, never spliced into the text; only names from our own
//! allow-lists (`fields.rs`) are. Placeholders are `?` on SQLite and `$n` on PostgreSQL.

use sea_orm::{DbBackend, Statement, Value};

pub struct Sql {
    pub backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(backend: DbBackend) -> Sql {
        Sql { backend, text: String::new(), values: Vec::new() }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// `(?, ?, ?)` bound to `values`; `(NULL)` when empty, which matches nothing.
    pub fn bind_list(&mut self, values: &[i64]) -> &mut Self {
        self.push("(");
        if values.is_empty() {
            self.push("NULL");
        }
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(*v);
        }
        self.push(")")
    }

    /// Text comparisons and ordering by code point on both engines: SQLite compares text
    /// bytewise (UTF-8 keeps code point order); PostgreSQL uses the database's collation unless
    /// told `C`. Without this the two engines would sort and page differently.
    pub fn binary_collation(&self) -> &'static str {
        match self.backend {
            DbBackend::Postgres => " COLLATE \"C\"",
            _ => "",
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_engine() {
        let mut pg = Sql::new(DbBackend::Postgres);
        pg.push("a = ").bind(1i64).push(" AND b IN ").bind_list(&[2, 3]);
        assert_eq!(pg.text(), "a = $1 AND b IN ($2, $3)");
        let mut lite = Sql::new(DbBackend::Sqlite);
        lite.push("a = ").bind(1i64).push(" AND b IN ").bind_list(&[]);
        assert_eq!(lite.text(), "a = ? AND b IN (NULL)");
        assert_eq!(lite.into_statement().values.unwrap().0.len(), 1);
    }
}
