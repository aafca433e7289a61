//! Migrated template databases: each test process migrates one SQLite file and one PostgreSQL
//! database once, and every test starts from a copy (a file copy; `CREATE DATABASE … TEMPLATE`).
//! Migrating a fresh database per test cost about half a second each (the change-tracking
//! migration alone creates some eighty triggers), which was most of the suite's time.
//!
//! The demo district is seeded the same way, once per process, into a template of its own (a
//! copy of the migrated one, with `root` bootstrapped first as a starting service does), which
//! the demo tests copy instead of seeding each time ([`crate::TestApp::spawn_demo`]).
//!
//! Templates and test databases carry the process id in their names; those of processes that no
//! longer run (a killed test run) are removed when the next run starts.

use std::path::{Path, PathBuf};

use api::demo::DemoSummary;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use tokio::sync::{Mutex, OnceCell};

const TEMPLATE_PREFIX: &str = "jiaoyan_tpl_";

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
static POSTGRES_TEMPLATE: OnceCell<String> = OnceCell::const_new();
static SQLITE_DEMO: OnceCell<(PathBuf, DemoSummary)> = OnceCell::const_new();
static POSTGRES_DEMO: OnceCell<(String, DemoSummary)> = OnceCell::const_new();
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

/// `root` bootstrapped as a starting service would, then the demo district seeded.
async fn seed_demo(database_url: &str) -> (DatabaseConnection, DemoSummary) {
    let mut settings = api::config::Settings::for_database(database_url);
    settings.bootstrap_admin = Some(format!("root:{}", crate::ROOT_PASSWORD));
    let db = api::app::prepare_database(&settings).await.expect("demo template prepared");
    let summary = api::demo::seed(&db, Some(crate::DEMO_PASSWORD)).await.expect("the demo seeds");
    (db, summary)
}

/// The SQLite template with the demo district, and what seeding it created.
pub async fn sqlite_demo() -> &'static (PathBuf, DemoSummary) {
    SQLITE_DEMO
        .get_or_init(|| async {
            let migrated = sqlite().await;
            let path = migrated.with_file_name("demo.db");
            std::fs::copy(migrated, &path).expect("copy the migrated template");
            let (db, summary) = seed_demo(&format!("sqlite://{}?mode=rwc", path.display())).await;
            api::db::close(db).await.expect("demo template closed");
            (path, summary)
        })
        .await
}

/// The PostgreSQL template with the demo district, and what seeding it created.
pub async fn postgres_demo(admin_url: &str) -> &'static (String, DemoSummary) {
    POSTGRES_DEMO
        .get_or_init(|| async {
            let migrated = postgres(admin_url).await;
            let name = format!("{TEMPLATE_PREFIX}{}_demo", std::process::id());
            create_postgres_database(admin_url, &name, migrated).await;
            let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.to_string());
            let (db, summary) = seed_demo(&format!("{base}/{name}")).await;
            api::db::close(db).await.expect("demo template closed");
            (name, summary)
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
