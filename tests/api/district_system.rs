//! The district-system endpoints (docs/API-DESIGN.md, "Machine clients", "Bulk sync", "Change feed"),
//! played as a district system would: a machine client, a token, a roster
//! of 500 teachers across 10 schools pushed by sourced_id, the change feed read to its end, a
//! re-sent batch that changes nothing, 10 edits and 5 tombstones that the feed shows exactly, a
//! client limited to one school that neither pushes nor reads another school's rows, and a bad
//! record among 1,000 that leaves the database and the feed as they were.

use std::collections::{BTreeMap, BTreeSet};

use entities::{school, teacher};
use jiaoyan_tests::clients::{client_token, put};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

fn schools(n: usize) -> Value {
    let records: Vec<Value> = (0..n)
        .map(|i| json!({"sourced_id": format!("sch-{i:02}"), "name": format!("第{i}小学"), "tier": "township_central"}))
        .collect();
    json!({ "records": records })
}

fn teacher_record(i: usize) -> Value {
    json!({"sourced_id": format!("T-{i:05}"), "school_sourced_id": format!("sch-{:02}", i % 10),
           "name": format!("教师{i}"), "birth_date": "1985-06-01", "subjects": ["语文"], "grades": [i % 6 + 1]})
}

/// Reads the feed from `since` to its end, following `next_since`; returns the entries and the
/// version to continue from.
async fn read_to_end(app: &TestApp, token: &str, types: &str, since: i64) -> (Vec<Value>, i64) {
    let (mut entries, mut since) = (Vec::new(), since);
    loop {
        let page = app.get(token, &format!("/api/v1/changes?since={since}&types={types}&limit=200")).await.expect(200);
        entries.extend(page.body["changes"].as_array().unwrap().iter().cloned());
        since = page.body["next_since"].as_i64().unwrap();
        if !page.body["has_more"].as_bool().unwrap() {
            return (entries, since);
        }
    }
}

fn by_sourced_id(entries: &[Value]) -> BTreeMap<String, Value> {
    entries.iter().map(|e| (e["sourced_id"].as_str().unwrap_or_default().to_string(), e.clone())).collect()
}

async fn a_district_system_pushes_and_pulls_its_roster(app: TestApp) {
    let w = World::build(&app).await;
    let token =
        client_token(&app, &w.tokens.district_admin, "县教师管理系统", &["roster.read", "roster.write"], None).await;
    put(&app, &token, "/api/v1/sync/schools", schools(10)).await.expect(200);
    let mut batch: Vec<Value> = (0..500).map(teacher_record).collect();
    let pushed = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(200);
    assert_eq!(pushed.body["created"], 500);

    // The whole feed: every pushed teacher once, in version order, as its GET shows it.
    let (entries, end) = read_to_end(&app, &token, "teachers", 0).await;
    let versions: Vec<i64> = entries.iter().map(|e| e["change_version"].as_i64().unwrap()).collect();
    assert!(versions.windows(2).all(|v| v[0] < v[1]), "version order, each resource once");
    let pushed_teachers = by_sourced_id(&entries);
    let ours: BTreeSet<&String> = pushed_teachers.keys().filter(|k| k.starts_with("T-")).collect();
    assert_eq!(ours.len(), 500);
    assert_eq!(pushed_teachers["T-00042"]["data"]["name"], "教师42");
    assert_eq!(pushed_teachers["T-00042"]["data"]["external_id"], "T-00042");

    // The same batch again: nothing changes, the feed has nothing new.
    let again = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(200);
    assert_eq!((again.body["unchanged"].as_i64(), again.body["change_version"].as_i64()), (Some(500), Some(end)));
    let (nothing, same_end) = read_to_end(&app, &token, "teachers", end).await;
    assert!(nothing.is_empty(), "{nothing:?}");
    assert_eq!(same_end, end);

    // 10 edits and 5 tombstones: exactly those 15 in the feed, in their latest state.
    for record in batch.iter_mut().take(10) {
        record["name"] = json!(format!("{}（调入）", record["name"].as_str().unwrap()));
    }
    for record in batch.iter_mut().skip(495) {
        *record = json!({"sourced_id": record["sourced_id"], "status": "tobedeleted"});
    }
    let edited = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(200);
    assert_eq!((edited.body["updated"].as_i64(), edited.body["archived"].as_i64()), (Some(10), Some(5)));
    let (changes, _) = read_to_end(&app, &token, "teachers", end).await;
    assert_eq!(changes.len(), 15, "{changes:?}");
    let changed = by_sourced_id(&changes);
    for i in 0..10 {
        let e = &changed[&format!("T-{i:05}")];
        assert_eq!(
            (e["deleted"].as_bool(), e["data"]["name"].as_str()),
            (Some(false), Some(format!("教师{i}（调入）").as_str()))
        );
    }
    for i in 495..500 {
        let e = &changed[&format!("T-{i:05}")];
        assert_eq!(e["deleted"], true, "{e}");
        assert_eq!(e["type"], "teachers");
        assert!(e.get("data").is_none_or(Value::is_null), "a tombstone carries no data: {e}");
    }

    // A client limited to one school: pushes nothing of another school, reads nothing of it.
    let sch3 =
        school::Entity::find().filter(school::Column::SourcedId.eq("sch-03")).one(&app.db).await.unwrap().unwrap();
    let limited =
        client_token(&app, &w.tokens.district_admin, "三小前端", &["roster.read", "roster.write"], Some(vec![sch3.id]))
            .await;
    let elsewhere = json!({"records": [teacher_record(501)]}); // school sch-01
    assert_eq!(
        put(&app, &limited, "/api/v1/sync/teachers", elsewhere).await.expect(422).error_fields(),
        vec!["records[0].school_sourced_id"]
    );
    let mut take_over = teacher_record(4); // a teacher of sch-04, pulled into sch-03
    take_over["school_sourced_id"] = json!("sch-03");
    assert_eq!(
        put(&app, &limited, "/api/v1/sync/teachers", json!({"records": [take_over]})).await.expect(422).error_fields(),
        vec!["records[0].sourced_id"]
    );
    let (seen, _) = read_to_end(&app, &limited, "teachers", 0).await;
    assert_eq!(seen.len(), 50, "sch-03's 50 teachers, nobody else");
    assert!(seen.iter().all(|e| e["data"]["school_id"] == json!(sch3.id)));
    let (seen_since, _) = read_to_end(&app, &limited, "teachers", end).await;
    let names: BTreeSet<&str> = seen_since.iter().map(|e| e["sourced_id"].as_str().unwrap()).collect();
    assert_eq!(names, BTreeSet::from(["T-00003"]), "only its own school's edit; no other school's tombstones");

    // A teacher moving from sch-03 to sch-04: gone for sch-03's reader, new for sch-04's.
    let (_, limited_end) = read_to_end(&app, &limited, "teachers", end).await;
    let sch4 =
        school::Entity::find().filter(school::Column::SourcedId.eq("sch-04")).one(&app.db).await.unwrap().unwrap();
    let other = client_token(&app, &w.tokens.district_admin, "四小前端", &["roster.read"], Some(vec![sch4.id])).await;
    let (_, other_end) = read_to_end(&app, &other, "teachers", 0).await;
    let mut moving = teacher_record(13);
    moving["school_sourced_id"] = json!("sch-04");
    put(&app, &token, "/api/v1/sync/teachers", json!({"records": [moving]})).await.expect(200);
    let (left, _) = read_to_end(&app, &limited, "teachers", limited_end).await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!((left[0]["sourced_id"].as_str(), left[0]["deleted"].as_bool()), (Some("T-00013"), Some(true)));
    assert!(left[0].get("data").is_none(), "nothing of its new school: {}", left[0]);
    let (arrived, _) = read_to_end(&app, &other, "teachers", other_end).await;
    assert_eq!(arrived.len(), 1, "{arrived:?}");
    assert_eq!((arrived[0]["deleted"].as_bool(), &arrived[0]["data"]["school_id"]), (Some(false), &json!(sch4.id)));
}

async fn a_bad_record_among_1000_leaves_database_and_feed_as_they_were(app: TestApp) {
    let w = World::build(&app).await;
    let token =
        client_token(&app, &w.tokens.district_admin, "县教师管理系统", &["roster.read", "roster.write"], None).await;
    put(&app, &token, "/api/v1/sync/schools", schools(10)).await.expect(200);
    put(&app, &token, "/api/v1/sync/teachers", json!({"records": (0..300).map(teacher_record).collect::<Vec<_>>()}))
        .await
        .expect(200);
    let teachers_before = teacher::Entity::find().count(&app.db).await.unwrap();
    let live_before =
        teacher::Entity::find().filter(teacher::Column::ArchivedAt.is_null()).count(&app.db).await.unwrap();
    let available = app.get(&token, "/api/v1/changes/available").await.expect(200);

    // 300 edits, 20 tombstones, 680 new teachers; one of them with a school that does not exist.
    let mut batch: Vec<Value> = (0..1000).map(teacher_record).collect();
    for record in batch.iter_mut().take(300) {
        record["subjects"] = json!(["数学"]);
    }
    for record in batch.iter_mut().skip(280).take(20) {
        *record = json!({"sourced_id": record["sourced_id"], "status": "tobedeleted"});
    }
    batch[777]["school_sourced_id"] = json!("sch-99");
    let refused = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["records[777].school_sourced_id"]);

    assert_eq!(teacher::Entity::find().count(&app.db).await.unwrap(), teachers_before);
    let live_after =
        teacher::Entity::find().filter(teacher::Column::ArchivedAt.is_null()).count(&app.db).await.unwrap();
    assert_eq!(live_after, live_before);
    assert_eq!(app.get(&token, "/api/v1/changes/available").await.expect(200).body, available.body);
    let newest = available.body["newest"].as_i64().unwrap();
    let (after, _) = read_to_end(&app, &token, "teachers,schools", newest).await;
    assert!(after.is_empty(), "the feed has nothing new: {after:?}");
}

on_both_backends!(
    a_district_system_pushes_and_pulls_its_roster,
    a_bad_record_among_1000_leaves_database_and_feed_as_they_were,
);
