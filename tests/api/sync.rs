//! `PUT /api/v1/sync/...`: a district system pushing its roster by its own ids. Every batch is one
//! transaction; a re-sent batch writes nothing; bad records are listed by index and field and
//! leave the database exactly as it was.

use entities::{change_log, group, group_membership, school, teacher, zone};
use jiaoyan_tests::clients::{client_token, put};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

/// The newest change version: moves with every write anywhere.
async fn newest_version(app: &TestApp) -> i64 {
    api::changes::newest_version(&app.db).await.unwrap()
}

/// How many resources changed after `version`.
async fn changes_after(app: &TestApp, version: i64) -> u64 {
    change_log::Entity::find().filter(change_log::Column::ChangeVersion.gt(version)).count(&app.db).await.unwrap()
}

fn counts(resp: &Resp) -> (i64, i64, i64, i64) {
    let b = &resp.body;
    let n = |k: &str| b[k].as_i64().unwrap_or_else(|| panic!("no {k} in {b}"));
    (n("created"), n("updated"), n("unchanged"), n("archived"))
}

fn schools(n: usize) -> Value {
    let records: Vec<Value> = (0..n)
        .map(|i| {
            json!({"sourced_id": format!("sch-{i:02}"), "name": format!("第{i}小学"), "tier": "county_direct",
                        "code": format!("42112300{i:02}")})
        })
        .collect();
    json!({ "records": records })
}

fn teacher_record(i: usize, schools: usize) -> Value {
    json!({
        "sourced_id": format!("T-{i:05}"), "school_sourced_id": format!("sch-{:02}", i % schools),
        "name": format!("教师{i}"), "gender": if i.is_multiple_of(2) { "female" } else { "male" },
        "birth_date": "1988-03-04", "teaching_start_year": 2010, "degree": "bachelor",
        "subjects": ["语文", "数学"], "grades": [i % 6 + 1], "posts": ["prep_group_leader"],
        "honours": [{"title": "backbone_teacher", "level": "county", "year": 2022}]
    })
}

fn teachers(range: std::ops::Range<usize>, schools: usize) -> Vec<Value> {
    range.map(|i| teacher_record(i, schools)).collect()
}

async fn district_client(app: &TestApp, w: &World) -> String {
    client_token(app, &w.tokens.district_admin, "县教师管理系统", &["roster.read", "roster.write"], None).await
}

/// Pushes 10 schools and 500 teachers; re-sending changes nothing; 10 edits and 5 tombstones
/// make exactly 15 changes; the teachers are there as the API shows them.
async fn a_roster_round_trip_writes_only_what_changed(app: TestApp) {
    let w = World::build(&app).await;
    let token = district_client(&app, &w).await;
    let pushed = put(&app, &token, "/api/v1/sync/schools", schools(10)).await.expect(200);
    assert_eq!(counts(&pushed), (10, 0, 0, 0));
    let mut batch = teachers(0..500, 10);
    let first = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(200);
    assert_eq!(counts(&first), (500, 0, 0, 0));
    let in_db = teacher::Entity::find().filter(teacher::Column::ExternalId.like("T-%")).count(&app.db).await.unwrap();
    assert_eq!(in_db, 500);

    let before = newest_version(&app).await;
    assert_eq!(first.body["change_version"].as_i64(), Some(before));
    let again = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(200);
    assert_eq!(counts(&again), (0, 0, 500, 0));
    assert_eq!(newest_version(&app).await, before, "a re-sent batch writes nothing");

    for record in batch.iter_mut().take(10) {
        record["subjects"] = json!(["英语"]);
    }
    for record in batch.iter_mut().skip(100).take(5) {
        *record = json!({"sourced_id": record["sourced_id"], "status": "tobedeleted"});
    }
    let edited = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(200);
    assert_eq!(counts(&edited), (0, 10, 485, 5));
    assert_eq!(changes_after(&app, before).await, 15);

    let t0 = teacher::Entity::find().filter(teacher::Column::ExternalId.eq("T-00000")).one(&app.db).await.unwrap();
    let shown = app.get(&w.tokens.district_admin, &format!("/api/v1/teachers/{}", t0.unwrap().id)).await.expect(200);
    assert_eq!(shown.body["subjects"], json!(["英语"]));
    assert_eq!(shown.body["honours"][0]["title"], "backbone_teacher");
    let gone = teacher::Entity::find().filter(teacher::Column::ExternalId.eq("T-00100")).one(&app.db).await.unwrap();
    assert!(gone.unwrap().archived_at.is_some());

    // Archiving again, and archiving what was never synced, change nothing.
    let tombstones = json!({"records": [{"sourced_id": "T-00100", "status": "tobedeleted"},
                                        {"sourced_id": "never-seen", "status": "tobedeleted"}]});
    let noop = put(&app, &token, "/api/v1/sync/teachers", tombstones).await.expect(200);
    assert_eq!(counts(&noop), (0, 0, 2, 0));
    // A record that comes back restores the teacher.
    let back = put(&app, &token, "/api/v1/sync/teachers", json!({"records": [teacher_record(100, 10)]})).await;
    assert_eq!(counts(&back.expect(200)), (0, 1, 0, 0));
}

/// One bad record among 1,000: a 422 naming it, and the database exactly as before.
async fn one_bad_record_leaves_everything_as_it_was(app: TestApp) {
    let w = World::build(&app).await;
    let token = district_client(&app, &w).await;
    put(&app, &token, "/api/v1/sync/schools", schools(10)).await.expect(200);
    put(&app, &token, "/api/v1/sync/teachers", json!({"records": teachers(0..200, 10)})).await.expect(200);
    let (teachers_before, version_before) =
        (teacher::Entity::find().count(&app.db).await.unwrap(), newest_version(&app).await);
    let log_before = change_log::Entity::find().count(&app.db).await.unwrap();

    // 200 updates and 800 new teachers, one of them born in the future.
    let mut batch = teachers(0..1000, 10);
    for record in batch.iter_mut().take(200) {
        record["name"] = json!(format!("{}（改）", record["name"].as_str().unwrap()));
    }
    batch[637]["birth_date"] = json!("2030-01-01");
    let refused = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(422);
    assert_eq!(refused.content_type(), "application/problem+json");
    assert_eq!(refused.error_fields(), vec!["records[637].birth_date"]);

    assert_eq!(teacher::Entity::find().count(&app.db).await.unwrap(), teachers_before);
    assert_eq!(newest_version(&app).await, version_before);
    assert_eq!(change_log::Entity::find().count(&app.db).await.unwrap(), log_before);
    let renamed = teacher::Entity::find().filter(teacher::Column::Name.like("%（改）")).count(&app.db).await.unwrap();
    assert_eq!(renamed, 0);

    // Every bad record is listed, each by index and field, in one answer.
    let mut batch = teachers(0..5, 10);
    batch[1]["school_sourced_id"] = json!("no-such-school");
    batch[2]["sourced_id"] = json!("T-00000");
    batch[3]["grades"] = json!([9]);
    batch[4]["sourced_id"] = json!("jiaoyan-teacher-4");
    let refused = put(&app, &token, "/api/v1/sync/teachers", json!({"records": batch})).await.expect(422);
    assert_eq!(
        refused.error_fields(),
        vec!["records[1].school_sourced_id", "records[2].sourced_id", "records[3].grades[0]", "records[4].sourced_id"]
    );
}

/// A client limited to one school pushes that school's teachers only, never another school's
/// rows, and no district-level resources.
async fn a_school_limited_client_stays_in_its_school(app: TestApp) {
    let w = World::build(&app).await;
    let district = district_client(&app, &w).await;
    put(&app, &district, "/api/v1/sync/schools", schools(2)).await.expect(200);
    put(&app, &district, "/api/v1/sync/teachers", json!({"records": teachers(0..4, 2)})).await.expect(200);
    let sch0 =
        school::Entity::find().filter(school::Column::SourcedId.eq("sch-00")).one(&app.db).await.unwrap().unwrap();
    let limited =
        client_token(&app, &w.tokens.district_admin, "学校前端", &["roster.write"], Some(vec![sch0.id])).await;

    let own = put(&app, &limited, "/api/v1/sync/teachers", json!({"records": [teacher_record(10, 2)]})).await;
    assert_eq!(counts(&own.expect(200)), (1, 0, 0, 0));
    let version = newest_version(&app).await;
    // T-00011 would go to sch-01; T-00001 is a teacher of sch-01 already.
    let other = put(&app, &limited, "/api/v1/sync/teachers", json!({"records": [teacher_record(11, 2)]})).await;
    assert_eq!(other.expect(422).error_fields(), vec!["records[0].school_sourced_id"]);
    let mut moved = teacher_record(1, 2);
    moved["school_sourced_id"] = json!("sch-00");
    let steal = put(&app, &limited, "/api/v1/sync/teachers", json!({"records": [moved]})).await.expect(422);
    assert_eq!(steal.error_fields(), vec!["records[0].sourced_id"]);
    let tomb = json!({"records": [{"sourced_id": "T-00001", "status": "tobedeleted"}]});
    put(&app, &limited, "/api/v1/sync/teachers", tomb).await.expect(422);
    put(&app, &limited, "/api/v1/sync/schools", schools(1)).await.expect(403);
    let zone = json!({"records": [{"sourced_id": "zone-x", "name": "西片"}]});
    put(&app, &limited, "/api/v1/sync/zones", zone).await.expect(403);
    assert_eq!(newest_version(&app).await, version, "nothing was written");

    // Without roster.write, nothing at all; a school administrator reaches their own school.
    let reader = client_token(&app, &w.tokens.district_admin, "只读", &["roster.read"], None).await;
    put(&app, &reader, "/api/v1/sync/teachers", json!({"records": [teacher_record(12, 2)]})).await.expect(403);
    put(&app, &w.tokens.teacher_a, "/api/v1/sync/teachers", json!({"records": [teacher_record(12, 2)]}))
        .await
        .expect(403);
    put(&app, &w.tokens.admin_a, "/api/v1/sync/teachers", json!({"records": [teacher_record(12, 2)]}))
        .await
        .expect(422);
}

/// Zones, schools, groups and memberships reference one another by sourced_id, within a batch
/// and across batches; tombstones archive children before parents.
async fn organisation_groups_and_memberships(app: TestApp) {
    let w = World::build(&app).await;
    let token = district_client(&app, &w).await;
    let zones = json!({"records": [{"sourced_id": "zone-n", "name": "北片"}]});
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/zones", zones).await.expect(200)), (1, 0, 0, 0));
    let schools = json!({"records": [
        {"sourced_id": "sch-n1", "name": "北一小", "tier": "township_central", "zone_sourced_id": "zone-n"},
        {"sourced_id": "zone-n", "name": "撞名小学", "tier": "village"}
    ]});
    let clash = put(&app, &token, "/api/v1/sync/schools", schools.clone()).await.expect(422);
    assert_eq!(clash.error_fields(), vec!["records[1].sourced_id"]);
    let schools = json!({"records": [schools["records"][0]]});
    put(&app, &token, "/api/v1/sync/schools", schools).await.expect(200);
    let zones = json!({"records": [{"sourced_id": "zone-n", "name": "北片", "lead_school_sourced_id": "sch-n1"}]});
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/zones", zones.clone()).await.expect(200)), (0, 1, 0, 0));
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/zones", zones).await.expect(200)), (0, 0, 1, 0));
    let z = zone::Entity::find().filter(zone::Column::SourcedId.eq("zone-n")).one(&app.db).await.unwrap().unwrap();
    let s = school::Entity::find().filter(school::Column::SourcedId.eq("sch-n1")).one(&app.db).await.unwrap().unwrap();
    assert_eq!((z.lead_school_id, s.zone_id), (Some(s.id), Some(z.id)));

    let people = json!({"records": [
        {"sourced_id": "N-1", "school_sourced_id": "sch-n1", "name": "赵老师"},
        {"sourced_id": "N-2", "school_sourced_id": "sch-n1", "name": "钱老师"}
    ]});
    put(&app, &token, "/api/v1/sync/teachers", people).await.expect(200);
    let groups = json!({"records": [
        {"sourced_id": "g-yw", "kind": "research", "school_sourced_id": "sch-n1", "name": "语文教研组", "subject": "语文",
         "leader_sourced_id": "N-1"},
        {"sourced_id": "g-yw3", "kind": "lesson_prep", "school_sourced_id": "sch-n1", "name": "三年级语文备课组",
         "parent_sourced_id": "g-yw"},
        {"sourced_id": "g-bad", "kind": "lesson_prep", "school_sourced_id": "sch-n1", "name": "坏组",
         "parent_sourced_id": "g-yw3"}
    ]});
    let refused = put(&app, &token, "/api/v1/sync/groups", groups.clone()).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["records[2].parent_sourced_id"]);
    let groups = json!({"records": [groups["records"][0], groups["records"][1]]});
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/groups", groups).await.expect(200)), (2, 0, 0, 0));
    let yw = group::Entity::find().filter(group::Column::SourcedId.eq("g-yw")).one(&app.db).await.unwrap().unwrap();
    let yw3 = group::Entity::find().filter(group::Column::SourcedId.eq("g-yw3")).one(&app.db).await.unwrap().unwrap();
    assert_eq!(yw3.parent_id, Some(yw.id));

    let members = json!({"records": [
        {"sourced_id": "m-1", "group_sourced_id": "g-yw", "teacher_sourced_id": "N-1", "role": "leader", "since": "2026-09-01"},
        {"sourced_id": "m-2", "group_sourced_id": "g-yw", "teacher_sourced_id": "N-2", "since": "2026-09-01"},
        {"sourced_id": "m-3", "group_sourced_id": "g-yw3", "teacher_sourced_id": "N-2", "since": "2026-09-01"}
    ]});
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/memberships", members.clone()).await.expect(200)), (3, 0, 0, 0));
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/memberships", members).await.expect(200)), (0, 0, 3, 0));
    let listed = app.get(&w.tokens.district_admin, &format!("/api/v1/groups/{}/members", yw.id)).await.expect(200);
    assert_eq!(listed.body["total"], 2);
    let twice = json!({"records": [
        {"sourced_id": "m-4", "group_sourced_id": "g-yw", "teacher_sourced_id": "N-2", "since": "2026-09-01"}
    ]});
    let refused = put(&app, &token, "/api/v1/sync/memberships", twice).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["records[0].teacher_sourced_id"]);

    // The parent listed before its sub-group: both archived, the sub-group first.
    let gone = json!({"records": [{"sourced_id": "g-yw", "status": "tobedeleted"},
                                  {"sourced_id": "g-yw3", "status": "tobedeleted"}]});
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/groups", gone).await.expect(200)), (0, 0, 0, 2));
    let live = group::Entity::find()
        .filter(group::Column::ArchivedAt.is_null())
        .filter(group::Column::SourcedId.is_not_null());
    assert_eq!(live.count(&app.db).await.unwrap(), 0);
    let memberships = group_membership::Entity::find().filter(group_membership::Column::SourcedId.is_not_null());
    assert_eq!(memberships.count(&app.db).await.unwrap(), 3);

    // What the API would refuse to archive, the sync refuses too: a zone with a live school, a
    // school with live teachers. Together with its teachers, a school goes.
    let zone_gone = json!({"records": [{"sourced_id": "zone-n", "status": "tobedeleted"}]});
    let refused = put(&app, &token, "/api/v1/sync/zones", zone_gone).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["records[0].status"]);
    let school_gone = json!({"records": [{"sourced_id": "sch-n1", "status": "tobedeleted"}]});
    let refused = put(&app, &token, "/api/v1/sync/schools", school_gone).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["records[0].status"]);
    let teachers_gone = json!({"records": [{"sourced_id": "N-1", "status": "tobedeleted"},
                                           {"sourced_id": "N-2", "status": "tobedeleted"}]});
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/teachers", teachers_gone).await.expect(200)), (0, 0, 0, 2));
    let school_gone = json!({"records": [{"sourced_id": "sch-n1", "status": "tobedeleted"}]});
    assert_eq!(counts(&put(&app, &token, "/api/v1/sync/schools", school_gone).await.expect(200)), (0, 0, 0, 1));
    let z = zone::Entity::find_by_id(z.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(z.lead_school_id, None, "an archived school leads no zone");
}

/// Malformed batches: 4xx problems naming the field, never a 500.
async fn malformed_batches_are_refused_by_field(app: TestApp) {
    let w = World::build(&app).await;
    let token = district_client(&app, &w).await;
    let cases = [
        (json!({"records": []}), "records"),
        (json!({"records": [{"sourced_id": "x", "name": "甲", "tier": "castle"}]}), "records[0].tier"),
        (json!({"records": [{"sourced_id": "x", "nmae": "甲"}]}), "records[0]"),
        (json!({"records": [{"sourced_id": "x", "tier": "village"}]}), "records[0].name"),
        (json!({"items": []}), "items"),
    ];
    for (body, field) in cases {
        let refused = put(&app, &token, "/api/v1/sync/schools", body.clone()).await.expect(422);
        assert!(
            refused.error_fields().iter().any(|f| f.starts_with(field)),
            "{body} → {:?}, expected {field}",
            refused.error_fields()
        );
    }
    let too_many: Vec<Value> =
        (0..10_001).map(|i| json!({"sourced_id": format!("s{i}"), "name": "x", "tier": "village"})).collect();
    let refused = put(&app, &token, "/api/v1/sync/schools", json!({"records": too_many})).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["records"]);
    let raw = app
        .call_raw("PUT", "/api/v1/sync/schools", Some(&token), "application/json", b"{\"records\": [".to_vec())
        .await;
    assert_eq!(raw.status, 400);
    // dry_run counts without keeping anything.
    let version = newest_version(&app).await;
    let dry = put(&app, &token, "/api/v1/sync/schools?dry_run=true", schools(3)).await.expect(200);
    assert_eq!((counts(&dry), dry.body["dry_run"].as_bool()), ((3, 0, 0, 0), Some(true)));
    assert_eq!(newest_version(&app).await, version);
    assert_eq!(dry.body["change_version"].as_i64(), Some(version), "a dry run announces no version of its own");
    assert_eq!(school::Entity::find().filter(school::Column::SourcedId.is_not_null()).count(&app.db).await.unwrap(), 0);
}

on_both_backends!(
    a_roster_round_trip_writes_only_what_changed,
    one_bad_record_leaves_everything_as_it_was,
    a_school_limited_client_stays_in_its_school,
    organisation_groups_and_memberships,
    malformed_batches_are_refused_by_field,
);

/// A benchmark, not a check (`cargo test --release -p jiaoyan-tests --test api sync_bench -- --ignored
/// --nocapture`): 10,000 teachers across 100 schools pushed, re-sent, and read back from the feed.
async fn sync_bench_ten_thousand_teachers(app: TestApp) {
    let w = World::build(&app).await;
    let token = district_client(&app, &w).await;
    put(&app, &token, "/api/v1/sync/schools", schools(100)).await.expect(200);
    let batch = json!({"records": teachers(0..10_000, 100)});
    let started = std::time::Instant::now();
    let first = put(&app, &token, "/api/v1/sync/teachers", batch.clone()).await.expect(200);
    let created = started.elapsed();
    assert_eq!(counts(&first), (10_000, 0, 0, 0));
    let started = std::time::Instant::now();
    let again = put(&app, &token, "/api/v1/sync/teachers", batch).await.expect(200);
    let resent = started.elapsed();
    assert_eq!(counts(&again), (0, 0, 10_000, 0));
    let started = std::time::Instant::now();
    let (mut since, mut read) = (0, 0);
    loop {
        let page =
            app.get(&token, &format!("/api/v1/changes?since={since}&types=teachers&limit=1000")).await.expect(200);
        read += page.body["changes"].as_array().unwrap().len();
        since = page.body["next_since"].as_i64().unwrap();
        if !page.body["has_more"].as_bool().unwrap() {
            break;
        }
    }
    let pulled = started.elapsed();
    println!(
        "{:?}: 10,000 teachers created in {created:.2?}, re-sent (unchanged) in {resent:.2?}, {read} feed entries read in {pulled:.2?}",
        app.backend
    );
}

mod bench {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "a benchmark: run with --ignored --nocapture, preferably --release"]
    async fn sync_bench_sqlite() {
        super::sync_bench_ten_thousand_teachers(jiaoyan_tests::TestApp::spawn(jiaoyan_tests::Backend::Sqlite).await)
            .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "a benchmark: run with --ignored --nocapture, preferably --release"]
    async fn sync_bench_postgres() {
        super::sync_bench_ten_thousand_teachers(jiaoyan_tests::TestApp::spawn(jiaoyan_tests::Backend::Postgres).await)
            .await
    }
}
