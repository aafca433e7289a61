//! The `jiaoyan` binary's subcommands, run as a user would run them.

use std::process::{Command, Output};

use sea_orm::{ConnectionTrait, Database};

fn jiaoyan(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("JIAOYAN_DEMO_PASSWORD", "Demo-Lq4wN8pe-tests")
        .env("JIAOYAN_BOOTSTRAP_ADMIN", "admin:Admin-Vb5kJ9-tests")
        .env("JIAOYAN_JWT_SECRET", "a-test-secret-of-at-least-32-bytes!!")
        .env("JIAOYAN_LOG", "warn")
        .output()
        .expect("the binary runs")
}

#[test]
fn openapi_prints_the_committed_document_without_a_database() {
    let out = jiaoyan(&["openapi"], "postgres://nobody@127.0.0.1:1/none");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
}

/// `migrate`, then `seed-demo` (which prints the logins), then a second `seed-demo` that refuses.
fn migrate_and_seed(database_url: &str) {
    let migrate = jiaoyan(&["migrate"], database_url);
    assert!(migrate.status.success(), "migrate failed: {}", String::from_utf8_lossy(&migrate.stderr));
    let seed = jiaoyan(&["seed-demo"], database_url);
    let printed = String::from_utf8_lossy(&seed.stdout);
    assert!(seed.status.success(), "seed-demo failed: {}", String::from_utf8_lossy(&seed.stderr));
    for login in ["luotian-admin", "dahean-admin", "dahean-yuwen", "dahean-teacher", "Demo-Lq4wN8pe-tests"] {
        assert!(printed.contains(login), "seed-demo did not print {login}:\n{printed}");
    }
    let again = jiaoyan(&["seed-demo"], database_url);
    assert!(!again.status.success(), "a second seed-demo must refuse");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

/// A weak password given by environment stops the start with the reason, before anything
/// listens (the address is not even valid, so a start that went on would fail differently).
#[test]
fn weak_configured_passwords_refuse_to_start() {
    let dir = std::env::temp_dir().join(format!("jiaoyan-cli-weak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.display());
    let run = |args: &[&str], env: (&str, &str)| {
        let out = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("JIAOYAN_ADDR", "not-an-address")
            .env("JIAOYAN_BOOTSTRAP_ADMIN", "admin:Admin-Vb5kJ9-tests")
            .env("JIAOYAN_DEMO_PASSWORD", "Demo-Lq4wN8pe-tests")
            .env("JIAOYAN_JWT_SECRET", "a-test-secret-of-at-least-32-bytes!!")
            .env("JIAOYAN_LOG", "warn")
            .env(env.0, env.1)
            .output()
            .expect("the binary runs");
        assert!(!out.status.success(), "{args:?} with {env:?} started");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = run(&["serve"], ("JIAOYAN_BOOTSTRAP_ADMIN", "admin:password123"));
    assert!(stderr.contains("JIAOYAN_BOOTSTRAP_ADMIN is refused: the password"), "{stderr}");
    let stderr = run(&["--demo", "serve"], ("JIAOYAN_DEMO_PASSWORD", "1234567890"));
    assert!(stderr.contains("JIAOYAN_DEMO_PASSWORD is refused: the demo password is too easy to guess"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn migrate_and_seed_demo_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("jiaoyan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    migrate_and_seed(&format!("sqlite://{}/cli.db?mode=rwc", dir.display()));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_and_seed_demo_on_postgres() {
    let admin_url =
        std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("jiaoyan_cli_{}", std::process::id());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL answers");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let result =
        tokio::task::spawn_blocking(move || std::panic::catch_unwind(|| migrate_and_seed(&url))).await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
