//! Moving a district to the other engine (docs/MOVING.md): the demo district exported from one
//! engine, imported into a new database of the other, compared table by table and row by row
//! (through the one conversion table), exported again and compared with the first file, then
//! served: the demo logins, a token issued before the move, a teacher's quota verdicts and the
//! change feed all carry on. `sqlite::` is the path a growing district takes (SQLite to
//! PostgreSQL); `postgres::` is the way back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use api::transfer::format::{Line, Reader};
use api::transfer::queries::{read_batch, FileRow};
use api::transfer::{schema, Exported, Progress};
use jiaoyan_tests::clients::client_token;
use jiaoyan_tests::{json, Backend, TestApp, DEMO_PASSWORD};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::Value;

mod moves {
    jiaoyan_tests::on_both_backends!(spawn = spawn_demo; the_demo_district_moves_to_the_other_engine_whole);
    use super::the_demo_district_moves_to_the_other_engine_whole;
}

mod refusals {
    jiaoyan_tests::on_both_backends!(configure = a_cut_file_leaves_the_new_database_empty;
        an_import_refuses_a_database_in_use_and_a_newer_file);
    use super::{a_cut_file_leaves_the_new_database_empty, an_import_refuses_a_database_in_use_and_a_newer_file};
}

/// The secret a service generates when `JIAOYAN_JWT_SECRET` is unset, planted in the source.
const GENERATED_SECRET: &str = "generated-before-the-move-0123456789abcdef";

/// Every table's rows, in primary-key order, as the file writes them.
async fn rows_of(db: &impl ConnectionTrait) -> BTreeMap<String, Vec<FileRow>> {
    let mut all = BTreeMap::new();
    for table in schema::tables(db).await.expect("schema") {
        let (mut rows, mut after) = (Vec::new(), None);
        loop {
            let (batch, last) = read_batch(db, &table, after, 500).await.expect("rows");
            let done = batch.len() < 500;
            rows.extend(batch);
            if done {
                break;
            }
            after = last;
        }
        all.insert(table.name.clone(), rows);
    }
    all
}

/// Every table's rows in a file.
fn rows_in(path: &Path) -> BTreeMap<String, Vec<FileRow>> {
    let mut reader = Reader::open(path).expect("the file opens");
    let (mut all, mut current) = (BTreeMap::new(), String::new());
    while let Some(line) = reader.next_line().expect("a sound file") {
        match line {
            Line::Table(t) => {
                current = t.name.clone();
                all.insert(t.name, Vec::new());
            }
            Line::Row(row) => all.get_mut(&current).expect("a table line first").push(row),
            Line::Header(_) | Line::End(_) => {}
        }
    }
    all
}

/// The counter row holds SQLite's newest version; PostgreSQL takes versions from a sequence
/// and leaves it behind, so its `value` is not compared (the versions are, through the feed).
fn without_counter_value(mut tables: BTreeMap<String, Vec<FileRow>>) -> BTreeMap<String, Vec<FileRow>> {
    for row in tables.get_mut("change_counter").into_iter().flatten() {
        row.remove("value");
    }
    tables
}

fn assert_same_tables(left: &BTreeMap<String, Vec<FileRow>>, right: &BTreeMap<String, Vec<FileRow>>, what: &str) {
    assert_eq!(left.keys().collect::<Vec<_>>(), right.keys().collect::<Vec<_>>(), "{what}: the tables differ");
    for (table, rows) in left {
        let other = &right[table];
        assert_eq!(rows.len(), other.len(), "{what}: {table} has {} rows, then {}", rows.len(), other.len());
        for (a, b) in rows.iter().zip(other) {
            assert_eq!(a, b, "{what}: a row of {table} differs");
        }
    }
}

async fn database_url(app: &TestApp) -> String {
    match app.backend {
        Backend::Sqlite => {
            let options = app.db.get_sqlite_connection_pool().connect_options();
            format!("sqlite://{}?mode=rwc", options.get_filename().display())
        }
        Backend::Postgres => {
            let sql = Statement::from_string(app.db.get_database_backend(), "SELECT current_database()::text");
            let row = app.db.query_one_raw(sql).await.unwrap().unwrap();
            let name: String = row.try_get_by_index(0).unwrap();
            let admin =
                std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or("postgres://postgres@127.0.0.1:5432/test".into());
            format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
        }
    }
}

/// Plants a secret as a service without `JIAOYAN_JWT_SECRET` would have kept it.
async fn plant_secret(app: &TestApp, url: &str) {
    match app.backend {
        Backend::Sqlite => {
            let path = api::auth::secret::secret_path(url).unwrap();
            api::auth::secret::write_secret_file(&path, GENERATED_SECRET).unwrap();
        }
        Backend::Postgres => {
            let sql = format!("INSERT INTO service_secrets (name, value) VALUES ('jwt', '{GENERATED_SECRET}')");
            app.db.execute_unprepared(&sql).await.unwrap();
        }
    }
}

/// A teacher's own results and their summary, as the teacher sees them.
async fn verdicts(app: &TestApp, token: &str, semester: i64) -> (Value, Value) {
    let path = format!("/api/v1/quota-checks?semester_id={semester}&as_of=2026-11-20&limit=500");
    let body = app.get(token, &path).await.expect(200).body;
    assert!(!body["items"].as_array().expect("items").is_empty(), "the demo teacher is measured");
    (body["summary"].clone(), body["items"].clone())
}

async fn newest(db: &DatabaseConnection) -> i64 {
    api::changes::newest_version(db).await.unwrap()
}

async fn the_demo_district_moves_to_the_other_engine_whole(source: TestApp) {
    let semester = source.demo.as_ref().unwrap().district.autumn_semester_id;
    let teacher = source.login("dahean-teacher", DEMO_PASSWORD).await;
    let before = verdicts(&source, &teacher, semester).await;
    let source_url = database_url(&source).await;
    plant_secret(&source, &source_url).await;
    let dir = std::env::temp_dir().join(format!("jiaoyan_move_{}_{:?}", std::process::id(), source.backend));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("district.jsonl.gz");
    let exported: Exported = api::transfer::export(&source.db, &source_url, &file, &Progress::hidden()).await.unwrap();
    assert!(exported.change_version >= newest(&source.db).await && exported.change_version > 0);

    // A new database of the other engine, imported before the service first starts on it.
    let (other, imported_file) = match source.backend {
        Backend::Sqlite => (Backend::Postgres, file.clone()),
        Backend::Postgres => (Backend::Sqlite, file.clone()),
    };
    let target = TestApp::spawn_with(other, move |settings| {
        let url = settings.database_url.clone();
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                let db = api::db::connect(&url).await.unwrap();
                api::transfer::import(&db, &url, &imported_file, &Progress::hidden()).await.expect("imported");
                api::db::close(db).await.unwrap();
            })
        });
    })
    .await;

    // Every table, row by row; the source's generated secret is the target's.
    let target_url = database_url(&target).await;
    let mut expected = without_counter_value(rows_of(&source.db).await);
    let secrets = expected.get_mut("service_secrets").unwrap();
    if secrets.is_empty() {
        let row = [("name".to_string(), json!("jwt")), ("value".to_string(), json!(GENERATED_SECRET))];
        secrets.push(row.into_iter().collect());
    }
    let moved = without_counter_value(rows_of(&target.db).await);
    assert_same_tables(&expected, &moved, "source and target databases");
    assert!(expected["audit_log"].len() > 100 && expected["change_log"].len() > 100, "the demo has history");
    let kept = api::auth::secret::resolve_shared(None, &target_url, &target.db).await.unwrap();
    assert_eq!(kept, GENERATED_SECRET.as_bytes(), "tokens signed before the move verify after it");
    assert!(newest(&target.db).await >= newest(&source.db).await);

    // Exported again from the target: the same rows as the first file.
    let again = dir.join("again.jsonl.gz");
    api::transfer::export(&target.db, &target_url, &again, &Progress::hidden()).await.unwrap();
    assert_same_tables(
        &without_counter_value(rows_in(&file)),
        &without_counter_value(rows_in(&again)),
        "the two files",
    );

    // Served: the same logins, the same verdicts; a token from before the move still works.
    target.get(&teacher, "/api/v1/me").await.expect(200);
    let fresh = target.login("dahean-teacher", DEMO_PASSWORD).await;
    assert_eq!(verdicts(&target, &fresh, semester).await, before);

    // The change feed continues: a write after the move takes a version above every one before.
    let admin = target.login("luotian-admin", DEMO_PASSWORD).await;
    let district = source.demo.as_ref().unwrap().district_id;
    let reader = client_token(&target, &admin, "move-check", &["roster.read"], None).await;
    let zone = target.post(&admin, "/api/v1/zones", json!({"district_id": district, "name": "北片"})).await.expect(201);
    let since = exported.change_version;
    let feed = target.get(&reader, &format!("/api/v1/changes?since={since}&limit=100")).await.expect(200).body;
    let changes = feed["changes"].as_array().unwrap();
    let new_zone = changes.iter().find(|c| c["type"] == "zones" && c["id"] == zone.body["id"]);
    assert!(new_zone.is_some(), "the new zone is in the feed after the exported version: {feed}");
    assert!(changes.iter().all(|c| c["change_version"].as_i64().unwrap() > since));
    assert!(newest(&target.db).await > since);
    let _ = std::fs::remove_dir_all(PathBuf::from(&dir));
}

fn binary_migrations() -> Vec<String> {
    use migration::MigratorTrait;
    migration::Migrator::migrations().iter().map(|m| m.name().to_string()).collect()
}

/// A file written by this binary, with `migrations`, holding one `service_secrets` row, and
/// its trailer only when `whole`.
fn small_file(path: &Path, migrations: Vec<String>, whole: bool) {
    use api::transfer::format::{ColumnSpec, Header, TableHeader, Writer};
    use api::transfer::rules::{ColumnType, Engine};
    let mut out = Writer::create(path).unwrap();
    out.write(&Line::Header(Header {
        format: 1,
        written_by: "jiaoyan (test)".into(),
        engine: Engine::Sqlite,
        exported_at: "2026-12-05T10:00:00Z".into(),
        migrations,
        change_version: 0,
    }))
    .unwrap();
    let columns = ["name", "value"].map(|name| ColumnSpec { name: name.into(), ty: ColumnType::Text }).to_vec();
    let table = TableHeader {
        name: "service_secrets".into(),
        columns,
        primary_key: vec!["name".into()],
        rows: 1,
        sequence: None,
    };
    out.write(&Line::Table(table)).unwrap();
    let row = [("name".to_string(), json!("jwt")), ("value".to_string(), json!("s"))];
    out.write(&Line::Row(row.into_iter().collect())).unwrap();
    if whole {
        out.finish(vec![("service_secrets".into(), 1)]).unwrap();
    }
}

/// Before the service first starts on its new, empty database: a file cut short (no trailer)
/// is refused after its rows went in, and the transaction leaves the database empty.
fn a_cut_file_leaves_the_new_database_empty(settings: &mut api::config::Settings) {
    let url = settings.database_url.clone();
    let dir = std::env::temp_dir().join(format!("jiaoyan_cut_{}_{}", std::process::id(), url.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cut.jsonl.gz");
    small_file(&file, binary_migrations(), false);
    tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(async {
            let db = api::db::connect(&url).await.unwrap();
            let err = api::transfer::import(&db, &url, &file, &Progress::hidden()).await.unwrap_err();
            assert!(format!("{err:#}").contains("ends before its trailer"), "{err:#}");
            let tables = schema::tables(&db).await.unwrap();
            let filled = api::transfer::queries::first_filled_table(&db, &tables).await.unwrap();
            assert_eq!(filled, None, "a failed import leaves the database empty");
            api::db::close(db).await.unwrap();
        })
    });
    std::fs::remove_dir_all(dir).unwrap();
}

/// A served database is not empty (serving made the first administrator), and a file from a
/// newer binary is refused, each with an error saying so.
async fn an_import_refuses_a_database_in_use_and_a_newer_file(app: TestApp) {
    let url = database_url(&app).await;
    let dir = std::env::temp_dir().join(format!("jiaoyan_refuse_{}_{:?}", std::process::id(), app.backend));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("whole.jsonl.gz");
    small_file(&file, binary_migrations(), true);
    let err = api::transfer::import(&app.db, &url, &file, &Progress::hidden()).await.unwrap_err();
    assert!(format!("{err:#}").contains("DATABASE_URL is not empty (table "), "{err:#}");
    let mut newer = binary_migrations();
    newer.push("m29991231_000001_from_the_future".into());
    small_file(&file, newer, true);
    let err = api::transfer::import(&app.db, &url, &file, &Progress::hidden()).await.unwrap_err();
    assert!(format!("{err:#}").contains("exported by a newer Jiaoyan"), "{err:#}");
    std::fs::remove_dir_all(dir).unwrap();
}
