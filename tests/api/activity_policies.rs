//! Activity policies: per district, zone, school or group; the most specific one applies to an
//! activity (its summary deadline on scheduling), DELETE falls back to the next level, and only
//! the scope's managers write them.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use serde_json::Value;

/// A scheduled group-A activity on Thursday 2026-10-15.
async fn scheduled_activity(app: &TestApp, w: &World) -> Resp {
    app.post(
        &w.tokens.leader_a,
        "/api/v1/activities",
        json!({"organiser_kind": "group", "organiser_id": w.group_a, "semester_id": w.semester,
            "activity_type": "collective_prep", "title": "集体备课", "topic": "第三单元", "date": "2026-10-15",
            "start_period": 6, "venue": "语文教研室", "lead_speaker_name": "李组长", "status": "scheduled"}),
    )
    .await
    .expect(201)
}

async fn the_most_specific_policy_sets_the_summary_deadline(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    // Built-in default: the Tuesday after (seed 001).
    let first = scheduled_activity(&app, &w).await;
    assert_eq!(first.body["summary_due_on"], "2026-10-20");
    let id = first.body["id"].as_i64().unwrap();
    let effective = app.get(&t.teacher_a, &format!("/api/v1/activities/{id}/policy")).await.expect(200);
    assert_eq!(effective.body["source"], Value::Null);
    assert_eq!(effective.body["summary_due_rule"], "next_weekday");
    assert_eq!(effective.body["summary_due_value"], 2);

    // A district policy (Friday after), then the group's own (3 days after) wins.
    let district = format!("/api/v1/activity-policies/district/{}", w.district);
    let created = app
        .call(
            "PUT",
            &district,
            Some(&t.district_admin),
            Some(json!({"summary_due_rule": "next_weekday", "summary_due_value": 5})),
        )
        .await
        .expect(201);
    assert_eq!(created.body["late_after_minutes"], 5, "minutes default to the built-in values");
    assert_eq!(scheduled_activity(&app, &w).await.body["summary_due_on"], "2026-10-16");
    let group = format!("/api/v1/activity-policies/group/{}", w.group_a);
    let body = json!({"summary_due_rule": "days_after", "summary_due_value": 3, "sign_in_opens_minutes_before": 15,
        "sign_in_closes_minutes_after": 30, "late_after_minutes": 10});
    app.call("PUT", &group, Some(&t.leader_a), Some(body.clone())).await.expect(201);
    let replaced = app.call("PUT", &group, Some(&t.leader_a), Some(body)).await.expect(200);
    assert_eq!(replaced.body["sign_in_opens_minutes_before"], 15);
    assert_eq!(scheduled_activity(&app, &w).await.body["summary_due_on"], "2026-10-18");
    let effective = app.get(&t.teacher_a, &format!("/api/v1/activities/{id}/policy")).await.expect(200);
    assert_eq!(effective.body["source"], json!({"scope": "group", "scope_id": w.group_a}));
    assert_eq!(effective.body["summary_due_on"], "2026-10-18");

    // Listing: school A's teacher sees the district's and their group's; school B's admin only
    // the district's.
    let listed = app.get(&t.teacher_a, "/api/v1/activity-policies").await.expect(200);
    assert_eq!(listed.body["total"], 2);
    let listed = app.get(&t.admin_b, "/api/v1/activity-policies").await.expect(200);
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["scope"], "district");
    let listed = app.get(&t.district_admin, "/api/v1/activity-policies?scope=group").await.expect(200);
    assert_eq!(listed.body["total"], 1);
    app.get(&t.other_district_admin, &group).await.expect(404);
    assert_eq!(app.get(&t.other_district_admin, "/api/v1/activity-policies").await.expect(200).body["total"], 0);

    // DELETE really deletes: the district's applies again; idempotent.
    app.delete(&t.leader_a, &group).await.expect(204);
    app.delete(&t.leader_a, &group).await.expect(204);
    app.get(&t.leader_a, &group).await.expect(404);
    let effective = app.get(&t.teacher_a, &format!("/api/v1/activities/{id}/policy")).await.expect(200);
    assert_eq!(effective.body["source"], json!({"scope": "district", "scope_id": w.district}));
    assert_eq!(app.get(&t.teacher_a, &district).await.expect(200).body["summary_due_value"], 5);
}

async fn only_the_scope_managers_write_and_values_are_checked(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let body = json!({"summary_due_rule": "none", "summary_due_value": null});
    let put = |path: String, token: String, body: Value| {
        let app = &app;
        async move { app.call("PUT", &path, Some(&token), Some(body)).await }
    };
    let district = format!("/api/v1/activity-policies/district/{}", w.district);
    let zone = format!("/api/v1/activity-policies/zone/{}", w.zone);
    let school_a = format!("/api/v1/activity-policies/school/{}", w.school_a);
    let group_a = format!("/api/v1/activity-policies/group/{}", w.group_a);
    // District and zone: district administrators only.
    put(district.clone(), t.admin_a.clone(), body.clone()).await.expect(403);
    put(zone.clone(), t.admin_a.clone(), body.clone()).await.expect(403);
    put(zone.clone(), t.district_admin.clone(), body.clone()).await.expect(201);
    // A school: its administrators; other schools do not even see it.
    put(school_a.clone(), t.leader_a.clone(), body.clone()).await.expect(403);
    put(school_a.clone(), t.admin_b.clone(), body.clone()).await.expect(404);
    put(school_a.clone(), t.admin_a.clone(), body.clone()).await.expect(201);
    // A group: whoever manages its contents, the leader included; not its members.
    put(group_a.clone(), t.teacher_a.clone(), body.clone()).await.expect(403);
    put(group_a.clone(), t.teacher_b.clone(), body.clone()).await.expect(404);
    app.delete(&t.teacher_a, &school_a).await.expect(403);
    put(group_a.clone(), t.leader_a.clone(), body.clone()).await.expect(201);
    put(format!("/api/v1/activity-policies/group/{}", w.group_b), t.leader_a.clone(), body.clone()).await.expect(404);
    put(format!("/api/v1/activity-policies/district/{}", w.other_district), t.district_admin.clone(), body.clone())
        .await
        .expect(404);
    app.get(&t.teacher_a, "/api/v1/activity-policies/team/1").await.expect(404);

    // Values: each rule its range, minutes 0–1440, unknown rules and fields named.
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"summary_due_rule": "next_weekday", "summary_due_value": 0}), vec!["summary_due_value"]),
        (json!({"summary_due_rule": "next_weekday"}), vec!["summary_due_value"]),
        (json!({"summary_due_rule": "days_after", "summary_due_value": 61}), vec!["summary_due_value"]),
        (json!({"summary_due_rule": "none", "summary_due_value": 2}), vec!["summary_due_value"]),
        (
            json!({"summary_due_rule": "days_after", "summary_due_value": 2, "late_after_minutes": -1,
                "sign_in_opens_minutes_before": 1441}),
            vec!["sign_in_opens_minutes_before", "late_after_minutes"],
        ),
        (json!({"summary_due_rule": "weekly"}), vec!["summary_due_rule"]),
        (json!({"summary_due_rule": "none", "colour": 1}), vec!["colour"]),
    ];
    for (body, fields) in cases {
        let resp = put(group_a.clone(), t.leader_a.clone(), body.clone()).await;
        assert_eq!(resp.status, 422, "{body}: {}", resp.body);
        assert_eq!(resp.error_fields(), fields, "{body}");
    }
    // A rule of none gives no deadline.
    let scheduled = app
        .post(
            &t.leader_a,
            "/api/v1/activities",
            json!({"organiser_kind": "group", "organiser_id": w.group_a, "semester_id": w.semester,
                "activity_type": "collective_prep", "title": "集体备课", "topic": "第三单元", "date": "2026-10-15",
                "start_time": "14:30", "venue": "语文教研室", "lead_speaker_teacher_id": w.leader_a,
                "status": "scheduled"}),
        )
        .await
        .expect(201);
    assert_eq!(scheduled.body["summary_due_on"], Value::Null);
    assert_eq!(scheduled.body["summary_late"], false);
}

on_both_backends!(
    the_most_specific_policy_sets_the_summary_deadline,
    only_the_scope_managers_write_and_values_are_checked,
);
