//! The audit trail: every write records who, what (before → after), when, from where and
//! through which operation; administrators read their scope's entries, teachers the history of
//! what they own; the log is append-only and pruned after the retention period.

use jiaoyan_tests::clients::{put, register, token_for};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

fn items(resp: &Resp) -> Vec<Value> {
    resp.body["items"].as_array().unwrap().clone()
}

async fn audit(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    items(&app.get(token, &format!("/api/v1/audit?limit=500&{query}")).await.expect(200))
}

async fn user_id(app: &TestApp, token: &str) -> i64 {
    app.get(token, "/api/v1/me").await.expect(200).body["id"].as_i64().unwrap()
}

async fn a_patch_records_before_and_after_with_who_where_and_how(app: TestApp) {
    let w = World::build(&app).await;
    let admin = user_id(&app, &w.tokens.admin_a).await;
    let path = format!("/api/v1/teachers/{}", w.teacher_a);
    app.patch(&w.tokens.admin_a, &path, json!({"name": "王莉", "subjects": ["语文"]})).await.expect(200);

    let entries = audit(&app, &w.tokens.admin_a, &format!("resource_type=teachers&resource_id={}", w.teacher_a)).await;
    let row = entries.iter().find(|e| e["part"].is_null()).expect("the teacher's own row");
    assert_eq!(row["action"], "update");
    assert_eq!(row["before"], json!({"name": "王老师"}), "only the changed field, not updated_at");
    assert_eq!(row["after"], json!({"name": "王莉"}));
    assert_eq!((row["actor_type"].as_str(), row["actor_id"].as_i64()), (Some("user"), Some(admin)));
    assert_eq!(row["operation"], "PATCH /api/v1/teachers/{id}");
    assert_eq!(row["address"], "127.0.0.1");
    assert!(row["request_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!((row["school_id"].as_i64(), row["district_id"].as_i64()), (Some(w.school_a), Some(w.district)));
    // The subjects are a part of the teacher: filed under the teacher, by the same request.
    let subject = entries.iter().find(|e| e["part"] == "teacher_subjects").expect("a subject entry");
    assert_eq!(subject["action"], "insert");
    assert_eq!(subject["after"]["subject"], "语文");
    assert_eq!(subject["request_id"], row["request_id"]);
}

/// Creates run on SQLite's write thread, away from the request's task (docs/WRITES.md, "The
/// write thread"): the caller, operation and request id still reach the audit trail with them.
async fn a_create_is_recorded_with_its_caller(app: TestApp) {
    let w = World::build(&app).await;
    let teacher = user_id(&app, &w.tokens.teacher_a).await;
    let body = json!({"observed_teacher_id": w.leader_a, "observed_on": "2026-10-15", "subject": "语文",
                      "lesson_kind": "ordinary"});
    let created = app.post(&w.tokens.teacher_a, "/api/v1/observations", body).await.expect(201);
    let id = created.body["id"].as_i64().unwrap();
    let entries = audit(&app, &w.tokens.admin_a, &format!("resource_type=observations&resource_id={id}")).await;
    let row = entries.iter().find(|e| e["action"] == "insert").expect("an insert entry");
    assert_eq!((row["actor_type"].as_str(), row["actor_id"].as_i64()), (Some("user"), Some(teacher)));
    assert_eq!(row["operation"], "POST /api/v1/observations");
    assert!(row["request_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(row["after"]["observed_teacher_id"], w.leader_a);
}

async fn an_archive_is_an_entry_of_its_own(app: TestApp) {
    let w = World::build(&app).await;
    let teacher_account = user_id(&app, &w.tokens.teacher_a).await;
    app.delete(&w.tokens.admin_a, &format!("/api/v1/users/{teacher_account}")).await.expect(204);
    let entries = audit(&app, &w.tokens.admin_a, &format!("resource_type=users&resource_id={teacher_account}")).await;
    let archive = entries.iter().find(|e| e["action"] == "archive").expect("an archive entry");
    assert_eq!(archive["before"]["archived_at"], Value::Null);
    assert!(archive["after"]["archived_at"].is_string());
    assert_eq!(archive["operation"], "DELETE /api/v1/users/{id}");
}

async fn a_sync_run_is_recorded_with_the_client_as_actor(app: TestApp) {
    let w = World::build(&app).await;
    let client =
        register(&app, &w.tokens.district_admin, "县教师管理系统", &["roster.read", "roster.write"], None).await;
    let token = token_for(&app, &client).await;
    let school = |name: &str| json!({"records": [{"sourced_id": "sch-1", "name": name, "tier": "county_direct"}]});
    put(&app, &token, "/api/v1/sync/schools", school("第一小学")).await.expect(200);
    put(&app, &token, "/api/v1/sync/schools", school("第一实验小学")).await.expect(200);

    let by_client = audit(&app, &w.tokens.district_admin, &format!("actor_type=client&actor_id={}", client.id)).await;
    assert_eq!(by_client.len(), 2, "one insert and one update: {by_client:?}");
    assert!(by_client.iter().all(|e| e["operation"] == "PUT /api/v1/sync/schools" && e["resource_type"] == "schools"));
    let (update, insert) = (&by_client[0], &by_client[1]);
    assert_eq!(insert["action"], "insert");
    assert_eq!(insert["after"]["name"], "第一小学");
    assert_eq!(insert["after"]["sourced_id"], "sch-1");
    assert_eq!(update["action"], "update");
    assert_eq!(
        (update["before"]["name"].as_str(), update["after"]["name"].as_str()),
        (Some("第一小学"), Some("第一实验小学"))
    );
    assert!(update["id"].as_i64() > insert["id"].as_i64(), "newest first");
}

/// The CSV import writes through the same sync: its rows carry the uploader and the operation.
async fn a_csv_import_is_recorded_with_the_uploader(app: TestApp) {
    let w = World::build(&app).await;
    let admin = user_id(&app, &w.tokens.district_admin).await;
    let orgs = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,tier\n\
        CTY,active,,测试县,district,,,\n\
        S-01,active,,三里畈小学,school,4211230001,CTY,township_central\n";
    app.call_raw("POST", "/api/v1/sync/csv?file=orgs.csv", Some(&w.tokens.district_admin), "text/csv", orgs.into())
        .await
        .expect(200);
    let entries = audit(&app, &w.tokens.district_admin, &format!("actor_type=user&actor_id={admin}")).await;
    let school = entries.iter().find(|e| e["resource_type"] == "schools").expect("the imported school");
    assert_eq!((school["action"].as_str(), school["after"]["name"].as_str()), (Some("insert"), Some("三里畈小学")));
    assert_eq!(school["operation"], "POST /api/v1/sync/csv");
}

async fn no_secret_is_ever_recorded(app: TestApp) {
    let w = World::build(&app).await;
    let created = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            json!({"username": "wang", "password": "a-long-password", "role": "teacher", "school_id": w.school_a,
                   "teacher_id": w.teacher_a}),
        )
        .await
        .expect(201);
    let id = created.body["id"].as_i64().unwrap();
    app.patch(&w.tokens.admin_a, &format!("/api/v1/users/{id}"), json!({"password": "another-long-password"}))
        .await
        .expect(200);
    let client = register(&app, &w.tokens.district_admin, "平台", &["roster.read"], None).await;
    let calendar = app.call("POST", "/api/v1/me/calendar-token", Some(&w.tokens.teacher_a), None).await.expect(200);
    let feed_token = calendar.body["token"].as_str().unwrap().to_string();

    let all = app.get(&w.tokens.root, "/api/v1/audit?limit=500").await.expect(200);
    let text = all.body.to_string();
    for secret in ["a-long-password", "another-long-password", &client.secret, &feed_token, "$argon2"] {
        assert!(!text.contains(secret), "{secret} is in the audit trail");
    }
    let entries = items(&all);
    let password_change = entries
        .iter()
        .find(|e| e["resource_type"] == "users" && e["resource_id"] == id && e["action"] == "update")
        .expect("the password change is recorded");
    assert_eq!(password_change["before"], json!({"password_hash": "[redacted]"}));
    assert_eq!(password_change["after"], json!({"password_hash": "[redacted]"}));
    let insert =
        entries.iter().find(|e| e["resource_type"] == "users" && e["resource_id"] == id && e["action"] == "insert");
    assert!(insert.unwrap()["after"].get("password_hash").is_none());
    let token_entry = entries.iter().find(|e| e["part"] == "calendar_tokens").expect("the feed token's issue");
    assert!(token_entry["after"].get("token_hash").is_none());
}

async fn administrators_read_their_scope_and_teachers_their_own(app: TestApp) {
    let w = World::build(&app).await;
    app.patch(&w.tokens.admin_a, &format!("/api/v1/teachers/{}", w.teacher_a), json!({"name": "王莉"}))
        .await
        .expect(200);
    app.patch(&w.tokens.admin_b, &format!("/api/v1/teachers/{}", w.teacher_b), json!({"name": "赵敏"}))
        .await
        .expect(200);
    let record = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/records",
            json!({"kind": "essay", "title": "随笔", "written_on": "2026-10-20"}),
        )
        .await
        .expect(201);
    let record_id = record.body["id"].as_i64().unwrap();

    let school_a = |e: &Value| e["school_id"].as_i64() == Some(w.school_a);
    let of_b = audit(&app, &w.tokens.admin_b, "").await;
    assert!(!of_b.is_empty() && !of_b.iter().any(school_a), "admin_b sees only school b");
    let probed = audit(&app, &w.tokens.admin_b, &format!("resource_type=teachers&resource_id={}", w.teacher_a)).await;
    assert!(probed.is_empty(), "another school's history is not listed even when asked for by id");
    let of_a = audit(&app, &w.tokens.admin_a, "").await;
    assert!(of_a.iter().all(school_a) && of_a.iter().any(|e| e["resource_id"] == record_id));
    let district = audit(&app, &w.tokens.district_admin, "resource_type=teachers").await;
    assert!(
        district.iter().any(|e| e["resource_id"] == w.teacher_a)
            && district.iter().any(|e| e["resource_id"] == w.teacher_b)
    );
    let other_district = audit(&app, &w.tokens.other_district_admin, "resource_type=teachers").await;
    assert!(other_district.iter().all(|e| e["resource_id"] == w.teacher_c), "only the other district's teacher");

    let own = audit(&app, &w.tokens.teacher_a, "").await;
    assert!(own.iter().any(|e| e["resource_type"] == "records" && e["resource_id"] == record_id));
    assert!(own.iter().any(|e| e["resource_type"] == "teachers" && e["resource_id"] == w.teacher_a));
    assert!(own.iter().all(|e| e["resource_id"] == record_id || e["resource_id"] == w.teacher_a));
    let other_teacher = audit(&app, &w.tokens.teacher_b, "").await;
    assert!(other_teacher.iter().all(|e| e["resource_id"] != record_id && e["resource_id"] != w.teacher_a));
}

async fn filters_and_paging(app: TestApp) {
    let w = World::build(&app).await;
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    for name in ["一", "二", "三"] {
        app.patch(&w.tokens.admin_a, &format!("/api/v1/teachers/{}", w.teacher_a), json!({"name": name}))
            .await
            .expect(200);
    }
    let query = format!("resource_type=teachers&resource_id={}&actor_type=user", w.teacher_a);
    let first = app.get(&w.tokens.admin_a, &format!("/api/v1/audit?{query}&limit=2")).await.expect(200);
    assert_eq!((first.body["total"].as_u64(), items(&first).len()), (Some(3), 2));
    assert_eq!(items(&first)[0]["after"]["name"], "三", "newest first");
    let second = app.get(&w.tokens.admin_a, &format!("/api/v1/audit?{query}&limit=2&offset=2")).await.expect(200);
    assert_eq!(items(&second)[0]["after"]["name"], "一");
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let since = audit(&app, &w.tokens.admin_a, &format!("{query}&from={}", stamp(before))).await;
    assert_eq!(since.len(), 3);
    let until = audit(&app, &w.tokens.admin_a, &format!("{query}&to={}", stamp(before))).await;
    assert!(until.is_empty());
    for field in ["resource_id", "actor_id"] {
        let zero = app.get(&w.tokens.admin_a, &format!("/api/v1/audit?{field}=0")).await.expect(422);
        assert_eq!(zero.error_fields(), vec![field]);
    }
    let refused = app.get(&w.tokens.admin_a, "/api/v1/audit?resource_type=passwords").await.expect(422);
    assert_eq!(refused.error_fields(), vec!["resource_type"]);
}

async fn the_log_is_append_only_and_pruned_after_retention(app: TestApp) {
    let w = World::build(&app).await;
    app.patch(&w.tokens.admin_a, &format!("/api/v1/teachers/{}", w.teacher_a), json!({"name": "王莉"}))
        .await
        .expect(200);
    let backend = app.db.get_database_backend();
    for sql in ["UPDATE audit_log SET action = 'insert'", "DELETE FROM audit_log"] {
        let refused = app.db.execute_raw(Statement::from_string(backend, sql)).await;
        assert!(refused.is_err(), "{sql} must be refused");
    }
    let count = || async { app.get(&w.tokens.root, "/api/v1/audit").await.expect(200).body["total"].as_u64().unwrap() };
    let kept = count().await;
    assert!(kept > 0);
    let now = chrono::Utc::now().timestamp();
    assert_eq!(api::audit::retention::purge(&app.db, 30, now).await.unwrap(), 0, "nothing is 30 days old");
    assert_eq!(count().await, kept);
    let removed = api::audit::retention::purge(&app.db, 1, now + 2 * 86_400).await.unwrap();
    assert_eq!(removed, kept);
    assert_eq!(count().await, 0);
    // The prune's permission ended with it.
    app.patch(&w.tokens.admin_a, &format!("/api/v1/teachers/{}", w.teacher_a), json!({"name": "王丽"}))
        .await
        .expect(200);
    assert!(app.db.execute_raw(Statement::from_string(backend, "DELETE FROM audit_log")).await.is_err());
}

on_both_backends!(
    a_patch_records_before_and_after_with_who_where_and_how,
    a_create_is_recorded_with_its_caller,
    an_archive_is_an_entry_of_its_own,
    a_sync_run_is_recorded_with_the_client_as_actor,
    a_csv_import_is_recorded_with_the_uploader,
    no_secret_is_ever_recorded,
    administrators_read_their_scope_and_teachers_their_own,
    filters_and_paging,
    the_log_is_append_only_and_pruned_after_retention,
);
