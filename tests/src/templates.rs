//! Migrated template databases: each test process migrates one SQLite file and one PostgreSQL
//! database once, and every test starts from a copy (a file copy; `CREATE DATABASE … TEMPLATE`).
//! Migrating a fresh database per test cost about half a second each (the change-tracking
//! migration alone creates some eighty triggers), which was most of the suite's time.
//!
//! Templates and test databases carry the process id in their names; those of processes that no
//! longer run (a killed test run) are removed when the next run starts.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use tokio::sync::{Mutex, OnceCell};

const TEMPLATE_PREFIX: &str = "jiaoyan_tpl_";

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
static POSTGRES_TEMPLATE: OnceCell<String> = OnceCell::const_new();
/// PostgreSQL refuses to copy a template while another copy is being made from it.
static POSTGRES_COPYING: Mutex<()> = Mutex::const_new(());

fn process_is_running(pid: &str) -> bool {
    Path::new("/proc").join(pid).exists()
}

/// The pid in `<prefix><pid>[_...]`.
fn pid_of<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    name.strip_prefix(prefix).map(|rest| rest.split('_').next().unwrap_or(rest))
}

/// The migrated SQLite template of this process.
pub async fn sqlite() -> &'static Path {
    SQLITE_TEMPLATE
        .get_or_init(|| async {
            let temp = std::env::temp_dir();
            for entry in std::fs::read_dir(&temp).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let stale = [TEMPLATE_PREFIX, crate::TEST_DATABASE_PREFIX]
                    .iter()
                    .any(|prefix| pid_of(&name, prefix).is_some_and(|pid| !process_is_running(pid)));
                if stale {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
            let dir = temp.join(format!("{TEMPLATE_PREFIX}{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("template dir");
            let path = dir.join("template.db");
            let db = api::db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.expect("template");
            api::db::migrate(&db).await.expect("template migrated");
            // Closing the last connection checkpoints the WAL into the file, which is then whole.
            api::db::close(db).await.expect("template closed");
            path
        })
        .await
}

/// The name of this process's migrated PostgreSQL template.
pub async fn postgres(admin_url: &str) -> &'static str {
    POSTGRES_TEMPLATE
        .get_or_init(|| async {
            let admin = Database::connect(admin_url).await.unwrap_or_else(|e| {
                panic!("PostgreSQL at {admin_url} does not answer ({e}); the PostgreSQL tests need it")
            });
            let rows = admin
                .query_all_raw(Statement::from_string(DbBackend::Postgres, "SELECT datname FROM pg_database"))
                .await
                .expect("list databases");
            for row in rows {
                let name: String = row.try_get("", "datname").expect("datname");
                let stale = [TEMPLATE_PREFIX, crate::TEST_DATABASE_PREFIX]
                    .iter()
                    .any(|prefix| pid_of(&name, prefix).is_some_and(|pid| !process_is_running(pid)));
                if stale {
                    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                }
            }
            let name = format!("{TEMPLATE_PREFIX}{}", std::process::id());
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.expect("drop");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create template");
            admin.close().await.ok();
            let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.to_string());
            let db = api::db::connect(&format!("{base}/{name}")).await.expect("connect template");
            api::db::migrate(&db).await.expect("template migrated");
            api::db::close(db).await.expect("template closed");
            name
        })
        .await
}

/// A new database copied from the template.
pub async fn create_postgres_database(admin_url: &str, name: &str, template: &str) {
    let admin = Database::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} does not answer ({e}); the PostgreSQL tests need it"));
    {
        let _one_at_a_time = POSTGRES_COPYING.lock().await;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
            .expect("create test database from the template");
    }
    admin.close().await.ok();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_pid_of_their_process() {
        assert_eq!(pid_of("jiaoyan_t_123_ab12cd34", "jiaoyan_t_"), Some("123"));
        assert_eq!(pid_of("jiaoyan_tpl_77", TEMPLATE_PREFIX), Some("77"));
        assert_eq!(pid_of("test", TEMPLATE_PREFIX), None);
        assert!(process_is_running(&std::process::id().to_string()));
    }
}
