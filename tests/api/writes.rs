//! The write path (docs/WRITES.md): on PostgreSQL writers take no global lock, so a long sync
//! holds up nobody else, and the change feed still never skips a change when transactions commit
//! out of version order. On SQLite writers take turns on the one writer connection.

use std::time::Duration;

use api::db::begin_write;
use entities::teacher;
use jiaoyan_tests::clients::{client_token, put};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Backend, TestApp, PASSWORD};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Statement};
use serde_json::Value;

on_both_backends!(
    a_long_reader_neither_blocks_writers_nor_sees_them,
    the_feed_never_skips_a_change_committed_out_of_version_order,
    observations_and_logins_complete_while_a_large_sync_runs,
);

/// A reader in one snapshot (`db::begin_read`: quota checks, reports, exports) stays open while
/// writes go through the API: they complete, and the reader keeps seeing its snapshot.
async fn a_long_reader_neither_blocks_writers_nor_sees_them(app: TestApp) {
    let w = World::build(&app).await;
    let reader = api::db::begin_read(&app.db).await.unwrap();
    let name = |m: Option<teacher::Model>| m.unwrap().name;
    let before = name(teacher::Entity::find_by_id(w.teacher_a).one(&reader).await.unwrap());
    let path = format!("/api/v1/teachers/{}", w.teacher_a);
    for i in 0..5 {
        app.patch(&w.tokens.admin_a, &path, json!({"name": format!("新名字{i}")})).await.expect(200);
    }
    app.post(&w.tokens.teacher_a, "/api/v1/observations",
        json!({"observed_teacher_id": w.leader_a, "observed_on": "2026-10-09", "subject": "语文", "lesson_kind": "ordinary"}))
        .await
        .expect(201);
    assert_eq!(name(teacher::Entity::find_by_id(w.teacher_a).one(&reader).await.unwrap()), before);
    reader.commit().await.unwrap();
    assert_eq!(name(teacher::Entity::find_by_id(w.teacher_a).one(&app.db).await.unwrap()), "新名字4");
}

/// Every feed entry from `since` on, following `next_since`; and the last `next_since`.
async fn pull(app: &TestApp, token: &str, mut since: i64) -> (Vec<Value>, i64) {
    let mut entries = Vec::new();
    loop {
        let page = app.get(token, &format!("/api/v1/changes?since={since}&limit=1000")).await.expect(200);
        entries.extend(page.body["changes"].as_array().unwrap().iter().cloned());
        since = page.body["next_since"].as_i64().unwrap();
        if !page.body["has_more"].as_bool().unwrap() {
            return (entries, since);
        }
    }
}

async fn rename(txn: &DatabaseTransaction, id: i64, name: &str) {
    teacher::Entity::update_many()
        .col_expr(teacher::Column::Name, Expr::value(name))
        .filter(teacher::Column::Id.eq(id))
        .exec(txn)
        .await
        .unwrap();
}

fn version_of(entries: &[Value], id: i64) -> Option<i64> {
    entries.iter().rev().find(|e| e["type"] == "teachers" && e["id"] == id).and_then(|e| e["change_version"].as_i64())
}

/// Two overlapping writers: the first takes the lower version but commits last. A client that
/// reads the feed between the two commits and carries on from its `next_since` gets both.
async fn the_feed_never_skips_a_change_committed_out_of_version_order(app: TestApp) {
    let w = World::build(&app).await;
    let client = client_token(&app, &w.tokens.district_admin, "区级平台", &["roster.read"], None).await;
    let (_, start) = pull(&app, &client, 0).await;
    let mut read = Vec::new();
    match app.backend {
        Backend::Postgres => {
            let first = begin_write(&app.db).await.unwrap();
            rename(&first, w.teacher_a, "先改的老师").await;
            let second = begin_write(&app.db).await.unwrap();
            rename(&second, w.teacher_b, "后改的老师").await;
            second.commit().await.unwrap();
            let (early, middle) = pull(&app, &client, start).await;
            read.extend(early);
            first.commit().await.unwrap();
            let (late, _) = pull(&app, &client, middle).await;
            read.extend(late);
        }
        Backend::Sqlite => {
            // Writers take turns here: the second begins when the first has committed.
            let first = begin_write(&app.db).await.unwrap();
            rename(&first, w.teacher_a, "先改的老师").await;
            first.commit().await.unwrap();
            let (early, middle) = pull(&app, &client, start).await;
            read.extend(early);
            let second = begin_write(&app.db).await.unwrap();
            rename(&second, w.teacher_b, "后改的老师").await;
            second.commit().await.unwrap();
            let (late, _) = pull(&app, &client, middle).await;
            read.extend(late);
        }
    }
    let (a, b) = (version_of(&read, w.teacher_a), version_of(&read, w.teacher_b));
    assert!(a.is_some(), "the change committed last, with the lower version, was skipped: {read:?}");
    assert!(b.is_some(), "{read:?}");
    assert!(a < b, "the first writer took the lower version: {a:?} {b:?}");
    let named =
        |id: i64| read.iter().rev().find(|e| e["type"] == "teachers" && e["id"] == id).unwrap()["data"]["name"].clone();
    assert_eq!((named(w.teacher_a), named(w.teacher_b)), (json!("先改的老师"), json!("后改的老师")));
}

fn teacher_record(i: usize, schools: usize) -> Value {
    json!({
        "sourced_id": format!("W-{i:05}"), "school_sourced_id": format!("wsch-{:02}", i % schools),
        "name": format!("教师{i}"), "gender": if i.is_multiple_of(2) { "female" } else { "male" },
        "birth_date": "1988-03-04", "teaching_start_year": 2010, "degree": "bachelor",
        "subjects": ["语文", "数学"], "grades": [i % 6 + 1], "posts": ["prep_group_leader"],
        "honours": [{"title": "backbone_teacher", "level": "county", "year": 2022}]
    })
}

/// Writers registered now (PostgreSQL, migration 11): transactions that have begun to write and
/// not ended.
async fn running_writers(app: &TestApp) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}

/// A sync of thousands of teachers runs in one transaction. On PostgreSQL, observations and a
/// login from other clients all complete while it is still running (before, every write queued
/// behind it). On SQLite writers take turns, so they complete, after it.
async fn observations_and_logins_complete_while_a_large_sync_runs(app: TestApp) {
    const TEACHERS: usize = 4_000;
    let w = World::build(&app).await;
    let roster = client_token(&app, &w.tokens.district_admin, "县教师管理系统", &["roster.write"], None).await;
    let schools: Vec<Value> = (0..10)
        .map(|i| {
            json!({"sourced_id": format!("wsch-{i:02}"), "name": format!("第{i}实验小学"), "tier": "county_direct",
                    "code": format!("43112300{i:02}")})
        })
        .collect();
    put(&app, &roster, "/api/v1/sync/schools", json!({"records": schools})).await.expect(200);

    let records: Vec<Value> = (0..TEACHERS).map(|i| teacher_record(i, 10)).collect();
    let request = app
        .client
        .put(format!("{}/api/v1/sync/teachers", app.base_url))
        .bearer_auth(&roster)
        .json(&json!({"records": records}));
    let sync = tokio::spawn(async move {
        let response = request.send().await.expect("the sync is answered");
        (response.status().as_u16(), response.json::<Value>().await.unwrap_or(Value::Null))
    });
    if app.backend == Backend::Postgres {
        // Its transaction has begun: it is a registered writer (bounded wait, polled).
        let mut begun = false;
        for _ in 0..6_000 {
            if running_writers(&app).await > 0 {
                begun = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(begun, "the sync never began to write");
    }

    let observation = |i: usize| {
        json!({"observed_teacher_id": w.leader_a, "observed_on": format!("2026-10-{:02}", i % 20 + 1),
               "subject": "语文", "lesson_kind": "ordinary"})
    };
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..12 {
        let request = app
            .client
            .post(format!("{}/api/v1/observations", app.base_url))
            .bearer_auth(&w.tokens.teacher_a)
            .json(&observation(i));
        calls.spawn(async move { ("observation", request.send().await.expect("answered").status().as_u16()) });
    }
    let login = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base_url))
        .json(&json!({"username": "teacher_a", "password": PASSWORD}));
    calls.spawn(async move { ("login", login.send().await.expect("answered").status().as_u16()) });
    let answers = calls.join_all().await;
    let still_running = !sync.is_finished();
    for (what, status) in &answers {
        assert!([200, 201].contains(status), "{what} answered {status}: {answers:?}");
    }
    if app.backend == Backend::Postgres {
        assert!(still_running, "the observations and the login waited for the sync to finish");
    }

    let (status, body) = sync.await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["created"], TEACHERS);
    let synced = teacher::Entity::find().filter(teacher::Column::ExternalId.like("W-%")).all(&app.db).await.unwrap();
    assert_eq!(synced.len(), TEACHERS);
}
