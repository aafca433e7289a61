//! Concurrent writers wait their turn: on SQLite, transactions that read before they write used
//! to fail at once with "database is locked" (a 500) when another request wrote in between; they
//! now take the write lock up front (`db::begin_write`). Spec fuzzing with two workers found it.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, TestApp};
use serde_json::Value;
use tokio::task::JoinSet;

/// Sends `n` copies of one request at once and returns their statuses.
async fn at_once(app: &TestApp, n: usize, method: reqwest::Method, path: &str, token: &str, body: Value) -> Vec<u16> {
    let mut calls = JoinSet::new();
    for _ in 0..n {
        let request =
            app.client.request(method.clone(), format!("{}{path}", app.base_url)).bearer_auth(token).json(&body);
        calls.spawn(async move { request.send().await.expect("the service answers").status().as_u16() });
    }
    calls.join_all().await
}

async fn concurrent_writes_never_fail_with_a_server_error(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    // Many replacements of one policy: the first creates it, the others replace it.
    let policy = json!({"capacities": {"backbone_teacher": 2}, "default_capacity": 1, "grade_band_rule": "warn"});
    let path = format!("/api/v1/mentorship-policies/schools/{}", w.school_a);
    let mut statuses = at_once(&app, 24, reqwest::Method::PUT, &path, &t.admin_a, policy).await;
    statuses.sort();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "exactly one created it: {statuses:?}");
    assert!(statuses.iter().all(|s| [200, 201].contains(s)), "{statuses:?}");

    // Many generations from one slot: together they create each session once.
    let slot = app
        .post(
            &t.admin_a,
            &format!("/api/v1/groups/{}/slots", w.group_a),
            json!({"weekday": 4, "start_period": 6, "end_period": 6}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let generate = format!("/api/v1/groups/{}/slots/{slot}/generate?semester_id={}", w.group_a, w.semester);
    let statuses = at_once(&app, 12, reqwest::Method::POST, &generate, &t.leader_a, json!({})).await;
    // A request that raced another to the same day is a 409 on PostgreSQL; never a 5xx.
    assert!(statuses.iter().all(|s| [200, 201, 409].contains(s)), "{statuses:?}");
    let listed = app.get(&t.leader_a, &format!("/api/v1/activities?slot_id={slot}&limit=500")).await.expect(200);
    let again = app.post(&t.leader_a, &generate, json!({})).await.expect(200);
    assert_eq!(again.body["created"], 0);
    assert_eq!(listed.body["total"], again.body["already_existing"], "no session was created twice");
    assert_eq!(listed.body["total"], 20, "every Thursday of the fixture semester but 国庆's");

    // Many records at once by one teacher: all of them are kept.
    let record = json!({"kind": "reflection", "title": "反思", "written_on": "2026-10-09", "body": "今天的课。"});
    let statuses = at_once(&app, 16, reqwest::Method::POST, "/api/v1/records", &t.teacher_a, record).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let mine = app.get(&t.teacher_a, &format!("/api/v1/records?author_teacher_id={}", w.teacher_a)).await.expect(200);
    assert_eq!(mine.body["total"], 16);
}

on_both_backends!(concurrent_writes_never_fail_with_a_server_error);
