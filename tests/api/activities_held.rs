//! Recording an activity that already took place in one call (`POST /activities` with `status:
//! held`, the "四定", lessons and attendance): it stores exactly what creating it scheduled,
//! PATCHing it to held and PUTting its attendance store; a refused part stores nothing; and it
//! counts as held in attendance rates and quota checks.

use entities::{activity, activity_lesson, activity_participant};
use jiaoyan_tests::fixtures::{new_teacher, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::Value;

/// A session of group A on Thursday 2026-10-15 (past) with its "四定" and two lessons.
fn session(w: &World, status: &str) -> Value {
    json!({"organiser_kind": "group", "organiser_id": w.group_a, "semester_id": w.semester,
        "activity_type": "lesson_study", "title": "二年级识字课例研讨", "topic": "低年级识字教学的有效性",
        "date": "2026-10-15", "start_time": "14:30", "end_time": "16:00", "venue": "语文教研室",
        "lead_speaker_teacher_id": w.teacher_a, "status": status,
        "lessons": [{"teacher_id": w.teacher_a, "subject": "语文", "grade": 2, "class_name": "二(1)班",
                     "lesson_kind": "research", "title": "《小蝌蚪找妈妈》"},
                    {"teacher_id": w.leader_a, "subject": "语文", "lesson_kind": "demo"}]})
}

/// The attendance of that session: both members (one on leave) and a colleague who walked in.
fn attendance(w: &World, guest: i64) -> Value {
    json!([{"teacher_id": w.teacher_a, "status": "present"},
           {"teacher_id": w.leader_a, "status": "on_leave", "leave_reason": "外出培训"},
           {"teacher_id": guest, "status": "late", "expected": false}])
}

/// `value` without the keys that differ between two stored copies of the same activity.
fn comparable(mut value: Value) -> Value {
    for key in ["id", "activity_id", "created_at", "updated_at"] {
        value.as_object_mut().unwrap().remove(key);
    }
    if let Some(items) = value["items"].as_array_mut() {
        for item in items {
            item.as_object_mut().unwrap().remove("updated_at");
        }
    }
    value
}

async fn stored_rows(app: &TestApp) -> (u64, u64, u64) {
    (
        activity::Entity::find().count(&app.db).await.unwrap(),
        activity_lesson::Entity::find().count(&app.db).await.unwrap(),
        activity_participant::Entity::find().count(&app.db).await.unwrap(),
    )
}

async fn one_call_stores_what_the_three_calls_store(app: TestApp) {
    let w = World::build(&app).await;
    let leader = &w.tokens.leader_a;
    let guest = new_teacher(&app.db, w.school_a, "孙老师").await;

    // Three calls: scheduled with the 四定, PATCH to held, PUT the attendance.
    let three = app.post(leader, "/api/v1/activities", session(&w, "scheduled")).await.expect(201);
    let three = three.body["id"].as_i64().unwrap();
    app.patch(leader, &format!("/api/v1/activities/{three}"), json!({"status": "held"})).await.expect(200);
    let path = format!("/api/v1/activities/{three}/attendance");
    app.call("PUT", &path, Some(leader), Some(json!({"entries": attendance(&w, guest)}))).await.expect(200);

    // One call.
    let mut body = session(&w, "held");
    body["attendance"] = attendance(&w, guest);
    let created = app.post(leader, "/api/v1/activities", body).await.expect(201);
    let one = created.body["id"].as_i64().unwrap();
    assert_eq!(created.header("location"), format!("/api/v1/activities/{one}"));

    // The response is what GET answers; GET answers what it does for the three calls.
    let got = app.get(leader, &format!("/api/v1/activities/{one}")).await.expect(200);
    assert_eq!(created.body, got.body);
    assert_eq!(got.body["status"], "held");
    assert_eq!(got.body["summary_due_on"], "2026-10-20", "the due day is set as on scheduling");
    assert_eq!(got.body["lessons"].as_array().unwrap().len(), 2);
    let three_got = app.get(leader, &format!("/api/v1/activities/{three}")).await.expect(200);
    assert_eq!(comparable(got.body), comparable(three_got.body));

    // The same attendance: the members listed as expected, the walk-in added, each recorded by the leader.
    let one_attendance = app.get(leader, &format!("/api/v1/activities/{one}/attendance")).await.expect(200);
    let three_attendance = app.get(leader, &path).await.expect(200);
    let s = &one_attendance.body["summary"];
    assert_eq!((s["expected"].as_i64(), s["present"].as_i64(), s["on_leave"].as_i64()), (Some(2), Some(1), Some(1)));
    assert_eq!((s["walk_ins"].as_i64(), s["rate"].as_f64()), (Some(1), Some(1.0)));
    assert_eq!(one_attendance.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(comparable(one_attendance.body), comparable(three_attendance.body));

    // Without attendance, the members are expected and still pending, as after PATCH to held.
    let bare = app.post(leader, "/api/v1/activities", session(&w, "held")).await.expect(201);
    let bare = app.get(leader, &format!("/api/v1/activities/{}/attendance", bare.body["id"])).await.expect(200);
    assert_eq!(
        (bare.body["summary"]["expected"].as_i64(), bare.body["summary"]["pending"].as_i64()),
        (Some(2), Some(2))
    );

    // A zone's 联片教研 lists nobody by default: its attendance names its participants.
    let zone = json!({"organiser_kind": "zone", "organiser_id": w.zone, "semester_id": w.semester,
        "activity_type": "joint_research", "title": "东片联片教研", "topic": "作业设计", "date": "2026-11-03",
        "start_period": 5, "venue": "乙小学多功能教室", "lead_speaker_name": "县语文教研员", "status": "held",
        "host_school_id": w.school_b,
        "attendance": [{"teacher_id": w.teacher_a, "status": "present"}, {"teacher_id": w.teacher_b, "status": "absent"}]});
    let zone = app.post(&w.tokens.district_admin, "/api/v1/activities", zone).await.expect(201);
    let path = format!("/api/v1/activities/{}/attendance", zone.body["id"]);
    let zone_attendance = app.get(&w.tokens.district_admin, &path).await.expect(200);
    assert_eq!(zone_attendance.body["summary"]["expected"], 2);
    assert_eq!(zone_attendance.body["summary"]["rate"], 0.5);
}

async fn a_refused_part_stores_nothing_and_names_its_field(app: TestApp) {
    let w = World::build(&app).await;
    let leader = &w.tokens.leader_a;
    let held = |extra: Value| {
        let mut body = session(&w, "held");
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases: Vec<(Value, Vec<&str>)> = vec![
        // The attendance, with the rules of PUT …/attendance, named under `attendance`: a teacher
        // of school B is "no such teacher" to school A's leader, as is a missing one; leave needs
        // a reason; each teacher once.
        (
            json!({"attendance": [{"teacher_id": w.teacher_a, "status": "present"},
                                  {"teacher_id": w.teacher_b, "status": "present"},
                                  {"teacher_id": 999_999, "status": "absent"},
                                  {"teacher_id": w.leader_a, "status": "on_leave"},
                                  {"teacher_id": w.teacher_a, "status": "late"}]}),
            vec![
                "attendance[1].teacher_id",
                "attendance[2].teacher_id",
                "attendance[3].leave_reason",
                "attendance[4].teacher_id",
            ],
        ),
        (json!({"attendance": [{"teacher_id": w.teacher_a, "status": "came"}]}), vec!["attendance[0].status"]),
        // Together with the activity's own fields, in one answer.
        (
            json!({"title": " ", "lessons": [{"teacher_id": w.teacher_b, "subject": "语文", "lesson_kind": "open"}],
                   "attendance": [{"teacher_id": w.teacher_a, "status": "present", "leave_reason": "x"}]}),
            vec!["title", "lessons[0].teacher_id", "attendance[0].leave_reason"],
        ),
        // Held only on or after its day (the semester runs to 2027-01-22).
        (json!({"date": "2027-01-14"}), vec!["date"]),
        // Holding needs the 四定, as scheduling does.
        (json!({"venue": null, "lead_speaker_teacher_id": null}), vec!["venue", "lead_speaker_teacher_id"]),
        // Attendance goes with held only; cancelled and archived come through the life cycle.
        (json!({"status": "scheduled", "attendance": []}), vec!["attendance"]),
        (
            json!({"status": "draft", "attendance": [{"teacher_id": w.teacher_a, "status": "on_leave",
                "leave_reason": "产假"}]}),
            vec!["attendance"],
        ),
        (json!({"status": "cancelled"}), vec!["status"]),
        (json!({"status": "archived"}), vec!["status"]),
    ];
    for (extra, fields) in cases {
        let refused = app.post(leader, "/api/v1/activities", held(extra.clone())).await;
        assert_eq!(refused.status, 422, "{extra}: {}", refused.body);
        assert_eq!(refused.content_type(), "application/problem+json");
        assert_eq!(refused.error_fields(), fields, "{extra}");
    }
    let too_many: Vec<Value> = (0..501).map(|i| json!({"teacher_id": i, "status": "present"})).collect();
    let refused = app.post(leader, "/api/v1/activities", held(json!({"attendance": too_many}))).await.expect(422);
    assert_eq!(refused.error_fields(), ["attendance"]);
    // A teacher does not record the group's activities.
    app.post(&w.tokens.teacher_a, "/api/v1/activities", held(json!({}))).await.expect(403);

    // Nothing was stored: the list is empty, and no lesson or participant row exists.
    let list = app.get(leader, "/api/v1/activities?include_archived=true").await.expect(200);
    assert_eq!(list.body["total"], 0);
    assert_eq!(stored_rows(&app).await, (0, 0, 0));
    // The same body without its faults is stored whole.
    app.post(
        leader,
        "/api/v1/activities",
        held(json!({"attendance": [{"teacher_id": w.teacher_a, "status": "present"}]})),
    )
    .await
    .expect(201);
    assert_eq!(stored_rows(&app).await, (1, 2, 2));
}

async fn it_counts_as_held_in_rates_and_quota_checks(app: TestApp) {
    let w = World::build(&app).await;
    let rule = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/quota-rules",
            json!({"school_id": w.school_a, "name": "每学期至少开展1次教研活动", "subject_type": "group",
                   "metric": {"kind": "activities_held"}, "period": "semester", "min": 1, "severity": "required"}),
        )
        .await
        .expect(201);
    let rule = rule.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/quota-checks?semester_id={}&as_of=2026-11-20&group_id={}", w.semester, w.group_a);
    let check = || {
        let (app, path, token) = (&app, &path, &w.tokens.admin_a);
        async move {
            let resp = app.get(token, path).await.expect(200);
            resp.body["items"].as_array().unwrap().iter().find(|i| i["rule"]["id"] == rule).cloned().expect("the rule")
        }
    };
    assert_eq!(check().await["actual"].as_f64(), Some(0.0));

    let mut body = session(&w, "held");
    body["attendance"] = json!([{"teacher_id": w.teacher_a, "status": "present"}]);
    app.post(&w.tokens.leader_a, "/api/v1/activities", body).await.expect(201);

    let after = check().await;
    assert_eq!((after["actual"].as_f64(), after["status"].as_str()), (Some(1.0), Some("met")));
    // teacher_a attended the one held activity; the leader was expected and never recorded.
    let rate = |teacher: i64| format!("/api/v1/attendance-rates/teachers/{teacher}?semester_id={}", w.semester);
    let teacher = app.get(&w.tokens.admin_a, &rate(w.teacher_a)).await.expect(200);
    assert_eq!((teacher.body["activities"].as_i64(), teacher.body["counts"]["rate"].as_f64()), (Some(1), Some(1.0)));
    let leader = app.get(&w.tokens.admin_a, &rate(w.leader_a)).await.expect(200);
    assert_eq!(
        (leader.body["counts"]["pending"].as_i64(), leader.body["counts"]["rate"].as_f64()),
        (Some(1), Some(0.0))
    );
}

on_both_backends!(
    one_call_stores_what_the_three_calls_store,
    a_refused_part_stores_nothing_and_names_its_field,
    it_counts_as_held_in_rates_and_quota_checks,
);
