//! Growing past one machine (docs/SCALING.md), with real processes of the `jiaoyan`
//! binary: two service replicas on one PostgreSQL database share everything through it, and a
//! service reads its quota checks, reports, change feed and OneRoster view from a real
//! streaming replica (`pg_basebackup -R`, started with `pg_ctl` on a free port) while it writes
//! to the primary.
//!
//! PostgreSQL comes from `JIAOYAN_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`);
//! the replica test also needs the server to accept replication connections from 127.0.0.1
//! (`.ci/run` adds the `pg_hba.conf` line when missing) and its binaries (`pg_basebackup`,
//! `pg_ctl`: `/usr/lib/postgresql/<major>/bin`, or `JIAOYAN_TEST_PG_BIN`). Both fail, never skip,
//! when PostgreSQL is missing. No timing is asserted: every wait is a bounded poll of a condition.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};

const DEMO_PASSWORD: &str = "Demo-Lq4wN8pe-scale-tests";
const ROOT: &str = "root:Root-Hv3#kq9!scale-tests";
/// The demo's day: its checks have results as of then.
const AS_OF: &str = "2026-11-20";

fn pg_admin_url() -> String {
    std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// `admin_url` with another database (and, for a replica, another port and options).
fn url_of(admin_url: &str, port: Option<u16>, database: &str, options: &str) -> String {
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or_else(|| admin_url.to_string());
    let base = match port {
        Some(port) => match base.rsplit_once(':') {
            Some((host, p)) if p.chars().all(|c| c.is_ascii_digit()) => format!("{host}:{port}"),
            _ => format!("{base}:{port}"),
        },
        None => base,
    };
    format!("{base}/{database}{options}")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn scratch_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jiaoyan-{what}-{}-{:08x}", std::process::id(), rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `f` on a runtime of its own, on a thread of its own (for `Drop`s inside a test's runtime).
fn blocking<F: std::future::Future<Output = ()> + Send + 'static>(f: F) {
    let _ = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f);
    })
    .join();
}

async fn query_i64(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// A scratch database on the test server, dropped at the end (even when the test fails).
struct ScratchDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    async fn create(what: &str) -> ScratchDatabase {
        let admin_url = pg_admin_url();
        let name = format!("jiaoyan_{what}_{}_{:08x}", std::process::id(), rand::random::<u32>());
        let admin = Database::connect(&admin_url).await.expect("PostgreSQL answers at JIAOYAN_TEST_PG_URL");
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
        admin.close().await.unwrap();
        let url = url_of(&admin_url, None, &name, "");
        ScratchDatabase { admin_url, name, url }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        blocking(async move {
            if let Ok(admin) = Database::connect(&admin_url).await {
                let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                let _ = admin.close().await;
            }
        });
    }
}

/// A `jiaoyan serve` process in a working directory of its own (as on a machine of its own),
/// without `JIAOYAN_JWT_SECRET`: the replicas must agree on the signing secret by themselves.
struct Service {
    child: Child,
    base: String,
    dir: PathBuf,
    client: reqwest::Client,
}

impl Service {
    fn start(database_url: &str, read_url: Option<&str>, demo: bool) -> Service {
        let dir = scratch_dir("replica-cwd");
        let port = free_port();
        let log = std::fs::File::create(dir.join("serve.log")).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_jiaoyan"));
        if demo {
            command.arg("--demo");
        }
        command
            .arg("serve")
            .current_dir(&dir)
            .env("DATABASE_URL", database_url)
            .env("JIAOYAN_ADDR", format!("127.0.0.1:{port}"))
            .env("JIAOYAN_BOOTSTRAP_ADMIN", ROOT)
            .env("JIAOYAN_DEMO_PASSWORD", DEMO_PASSWORD)
            .env("JIAOYAN_LOG", "info,sqlx=warn")
            .env("JIAOYAN_WORKERS", "2")
            .env_remove("JIAOYAN_JWT_SECRET")
            .env_remove("JIAOYAN_READ_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(log);
        if let Some(read_url) = read_url {
            command.env("JIAOYAN_READ_DATABASE_URL", read_url);
        }
        let child = command.spawn().expect("the jiaoyan binary starts");
        Service { child, base: format!("http://127.0.0.1:{port}"), dir, client: reqwest::Client::new() }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("serve.log")).unwrap_or_default()
    }

    /// Waits (a bounded while) until the service answers `/health`.
    async fn ready(&mut self) {
        for _ in 0..1200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the service exited ({status}) before answering:\n{}", self.log());
            }
            if let Ok(resp) = self.client.get(format!("{}/health", self.base)).send().await {
                if resp.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the service did not answer within 2 minutes:\n{}", self.log());
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let resp = request.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert!(status < 500, "{path} answered {status}: {body}\n{}", self.log());
        (status, body)
    }

    async fn get(&self, token: &str, path: &str) -> Value {
        let (status, body) = self.call("GET", path, Some(token), None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    async fn login(&self, username: &str, password: &str) -> String {
        let body = json!({"username": username, "password": password});
        let (status, body) = self.call("POST", "/api/v1/auth/login", None, Some(body)).await;
        assert_eq!(status, 200, "login of {username}: {body}");
        body["access_token"].as_str().unwrap().to_string()
    }

    /// The district's quota check as of the demo's day: the number of results and the rules.
    async fn check(&self, token: &str) -> (u64, Vec<i64>) {
        let body = self.get(token, &format!("/api/v1/quota-checks?as_of={AS_OF}&limit=500")).await;
        let mut rules: Vec<i64> =
            body["items"].as_array().unwrap().iter().filter_map(|i| i["rule"]["id"].as_i64()).collect();
        rules.sort();
        rules.dedup();
        (body["total"].as_u64().unwrap(), rules)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Two processes of the binary, started at once on one empty database with `--demo`: they take
/// turns migrating, bootstrapping and seeding (one district, one administrator), sign tokens with
/// one secret (kept in the database, not in either's working directory), see each other's writes
/// at once, and a kept quota check computed by both is stale for both after a write through one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_service_processes_share_one_postgresql_database() {
    let db = ScratchDatabase::create("scale_two").await;
    let mut a = Service::start(&db.url, None, true);
    let mut b = Service::start(&db.url, None, true);
    a.ready().await;
    b.ready().await;

    // One start won each race: one district, one installation administrator.
    let conn = Database::connect(&db.url).await.unwrap();
    assert_eq!(query_i64(&conn, "SELECT COUNT(*) FROM districts").await, 1);
    assert_eq!(query_i64(&conn, "SELECT COUNT(*) FROM users WHERE username = 'root'").await, 1);
    assert_eq!(query_i64(&conn, "SELECT COUNT(*) FROM service_secrets").await, 1);
    for service in [&a, &b] {
        assert!(!service.dir.join("jiaoyan.jwt-secret").exists(), "a secret was kept on one machine only");
    }

    // A token issued by one is good at the other (one signing secret).
    let token = a.login("luotian-admin", DEMO_PASSWORD).await;
    let me = b.get(&token, "/api/v1/me").await;
    let district_id = me["district_id"].as_i64().expect("the district administrator's district");
    let root = b.login("root", ROOT.split_once(':').unwrap().1).await;
    a.get(&root, "/api/v1/me").await;

    // A write through one is read through the other at once.
    let (status, zone) = a
        .call("POST", "/api/v1/zones", Some(&token), Some(json!({"district_id": district_id, "name": "规模片区"})))
        .await;
    assert_eq!(status, 201, "{zone}");
    let seen = b.get(&token, &format!("/api/v1/zones/{}", zone["id"])).await;
    assert_eq!(seen["name"], "规模片区");

    // The same check through both, twice each (the second read is the kept result) ...
    let before = a.check(&token).await;
    assert!(before.0 > 0 && !before.1.is_empty(), "the demo district's check has results: {before:?}");
    assert_eq!(b.check(&token).await, before);
    assert_eq!(a.check(&token).await, before);
    assert_eq!(b.check(&token).await, before);
    // ... then a rule archived through one: the next check through either no longer has it.
    let archived = before.1[0];
    let (status, body) = b.call("DELETE", &format!("/api/v1/quota-rules/{archived}"), Some(&token), None).await;
    assert_eq!(status, 204, "{body}");
    let after = a.check(&token).await;
    assert!(!after.1.contains(&archived), "rule {archived} still has results through A: {after:?}");
    assert_eq!(b.check(&token).await, after, "B reads what A reads");
    conn.close().await.unwrap();
}

/// The PostgreSQL server binaries of the test server's major version.
fn pg_bin(tool: &str, major: i64) -> PathBuf {
    if let Ok(dir) = std::env::var("JIAOYAN_TEST_PG_BIN") {
        return Path::new(&dir).join(tool);
    }
    let debian = PathBuf::from(format!("/usr/lib/postgresql/{major}/bin/{tool}"));
    if debian.exists() {
        debian
    } else {
        PathBuf::from(tool)
    }
}

/// Runs a PostgreSQL tool as the user `postgres` when we are root (`pg_ctl` refuses root).
fn pg_tool(tool: &Path, args: &[&str]) -> Output {
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let mut command = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(tool);
        c
    } else {
        Command::new(tool)
    };
    command.args(args).stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{} runs: {e}", tool.display()))
}

/// A streaming replica of the test server in a scratch directory, on a free port; stopped and
/// removed at the end, even when the test fails.
struct Replica {
    dir: PathBuf,
    pg_ctl: PathBuf,
    port: u16,
}

impl Replica {
    async fn start(admin: &DatabaseConnection, admin_url: &str) -> Replica {
        let show = |name: &'static str| async move {
            let sql = format!("SELECT current_setting('{name}')");
            let row = admin.query_one_raw(Statement::from_string(admin.get_database_backend(), sql)).await;
            row.unwrap().unwrap().try_get_by_index::<String>(0).unwrap()
        };
        let major: i64 = show("server_version_num").await.parse::<i64>().unwrap() / 10_000;
        let dir = std::env::temp_dir().join(format!(
            "jiaoyan-pg-replica-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let dir_text = dir.to_str().unwrap().to_string();
        let port = free_port();
        let replica = Replica { dir: dir.clone(), pg_ctl: pg_bin("pg_ctl", major), port };
        let backup = pg_tool(
            &pg_bin("pg_basebackup", major),
            &["-d", admin_url, "-D", &dir_text, "-R", "-X", "stream", "-c", "fast", "--no-sync"],
        );
        assert!(
            backup.status.success(),
            "pg_basebackup failed (does pg_hba.conf allow `host replication all 127.0.0.1/32`? .ci/run adds it): {}",
            String::from_utf8_lossy(&backup.stderr)
        );
        // The primary's own configuration may live outside its data directory (Debian): the
        // replica gets a small one, with what a hot standby must match of its primary.
        let mut conf = String::from("hot_standby = on\nshared_buffers = 32MB\nfsync = off\n");
        for name in ["max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions"] {
            conf.push_str(&format!("{name} = {}\n", show(name).await));
        }
        conf.push_str(&format!("max_locks_per_transaction = {}\n", show("max_locks_per_transaction").await));
        std::fs::write(dir.join("postgresql.conf"), conf).unwrap();
        std::fs::write(dir.join("pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n").unwrap();
        std::fs::write(dir.join("pg_ident.conf"), "").unwrap();
        let options = format!("-p {port} -c listen_addresses=127.0.0.1 -k {dir_text}");
        let log = format!("{dir_text}/server.log");
        let started =
            pg_tool(&replica.pg_ctl, &["-D", &dir_text, "-l", &log, "-o", &options, "-w", "-t", "60", "start"]);
        assert!(
            started.status.success(),
            "the replica did not start: {}\n{}",
            String::from_utf8_lossy(&started.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        replica
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let dir = self.dir.to_str().unwrap();
        let _ = pg_tool(&self.pg_ctl, &["-D", dir, "-m", "immediate", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Scans of `table` on the replica so far (its statistics count the statements run there).
async fn scans(replica: &DatabaseConnection, table: &str) -> i64 {
    let sql = format!(
        "SELECT COALESCE(SUM(COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0)), 0)::bigint FROM pg_stat_user_tables \
         WHERE relname = '{table}'"
    );
    query_i64(replica, &sql).await
}

/// The service's read connections on the replica.
async fn read_connections(replica: &DatabaseConnection) -> i64 {
    query_i64(replica, "SELECT COUNT(*)::int8 FROM pg_stat_activity WHERE application_name = 'jiaoyan-reads'").await
}

/// Polls `what` (a bounded while) until it holds.
async fn eventually<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..600 {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: not within a minute");
}

/// A service on the primary reading from a real streaming replica: (a) checks, reports and
/// OneRoster are read there — with the replay paused, each still answers what the replica holds
/// while the primary has moved on, and the report's computation scans the replica; the feed is
/// read there only while the replica has replayed up to the primary, else from the primary; (b) a
/// write through the service reaches the replica and then those reads; a client whose feed
/// cursor is ahead of the replica is served by the primary instead of being told to resynchronise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_come_from_a_streaming_replica() {
    let admin_url = pg_admin_url();
    let db = ScratchDatabase::create("scale_replica").await;
    // The demo district on the primary, before the copy.
    let seeded = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
        .arg("seed-demo")
        .env("DATABASE_URL", &db.url)
        .env("JIAOYAN_BOOTSTRAP_ADMIN", ROOT)
        .env("JIAOYAN_DEMO_PASSWORD", DEMO_PASSWORD)
        .env("JIAOYAN_LOG", "warn")
        .output()
        .unwrap();
    assert!(seeded.status.success(), "seed-demo: {}", String::from_utf8_lossy(&seeded.stderr));
    let admin = Database::connect(&admin_url).await.unwrap();
    let replica = Replica::start(&admin, &admin_url).await;
    admin.close().await.unwrap();
    let read_url = url_of(&admin_url, Some(replica.port), &db.name, "?application_name=jiaoyan-reads");
    let on_replica = Database::connect(url_of(&admin_url, Some(replica.port), &db.name, "")).await.unwrap();
    let primary = Database::connect(&db.url).await.unwrap();
    assert_eq!(query_i64(&on_replica, "SELECT pg_is_in_recovery()::int::int8").await, 1, "a standby");

    let mut service = Service::start(&db.url, Some(&read_url), false);
    service.ready().await;
    let token = service.login("luotian-admin", DEMO_PASSWORD).await;
    let me = service.get(&token, "/api/v1/me").await;
    let district_id = me["district_id"].as_i64().unwrap();

    // The compliance report, cold, computes the district's check on the replica: the replica's
    // statistics (which count its own statements only) show the rules read there.
    let rule_scans = scans(&on_replica, "quota_rules").await;
    service.get(&token, &format!("/api/v1/reports/compliance?as_of={AS_OF}")).await;
    eventually("the report's check reads the rules on the replica", || async {
        scans(&on_replica, "quota_rules").await > rule_scans
    })
    .await;
    assert!(read_connections(&on_replica).await > 0, "the service has read connections on the replica");
    let before = service.check(&token).await;
    assert!(before.0 > 0, "the demo's check has results");

    // (b) A write through the service (to the primary) reaches the replica, then the feed.
    let feed = service.get(&token, "/api/v1/changes?since=0&limit=5&types=zones").await;
    let newest_before = feed["newest"].as_i64().unwrap();
    let (status, zone) = service
        .call("POST", "/api/v1/zones", Some(&token), Some(json!({"district_id": district_id, "name": "副本片区"})))
        .await;
    assert_eq!(status, 201, "{zone}");
    let zone_id = zone["id"].as_i64().unwrap();
    let zone_sql = format!("SELECT COUNT(*) FROM zones WHERE id = {zone_id}");
    eventually("the zone is on the replica", || async { query_i64(&on_replica, &zone_sql).await == 1 }).await;
    let feed_path = format!("/api/v1/changes?since={newest_before}&types=zones");
    let has = |page: &Value, id: i64| page["changes"].as_array().unwrap().iter().any(|c| c["id"] == id);
    eventually("the feed read from the replica shows the zone", || async {
        has(&service.get(&token, &feed_path).await, zone_id)
    })
    .await;

    // (a) The replay paused: writes reach the primary only, and every read of the replica's
    // still answers the replica's state (a client may see the replica's lag, never a mix).
    on_replica.execute_unprepared("SELECT pg_wal_replay_pause()").await.unwrap();
    eventually("replay pauses", || async {
        let sql = "SELECT (pg_get_wal_replay_pause_state() = 'paused')::int::int8";
        query_i64(&on_replica, sql).await == 1
    })
    .await;
    let archived = before.1[0];
    let (status, body) = service.call("DELETE", &format!("/api/v1/quota-rules/{archived}"), Some(&token), None).await;
    assert_eq!(status, 204, "{body}");
    let (status, later) = service
        .call("POST", "/api/v1/zones", Some(&token), Some(json!({"district_id": district_id, "name": "暂停片区"})))
        .await;
    assert_eq!(status, 201, "{later}");
    let later_id = later["id"].as_i64().unwrap();
    let school_id = service.get(&token, &format!("/api/v1/schools?district_id={district_id}&limit=1")).await["items"]
        [0]["id"]
        .as_i64()
        .unwrap();
    let (status, body) = service
        .call("PATCH", &format!("/api/v1/schools/{school_id}"), Some(&token), Some(json!({"name": "暂停改名小学"})))
        .await;
    assert_eq!(status, 200, "{body}");
    let renamed = || async {
        let schools = service.get(&token, "/ims/oneroster/rostering/v1p2/schools").await;
        schools.to_string().contains("暂停改名小学")
    };
    assert!(service.check(&token).await.1.contains(&archived), "the check reads the paused replica");
    // The feed is the exception: a replica that has not replayed up to the primary's position
    // cannot vouch that every version up to the settled one is in its snapshot (versions commit
    // out of order on PostgreSQL), so the primary serves the page: later, never skipped.
    assert!(has(&service.get(&token, &feed_path).await, later_id), "a paused replica leaves the feed to the primary");
    assert!(!renamed().await, "OneRoster reads the paused replica");
    // A client whose cursor is ahead of the replica (it read the primary, or a replica further
    // on) gets a page from the primary, not a 409 telling it to start again.
    let primary_newest = query_i64(&primary, "SELECT MAX(change_version) FROM change_log").await;
    let replica_newest = query_i64(&on_replica, "SELECT MAX(change_version) FROM change_log").await;
    assert!(replica_newest < primary_newest, "the paused replica lags");
    let (status, ahead) =
        service.call("GET", &format!("/api/v1/changes?since={primary_newest}&types=zones"), Some(&token), None).await;
    assert_eq!(status, 200, "a cursor ahead of the replica is not a resync: {ahead}");
    assert_eq!(ahead["next_since"].as_i64().unwrap(), primary_newest);

    // The replay resumed: every read catches up.
    on_replica.execute_unprepared("SELECT pg_wal_replay_resume()").await.unwrap();
    eventually("the check drops the archived rule", || async { !service.check(&token).await.1.contains(&archived) })
        .await;
    eventually("the feed shows the later zone", || async { has(&service.get(&token, &feed_path).await, later_id) })
        .await;
    eventually("OneRoster shows the new name", renamed).await;
    primary.close().await.unwrap();
    on_replica.close().await.unwrap();
    drop(service);
    drop(replica);
}
