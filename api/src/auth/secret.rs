//! Where the JWT signing secret comes from: `JIAOYAN_JWT_SECRET`, or else a random secret made
//! on first start and kept, so that the one start command works and tokens survive restarts:
//! beside a SQLite file (owner-only permissions), and in the database on PostgreSQL
//! (`service_secrets`), so that every service replica on every machine signs and verifies with
//! the same secret (docs/SCALING.md).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rand::RngCore;

/// The file that keeps a generated secret for this database, or `None` for an in-memory one.
pub fn secret_path(database_url: &str) -> Option<PathBuf> {
    if let Some(rest) = database_url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//").split('?').next().unwrap_or("");
        if path.is_empty() || path == ":memory:" || database_url.contains("mode=memory") {
            return None;
        }
        return Some(PathBuf::from(format!("{path}.jwt-secret")));
    }
    Some(PathBuf::from("jiaoyan.jwt-secret"))
}

pub fn resolve(configured: Option<&str>, database_url: &str) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = configured.filter(|s| !s.is_empty()) {
        if secret.len() < 32 {
            tracing::warn!("JIAOYAN_JWT_SECRET is shorter than 32 bytes; use a longer random secret");
        }
        return Ok(secret.as_bytes().to_vec());
    }
    match secret_path(database_url) {
        None => {
            tracing::warn!("JIAOYAN_JWT_SECRET is not set; using a random secret for this in-memory database");
            Ok(random_secret().into_bytes())
        }
        Some(path) => load_or_create(&path),
    }
}

/// The secret for a service on `db`: [`resolve`], except that on PostgreSQL a generated secret
/// is kept in the database, shared by every replica. A secret an older version kept in
/// `./jiaoyan.jwt-secret` is adopted by the first replica that finds it (its tokens stay valid).
pub async fn resolve_shared(
    configured: Option<&str>,
    database_url: &str,
    db: &sea_orm::DatabaseConnection,
) -> anyhow::Result<Vec<u8>> {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    if configured.is_some_and(|s| !s.is_empty()) || db.get_database_backend() != DatabaseBackend::Postgres {
        return resolve(configured, database_url);
    }
    let legacy = secret_path(database_url)
        .and_then(|path| fs::read_to_string(path).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let offered = legacy.unwrap_or_else(random_secret);
    let txn = crate::db::begin_write(db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    txn.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "INSERT INTO service_secrets (name, value) VALUES ('jwt', $1) ON CONFLICT (name) DO NOTHING",
        [offered.clone().into()],
    ))
    .await?;
    let kept: String = txn
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT value FROM service_secrets WHERE name = 'jwt'",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("the kept JWT secret is missing"))?
        .try_get_by_index(0)?;
    txn.commit().await?;
    if kept == offered {
        tracing::warn!(
            "JIAOYAN_JWT_SECRET is not set: keeping a generated signing secret in the database, shared by every replica; set JIAOYAN_JWT_SECRET in production"
        );
    }
    Ok(kept.into_bytes())
}

fn random_secret() -> String {
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Keeps `secret` in the file at `path`, readable by its owner only (also `jiaoyan import`, which
/// moves a secret into a SQLite installation).
pub fn write_secret_file(path: &Path, secret: &str) -> anyhow::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(secret.as_bytes())?;
    Ok(())
}

fn load_or_create(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(existing) = fs::read_to_string(path) {
        let existing = existing.trim();
        if !existing.is_empty() {
            return Ok(existing.as_bytes().to_vec());
        }
    }
    let secret = random_secret();
    write_secret_file(path, &secret)?;
    tracing::warn!(
        path = %path.display(),
        "JIAOYAN_JWT_SECRET is not set: generated a signing secret and stored it beside the database; set JIAOYAN_JWT_SECRET in production"
    );
    Ok(secret.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_file_sits_beside_a_sqlite_file() {
        assert_eq!(secret_path("sqlite://data/j.db?mode=rwc"), Some(PathBuf::from("data/j.db.jwt-secret")));
        assert_eq!(secret_path("sqlite::memory:"), None);
        assert_eq!(secret_path("postgres://localhost/j"), Some(PathBuf::from("jiaoyan.jwt-secret")));
    }

    #[test]
    fn a_generated_secret_is_kept_and_owner_only() {
        let dir = std::env::temp_dir().join(format!("jiaoyan-secret-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/x.db?mode=rwc", dir.display());
        let first = resolve(None, &url).unwrap();
        let second = resolve(None, &url).unwrap();
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join("x.db.jwt-secret")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        fs::remove_dir_all(dir).unwrap();
    }
}
