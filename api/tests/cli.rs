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
/// listens (the address is not one of this machine's, so a start that went on would fail
/// differently).
#[test]
fn weak_configured_passwords_refuse_to_start() {
    let dir = std::env::temp_dir().join(format!("jiaoyan-cli-weak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.display());
    let run = |args: &[&str], env: (&str, &str)| {
        let out = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("JIAOYAN_ADDR", "192.0.2.1:8080")
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

/// A bad setting stops the start before anything happens, with one line that names its
/// environment variable and flag: status 2, no panic, no backtrace, no secret repeated.
#[test]
fn bad_settings_stop_the_start_naming_them() {
    let dir = std::env::temp_dir().join(format!("jiaoyan-cli-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.display());
    let cases = [
        ("JIAOYAN_ADDR", "x", r#"JIAOYAN_ADDR (--addr): "x" is not host:port"#),
        (
            "DATABASE_URL",
            "mysql://root:Hunter2-db@h/j",
            "DATABASE_URL (--database-url): must start with sqlite:// or postgres://",
        ),
        ("JIAOYAN_JWT_SECRET", "short-secret-value", "JIAOYAN_JWT_SECRET (--jwt-secret): at least 32 bytes"),
        (
            "JIAOYAN_PUBLIC_URL",
            "jy.example.edu.cn",
            r#"JIAOYAN_PUBLIC_URL (--public-url): "jy.example.edu.cn" is not an absolute http(s) URL"#,
        ),
        (
            "JIAOYAN_CORS_ORIGINS",
            "https://ok.example,https://bad.example/",
            r#"JIAOYAN_CORS_ORIGINS (--cors-origins): "https://bad.example/" is not an origin"#,
        ),
        (
            "JIAOYAN_ACCESS_TOKEN_TTL",
            "0",
            r#"JIAOYAN_ACCESS_TOKEN_TTL (--access-token-ttl): "0" must be greater than 0"#,
        ),
        (
            "JIAOYAN_REFRESH_TOKEN_TTL",
            "60",
            "JIAOYAN_REFRESH_TOKEN_TTL (--refresh-token-ttl): 60 s is shorter than JIAOYAN_ACCESS_TOKEN_TTL (900 s)",
        ),
        ("JIAOYAN_MAX_BODY_BYTES", "0", r#"JIAOYAN_MAX_BODY_BYTES (--max-body-bytes): "0" must be greater than 0"#),
        (
            "JIAOYAN_MAX_SYNC_BODY_BYTES",
            "16MB",
            r#"JIAOYAN_MAX_SYNC_BODY_BYTES (--max-sync-body-bytes): "16MB" is not a whole number"#,
        ),
        ("JIAOYAN_LOG", "info,sqlx=loud", r#"JIAOYAN_LOG (--log): "info,sqlx=loud" is not a log filter"#),
        ("JIAOYAN_WORKERS", "0", r#"JIAOYAN_WORKERS (--workers): "0" must be greater than 0"#),
        (
            "JIAOYAN_SHUTDOWN_GRACE_SECONDS",
            "7200",
            "JIAOYAN_SHUTDOWN_GRACE_SECONDS (--shutdown-grace-seconds): 7200 is not in 0..=3600",
        ),
        ("JIAOYAN_BOOTSTRAP_ADMIN", "admin", "JIAOYAN_BOOTSTRAP_ADMIN (--bootstrap-admin): must be username:password"),
        (
            "JIAOYAN_READ_DATABASE_URL",
            "postgres://u@replica/j",
            "JIAOYAN_READ_DATABASE_URL (--read-database-url): set, but DATABASE_URL is not PostgreSQL",
        ),
    ];
    for (variable, value, expected) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
            .arg("serve")
            .env("DATABASE_URL", &url)
            // Not an address of this machine: a start that went on would fail, not hang.
            .env("JIAOYAN_ADDR", "192.0.2.1:8080")
            .env("JIAOYAN_BOOTSTRAP_ADMIN", "admin:Admin-Vb5kJ9-tests")
            .env("JIAOYAN_JWT_SECRET", "a-test-secret-of-at-least-32-bytes!!")
            .env("JIAOYAN_LOG", "warn")
            .env("RUST_BACKTRACE", "1")
            .env(variable, value)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{variable}={value}: {stderr}");
        assert!(stderr.starts_with(&format!("error: {expected}")), "{variable}={value}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line, no backtrace: {stderr}");
        for secret in ["Hunter2-db", "short-secret-value"] {
            assert!(!stderr.contains(secret), "{secret} repeated: {stderr}");
        }
    }
    assert!(!dir.join("cli.db").exists(), "nothing was started, not even the database");
    std::fs::remove_dir_all(dir).unwrap();
}

/// `jiaoyan config` prints every setting, its value and where it came from, secrets masked.
#[test]
fn config_prints_the_settings_with_secrets_masked() {
    let database_url = "postgres://jy:Db-Pw-3mz@db.example/jiaoyan";
    let out = jiaoyan(&["config", "--workers", "3"], database_url);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    let line = |name: &str| {
        stdout.lines().find(|l| l.starts_with(&format!("{name}="))).unwrap_or_else(|| panic!("{name}: {stdout}"))
    };
    assert!(
        line("JIAOYAN_ADDR").starts_with("JIAOYAN_ADDR=127.0.0.1:8080 ")
            && line("JIAOYAN_ADDR").contains("# default (--addr)")
    );
    assert!(line("DATABASE_URL").starts_with("DATABASE_URL=postgres://jy:********@db.example/jiaoyan "));
    assert!(line("DATABASE_URL").contains("# env (--database-url)"));
    assert!(line("JIAOYAN_WORKERS").contains("# flag (--workers)"));
    assert!(line("JIAOYAN_LOG").starts_with("JIAOYAN_LOG=warn "));
    assert!(line("JIAOYAN_JWT_SECRET").starts_with("JIAOYAN_JWT_SECRET=******** "));
    assert!(line("JIAOYAN_JWT_SECRET").contains("# env, secret"));
    assert!(line("JIAOYAN_BOOTSTRAP_ADMIN").starts_with("JIAOYAN_BOOTSTRAP_ADMIN=admin:******** "));
    assert!(line("JIAOYAN_DEMO_PASSWORD").starts_with("JIAOYAN_DEMO_PASSWORD=******** "));
    assert!(line("JIAOYAN_PUBLIC_URL").contains("# unset"));
    for secret in ["Db-Pw-3mz", "a-test-secret-of-at-least-32-bytes!!", "Admin-Vb5kJ9-tests", "Demo-Lq4wN8pe-tests"] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret), "{secret} shown:\n{stdout}{stderr}");
    }

    let out = jiaoyan(&["config", "--json"], database_url);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Db-Pw-3mz"));
    let settings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    let log = settings.iter().find(|s| s["env"] == "JIAOYAN_LOG").expect("JIAOYAN_LOG listed");
    assert_eq!(
        log,
        &serde_json::json!({"env": "JIAOYAN_LOG", "flag": "--log", "value": "warn", "source": "env", "secret": false})
    );
}
