//! `jiaoyan export` and `jiaoyan import` in bounded memory (docs/MOVING.md, "Memory"): the
//! binary moves a SQLite database with a synthetic audit trail of two sizes, ten times apart,
//! into a new SQLite file and a new PostgreSQL database, and the peak resident memory of each
//! process (its `VmHWM`) must not grow with the rows: rows are read in batches by primary key, written as they are read, and inserted in
//! batches of bounded size.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};

const SMALL: u64 = 10_000;
const LARGE: u64 = 100_000;
/// Allowed growth of the peak from the small to the large database: far below what keeping the
/// extra 90,000 rows would take (about 40 MB as JSON values), well above allocator noise.
const ALLOWED_GROWTH_KB: i64 = 12 * 1024;

fn pg_admin_url() -> String {
    std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// The peak resident memory of process `pid` so far (KiB), while it runs.
fn high_water_kb(pid: u32) -> Option<i64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the binary, fails on a failure, and returns the peak resident memory of its process
/// (KiB): the kernel's high-water mark of the process's own memory (`VmHWM`), read until it
/// exits. (The child's `ru_maxrss` would not do: Linux counts the parent's memory at the fork
/// in it, since the child was a copy of the test process until its `exec`.)
fn peak_kb(args: &[&str], database_url: &str, dir: &Path) -> i64 {
    let log = dir.join("stderr.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("JIAOYAN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("the binary runs");
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut peak = 0;
    let status = loop {
        // Read before asking whether it ended: once reaped, its memory is gone.
        peak = peak.max(high_water_kb(child.id()).unwrap_or(0));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "jiaoyan {args:?} did not end within 10 minutes");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(status.success(), "jiaoyan {args:?} failed: {}", std::fs::read_to_string(&log).unwrap_or_default());
    assert!(peak > 0, "the memory of jiaoyan {args:?} was never read");
    peak
}

/// A migrated SQLite database whose audit trail has `rows` entries.
async fn source(dir: &Path, rows: u64) -> String {
    let url = format!("sqlite://{}/source.db?mode=rwc", dir.display());
    let db = api::db::connect(&url).await.unwrap();
    api::db::migrate(&db).await.unwrap();
    db.execute_unprepared(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) \
         INSERT INTO audit_log (occurred_at, actor_type, actor_id, address, request_id, operation, action, \
                                resource_type, resource_id, district_id, school_id, new_values) \
         SELECT 1764900000000 + i, 'user', i % 97, '127.0.0.1', 'req-' || i, 'PATCH /api/v1/teachers/{{id}}', \
                'update', 'teachers', i, 1, i % 100, json_object('name', '教师' || i, 'note', hex(randomblob(64))) \
         FROM n"
    ))
    .await
    .unwrap();
    api::db::close(db).await.unwrap();
    url
}

/// Peaks of (export, import into SQLite, import into PostgreSQL) for a database of `rows`.
async fn peaks(rows: u64) -> [i64; 3] {
    let dir = std::env::temp_dir().join(format!("jiaoyan-move-memory-{}-{rows}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = source(&dir, rows).await;
    let file: PathBuf = dir.join("export.jsonl.gz");
    let file_arg = file.to_str().unwrap().to_string();
    let export = peak_kb(&["export", "--out", &file_arg], &url, &dir);
    let sqlite_target = format!("sqlite://{}/target.db?mode=rwc", dir.display());
    let into_sqlite = peak_kb(&["import", "--in", &file_arg], &sqlite_target, &dir);

    let admin = Database::connect(&pg_admin_url()).await.expect("PostgreSQL answers");
    let name = format!("jiaoyan_move_memory_{}_{rows}", std::process::id());
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let pg_target = format!("{}/{name}", pg_admin_url().rsplit_once('/').unwrap().0);
    let into_postgres = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || std::panic::catch_unwind(|| peak_kb(&["import", "--in", &file_arg], &pg_target, &dir))
    })
    .await
    .unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let into_postgres = into_postgres.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    [export, into_sqlite, into_postgres]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peak_memory_does_not_grow_with_the_rows() {
    let small = peaks(SMALL).await;
    let large = peaks(LARGE).await;
    for (what, (s, l)) in ["export", "import into SQLite", "import into PostgreSQL"].iter().zip(small.iter().zip(large))
    {
        eprintln!("{what}: peak {s} KiB for {SMALL} rows, {l} KiB for {LARGE} rows");
        assert!(
            l - s <= ALLOWED_GROWTH_KB,
            "{what}: the peak grew from {s} KiB ({SMALL} rows) to {l} KiB ({LARGE} rows)"
        );
    }
}
