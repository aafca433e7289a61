//! How full the connection pools are, for `/metrics` (docs/OPERATIONS.md, "Metrics").

use sea_orm::{DatabaseBackend, DatabaseConnection};

/// One pool's usage now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUsage {
    /// `readers` and `writer` (a SQLite file), `primary` (PostgreSQL), `replica`
    /// (`JIAOYAN_READ_DATABASE_URL`).
    pub pool: &'static str,
    /// Connections open.
    pub size: u32,
    /// Of them, idle.
    pub idle: usize,
    /// The most the pool opens.
    pub max: u32,
}

fn usage_of(pool: &'static str, db: &DatabaseConnection) -> Option<PoolUsage> {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            Some(PoolUsage { pool, size: p.size(), idle: p.num_idle(), max: p.options().get_max_connections() })
        }
        DatabaseBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            Some(PoolUsage { pool, size: p.size(), idle: p.num_idle(), max: p.options().get_max_connections() })
        }
        _ => None,
    }
}

/// The pools of the primary `db` (and of SQLite's writer connection), and of `replica` when the
/// reads go elsewhere.
pub fn usage(db: &DatabaseConnection, replica: Option<&DatabaseConnection>) -> Vec<PoolUsage> {
    let mut pools = Vec::new();
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            pools.extend(usage_of("readers", db));
            if let Some(writer) = super::sqlite_writer(db) {
                pools.extend(usage_of("writer", &writer));
            }
        }
        _ => pools.extend(usage_of("primary", db)),
    }
    if let Some(replica) = replica {
        pools.extend(usage_of("replica", replica));
    }
    pools
}
