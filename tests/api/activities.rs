//! Activities (教研活动): planning with the "四定", the status life cycle, expected participants
//! and summary deadlines on scheduling, generation from weekly slots, list filters and scope.

use entities::activity_participant;
use entities::enums::AttendanceStatus;
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

/// A draft of group A with only what a draft needs, plus `extra`.
fn draft(w: &World, extra: Value) -> Value {
    let mut body = json!({"organiser_kind": "group", "organiser_id": w.group_a, "semester_id": w.semester,
        "activity_type": "lesson_study", "title": "二年级识字课例研讨"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// The "四定" of a Thursday session (2026-10-15) led by teacher_a.
fn four_fixed(w: &World) -> Value {
    json!({"date": "2026-10-15", "start_time": "14:30", "end_time": "16:00", "topic": "低年级识字教学的有效性",
        "venue": "语文教研室", "lead_speaker_teacher_id": w.teacher_a})
}

async fn create(app: &TestApp, token: &str, body: Value) -> i64 {
    app.post(token, "/api/v1/activities", body).await.expect(201).body["id"].as_i64().unwrap()
}

async fn patch(app: &TestApp, token: &str, id: i64, body: Value) -> Resp {
    app.patch(token, &format!("/api/v1/activities/{id}"), body).await
}

async fn participants(app: &TestApp, activity_id: i64) -> Vec<activity_participant::Model> {
    activity_participant::Entity::find()
        .filter(activity_participant::Column::ActivityId.eq(activity_id))
        .order_by_asc(activity_participant::Column::TeacherId)
        .all(&app.db)
        .await
        .unwrap()
}

async fn scheduling_needs_the_four_fixed_and_fills_participants_and_the_summary_deadline(app: TestApp) {
    let w = World::build(&app).await;
    let leader = &w.tokens.leader_a;

    // A bare draft lacks all four; the view says which.
    let created = app.post(leader, "/api/v1/activities", draft(&w, json!({}))).await.expect(201);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.headers["location"], format!("/api/v1/activities/{id}").as_str());
    assert_eq!(created.body["status"], "draft");
    assert_eq!(created.body["organiser_id"], w.group_a);
    assert_eq!(created.body["school_id"], w.school_a);
    assert_eq!(created.body["modality"], "on_site");
    assert_eq!(created.body["missing_for_schedule"], json!(["date", "topic", "venue", "lead_speaker_teacher_id"]));

    // Scheduling is refused, naming exactly the missing 定.
    let refused = patch(&app, leader, id, json!({"status": "scheduled"})).await.expect(422);
    assert_eq!(refused.error_fields(), ["date", "topic", "venue", "lead_speaker_teacher_id"]);
    assert!(refused.body["detail"].as_str().unwrap().contains("四定"), "{}", refused.body);
    let refused = patch(&app, leader, id, json!({"status": "scheduled", "date": "2026-10-15", "topic": "识字"}))
        .await
        .expect(422);
    assert_eq!(refused.error_fields(), ["start_time", "venue", "lead_speaker_teacher_id"]);
    // Nothing was stored by the refused PATCH.
    let got = app.get(leader, &format!("/api/v1/activities/{id}")).await.expect(200);
    assert_eq!(got.body["date"], Value::Null);
    assert!(participants(&app, id).await.is_empty());

    // With all four it is scheduled: the group's live members are expected, the summary is due
    // the Tuesday after (seed 001).
    let mut body = four_fixed(&w);
    body["status"] = json!("scheduled");
    let scheduled = patch(&app, leader, id, body).await.expect(200);
    assert_eq!(scheduled.body["status"], "scheduled");
    assert_eq!(scheduled.body["missing_for_schedule"], json!([]));
    assert_eq!(scheduled.body["summary_due_on"], "2026-10-20");
    assert_eq!(scheduled.body["start_time"], "14:30");
    let listed = participants(&app, id).await;
    let mut expected = vec![w.teacher_a, w.leader_a];
    expected.sort();
    assert_eq!(listed.iter().map(|p| p.teacher_id).collect::<Vec<_>>(), expected);
    assert!(listed.iter().all(|p| p.expected && p.status == AttendanceStatus::Pending));

    // While scheduled, no 定 may be cleared.
    let refused = patch(&app, leader, id, json!({"venue": null})).await.expect(422);
    assert_eq!(refused.error_fields(), ["venue"]);
    // Minutes may be taken, the summary waits until it is held.
    patch(&app, leader, id, json!({"minutes": "主备人说课，组内研讨"})).await.expect(200);
    patch(&app, leader, id, json!({"summary": "简报"})).await.expect(409);
    // Other transitions are 409 naming both ends.
    let refused = patch(&app, leader, id, json!({"status": "archived"})).await.expect(409);
    let detail = refused.body["detail"].as_str().unwrap();
    assert!(detail.contains("scheduled") && detail.contains("archived"), "{detail}");

    // Held (its day has passed), then the summary, late since it is past 10-20.
    let held =
        patch(&app, leader, id, json!({"status": "held", "summary": "本次活动围绕识字教学展开"})).await.expect(200);
    assert_eq!(held.body["status"], "held");
    assert!(held.body["summary_submitted_at"].is_string());
    assert_eq!(held.body["summary_late"], true);
    let first_submission = held.body["summary_submitted_at"].clone();
    let again = patch(&app, leader, id, json!({"summary": "修订后的简报"})).await.expect(200);
    assert_eq!(again.body["summary_submitted_at"], first_submission, "the first submission counts");
    // Scheduling again does not add anyone twice.
    assert_eq!(participants(&app, id).await.len(), 2);

    // Archived (归档) is read-only, yet still listed.
    patch(&app, leader, id, json!({"status": "archived"})).await.expect(200);
    let refused = patch(&app, leader, id, json!({"title": "改名"})).await.expect(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("archived"));
    let list = app.get(leader, "/api/v1/activities").await.expect(200);
    assert_eq!(list.ids(), vec![id]);
}

async fn cancelling_going_back_to_draft_and_holding_too_early(app: TestApp) {
    let w = World::build(&app).await;
    let leader = &w.tokens.leader_a;
    // Created scheduled at once, for a day still to come (the semester ends 2027-01-22).
    let mut body = draft(&w, four_fixed(&w));
    body["date"] = json!("2027-01-14");
    body["status"] = json!("scheduled");
    let created = app.post(leader, "/api/v1/activities", body).await.expect(201);
    let later = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["status"], "scheduled");
    assert_eq!(created.body["summary_due_on"], "2027-01-19");
    assert_eq!(participants(&app, later).await.len(), 2);
    let refused = patch(&app, leader, later, json!({"status": "held"})).await.expect(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("before"));

    // Back to draft: no deadline any more; a draft cannot be held.
    let back = patch(&app, leader, later, json!({"status": "draft"})).await.expect(200);
    assert_eq!(back.body["summary_due_on"], Value::Null);
    patch(&app, leader, later, json!({"status": "held"})).await.expect(409);

    // Creating cancelled is refused (held is recorded in one call: activities_held.rs).
    let refused = app.post(leader, "/api/v1/activities", draft(&w, json!({"status": "cancelled"}))).await.expect(422);
    assert_eq!(refused.error_fields(), ["status"]);
    // Creating scheduled without the 四定 names them.
    let refused =
        app.post(leader, "/api/v1/activities", draft(&w, json!({"status": "scheduled", "topic": "识字"}))).await;
    assert_eq!(refused.expect(422).error_fields(), ["date", "venue", "lead_speaker_teacher_id"]);

    // Cancelled with a reason, then read-only; the reason only goes with cancelling.
    patch(&app, leader, later, json!({"cancel_reason": "停电"})).await.expect(422);
    let cancelled =
        patch(&app, leader, later, json!({"status": "cancelled", "cancel_reason": "县教研活动冲突"})).await.expect(200);
    assert_eq!(cancelled.body["cancel_reason"], "县教研活动冲突");
    assert_eq!(cancelled.body["summary_late"], false);
    patch(&app, leader, later, json!({"status": "draft"})).await.expect(409);
    patch(&app, leader, later, json!({"topic": "新主题"})).await.expect(409);

    // An online session's place may be its link.
    let mut body = draft(&w, four_fixed(&w));
    body["venue"] = Value::Null;
    body["modality"] = json!("online");
    body["meeting_url"] = json!("https://meeting.example/123");
    body["status"] = json!("scheduled");
    app.post(leader, "/api/v1/activities", body).await.expect(201);

    // DELETE withdraws: idempotent, gone from lists, readable by id, read-only.
    let id = create(&app, leader, draft(&w, json!({}))).await;
    app.delete(leader, &format!("/api/v1/activities/{id}")).await.expect(204);
    app.delete(leader, &format!("/api/v1/activities/{id}")).await.expect(204);
    let got = app.get(leader, &format!("/api/v1/activities/{id}")).await.expect(200);
    assert!(got.body["archived_at"].is_string());
    assert!(!app.get(leader, "/api/v1/activities").await.expect(200).ids().contains(&id));
    let with_archived = app.get(leader, "/api/v1/activities?include_archived=true").await.expect(200);
    assert!(with_archived.ids().contains(&id));
    patch(&app, leader, id, json!({"title": "x"})).await.expect(409);
}

async fn lessons_are_stored_and_replaced_whole(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let lessons = json!([
        {"teacher_id": w.teacher_a, "subject": "语文", "grade": 2, "class_name": "二(1)班", "lesson_kind": "research",
         "title": "《小蝌蚪找妈妈》"},
        {"teacher_id": w.leader_a, "subject": "语文", "lesson_kind": "demo"}
    ]);
    let created = app.post(admin, "/api/v1/activities", draft(&w, json!({"lessons": lessons}))).await.expect(201);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["lessons"].as_array().unwrap().len(), 2);
    assert_eq!(created.body["lessons"][0]["title"], "《小蝌蚪找妈妈》");
    assert_eq!(created.body["lessons"][1]["position"], 1);
    let replaced = patch(
        &app,
        admin,
        id,
        json!({"lessons": [{"teacher_id": w.leader_a, "subject": "数学", "grade": 5, "lesson_kind": "open"}]}),
    )
    .await
    .expect(200);
    assert_eq!(
        replaced.body["lessons"],
        json!([{"position": 0, "teacher_id": w.leader_a, "subject": "数学",
        "grade": 5, "class_name": null, "lesson_kind": "open", "title": null}])
    );
    // A teacher of another school is "no such teacher" to school A, as is a missing one.
    let refused = patch(
        &app,
        admin,
        id,
        json!({"lessons": [{"teacher_id": w.teacher_b, "subject": "语文", "lesson_kind": "open", "grade": 7},
                           {"teacher_id": 999_999, "subject": "语文", "lesson_kind": "open"}]}),
    )
    .await
    .expect(422);
    assert_eq!(refused.error_fields(), ["lessons[0].grade", "lessons[0].teacher_id", "lessons[1].teacher_id"]);
    let refused = patch(&app, admin, id, json!({"lead_speaker_teacher_id": w.teacher_b})).await.expect(422);
    assert_eq!(refused.body["errors"][0]["message"], "no such teacher");
    // Unknown lesson kinds name their path.
    let refused = patch(
        &app,
        admin,
        id,
        json!({"lessons": [{"teacher_id": w.teacher_a, "subject": "语文", "lesson_kind": "x"}]}),
    )
    .await
    .expect(422);
    assert_eq!(refused.error_fields(), ["lessons[0].lesson_kind"]);
    patch(&app, admin, id, json!({"lessons": null})).await.expect(200);
    let got = app.get(admin, &format!("/api/v1/activities/{id}")).await.expect(200);
    assert_eq!(got.body["lessons"], json!([]));
}

async fn validation_errors_name_their_fields(app: TestApp) {
    let w = World::build(&app).await;
    let leader = &w.tokens.leader_a;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"start_time": "25:00"}), vec!["start_time"]),
        (json!({"start_time": "15:00", "end_time": "14:00"}), vec!["end_time"]),
        (json!({"end_time": "14:00"}), vec!["start_time"]),
        (json!({"start_period": 7, "end_period": 6}), vec!["end_period"]),
        (json!({"start_period": 13}), vec!["start_period"]),
        (json!({"date": "2026-08-20"}), vec!["date"]),
        (json!({"date": "2027-02-01"}), vec!["date"]),
        (json!({"activity_type": "party"}), vec!["activity_type"]),
        (json!({"modality": "hybrid"}), vec!["modality"]),
        (json!({"title": "  "}), vec!["title"]),
        (json!({"meeting_url": "ftp://x"}), vec!["meeting_url"]),
        (json!({"semester_id": 999_999}), vec!["semester_id"]),
        (json!({"host_school_id": w.school_c}), vec!["host_school_id"]),
        (json!({"host_school_id": w.school_a}), vec!["host_school_id"]),
        (json!({"pairing_id": 999_999}), vec!["pairing_id"]),
        (json!({"colour": "red"}), vec!["colour"]),
    ];
    for (extra, fields) in cases {
        let resp = app.post(leader, "/api/v1/activities", draft(&w, extra.clone())).await;
        assert_eq!(resp.status, 422, "{extra}: {}", resp.body);
        assert_eq!(resp.error_fields(), fields, "{extra}");
    }
    // Organisers out of reach or missing are "no such ...".
    let mut body = draft(&w, json!({}));
    body["organiser_id"] = json!(w.group_b);
    let resp = app.post(leader, "/api/v1/activities", body).await.expect(422);
    assert_eq!(resp.error_fields(), ["organiser_id"]);
    // PATCH validates the same way.
    let id = create(&app, leader, draft(&w, json!({}))).await;
    let resp = patch(&app, leader, id, json!({"date": "2027-03-01", "start_time": "9:00"})).await.expect(422);
    assert_eq!(resp.error_fields(), ["start_time", "date"]);
    let resp = app.get(leader, "/api/v1/activities?status=draft,planned").await.expect(422);
    assert_eq!(resp.error_fields(), ["status"]);
    let resp = app.get(leader, "/api/v1/activities?sort=venue").await.expect(422);
    assert_eq!(resp.error_fields(), ["sort"]);
}

async fn list_filters(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let prep = create(
        &app,
        admin,
        draft(&w, json!({"activity_type": "collective_prep", "title": "集体备课：第三单元", "date": "2026-09-17"})),
    )
    .await;
    let mut scheduled = draft(&w, four_fixed(&w));
    scheduled["status"] = json!("scheduled");
    scheduled["title"] = json!("识字课例研讨");
    let study = create(&app, admin, scheduled).await;
    let school_wide = create(
        &app,
        admin,
        json!({"organiser_kind": "school", "organiser_id": w.school_a, "semester_id": w.semester,
            "activity_type": "lecture", "title": "专题讲座", "topic": "作业设计", "date": "2026-11-05",
            "modality": "online",
            "lessons": [{"teacher_id": w.leader_a, "subject": "数学", "lesson_kind": "demo"}]}),
    )
    .await;
    let zone = create(
        &app,
        &w.tokens.district_admin,
        json!({"organiser_kind": "zone", "organiser_id": w.zone, "semester_id": w.semester,
            "activity_type": "joint_research", "title": "东片联片教研", "date": "2026-12-03",
            "host_school_id": w.school_b}),
    )
    .await;

    let ids = |q: &str| {
        let app = &app;
        let q = q.to_string();
        async move { app.get(admin, &format!("/api/v1/activities?{q}")).await.expect(200).ids() }
    };
    assert_eq!(ids("").await, vec![prep, study, school_wide, zone]);
    assert_eq!(ids("status=scheduled").await, vec![study]);
    assert_eq!(ids("status=draft,scheduled&sort=-id").await, vec![zone, school_wide, study, prep]);
    assert_eq!(ids("activity_type=collective_prep,lecture").await, vec![prep, school_wide]);
    assert_eq!(ids(&format!("group_id={}", w.group_a)).await, vec![prep, study]);
    assert_eq!(ids("organiser_kind=school").await, vec![school_wide]);
    assert_eq!(ids(&format!("zone_id={}", w.zone)).await, vec![prep, study, school_wide, zone]);
    assert_eq!(ids(&format!("school_id={}", w.school_b)).await, vec![zone]);
    assert_eq!(ids(&format!("school_id={}", w.school_a)).await, vec![prep, study, school_wide]);
    assert_eq!(ids("modality=online").await, vec![school_wide]);
    assert_eq!(ids("date_from=2026-10-01&date_to=2026-11-30").await, vec![study, school_wide]);
    assert_eq!(ids("q=识字").await, vec![study]);
    assert_eq!(ids("q=作业").await, vec![school_wide], "the topic is searched too");
    assert_eq!(ids("sort=-date").await, vec![zone, school_wide, study, prep]);
    assert_eq!(ids(&format!("semester_id={}", w.semester + 1000)).await, Vec::<i64>::new());
    // teacher_id: the lead speaker, a teaching teacher, or an expected participant.
    assert_eq!(ids(&format!("teacher_id={}", w.leader_a)).await, vec![study, school_wide]);
    assert_eq!(ids(&format!("teacher_id={}", w.teacher_a)).await, vec![study]);
    let page = app.get(admin, "/api/v1/activities?limit=2&offset=1").await.expect(200);
    assert_eq!(page.body["total"], 4);
    assert_eq!(page.ids(), vec![study, school_wide]);
}

async fn other_schools_neither_see_nor_change_school_a_activities(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let id = create(&app, &t.leader_a, draft(&w, json!({}))).await;
    let path = format!("/api/v1/activities/{id}");
    for token in [&t.admin_b, &t.teacher_b, &t.other_district_admin] {
        app.get(token, &path).await.expect(404);
        app.patch(token, &path, json!({"title": "x"})).await.expect(404);
        app.delete(token, &path).await.expect(404);
        app.get(token, &format!("{path}/policy")).await.expect(404);
        let list = app.get(token, "/api/v1/activities?include_archived=true").await.expect(200);
        assert!(!list.ids().contains(&id));
    }
    // A teacher of school A reads it but may not plan or change activities.
    app.get(&t.teacher_a, &path).await.expect(200);
    app.post(&t.teacher_a, "/api/v1/activities", draft(&w, json!({}))).await.expect(403);
    app.patch(&t.teacher_a, &path, json!({"title": "x"})).await.expect(403);
    app.delete(&t.teacher_a, &path).await.expect(403);
    // School A's admin and the district office run it.
    patch(&app, &t.admin_a, id, json!({"title": "改过的标题"})).await.expect(200);
    patch(&app, &t.district_admin, id, json!({"topic": "主题"})).await.expect(200);
    // School B's admin cannot organise for school A, nor a zone (only the lead school A can).
    let mut body = draft(&w, json!({}));
    body["organiser_kind"] = json!("school");
    body["organiser_id"] = json!(w.school_a);
    app.post(&t.admin_b, "/api/v1/activities", body).await.expect(422);
    let zone = json!({"organiser_kind": "zone", "organiser_id": w.zone, "semester_id": w.semester,
        "activity_type": "joint_research", "title": "联片教研"});
    app.post(&t.admin_b, "/api/v1/activities", zone.clone()).await.expect(403);
    let zone_activity = create(&app, &t.admin_a, zone).await;
    // Zone activities are district-level: school B reads it.
    app.get(&t.teacher_b, &format!("/api/v1/activities/{zone_activity}")).await.expect(200);
}

async fn a_pairing_activity_is_seen_by_both_schools(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let pairing = app
        .post(
            &t.district_admin,
            "/api/v1/school-pairings",
            json!({"mentor_school_id": w.school_a, "partner_school_id": w.school_b, "kind": "outreach",
                "start_date": "2026-09-01"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let body = json!({"organiser_kind": "school", "organiser_id": w.school_a, "semester_id": w.semester,
        "activity_type": "outreach", "title": "送教下乡", "pairing_id": pairing});
    let created = app.post(&t.admin_a, "/api/v1/activities", body.clone()).await.expect(201);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["host_school_id"], w.school_b, "the host is the pairing's other school");
    app.get(&t.admin_b, &format!("/api/v1/activities/{id}")).await.expect(200);
    let listed = app.get(&t.teacher_b, &format!("/api/v1/activities?pairing_id={pairing}")).await.expect(200);
    assert_eq!(listed.ids(), vec![id]);
    // The partner school reads but does not run it.
    patch(&app, &t.admin_b, id, json!({"title": "x"})).await.expect(403);
    // A different host is refused; a teacher of the host school is fine for the district, but
    // still "no such teacher" for school A's admin.
    let mut wrong_host = body.clone();
    wrong_host["host_school_id"] = json!(w.school_a);
    let refused = app.post(&t.admin_a, "/api/v1/activities", wrong_host).await.expect(422);
    assert_eq!(refused.error_fields(), ["host_school_id"]);
    patch(&app, &t.admin_a, id, json!({"lead_speaker_teacher_id": w.teacher_b})).await.expect(422);
    patch(&app, &t.district_admin, id, json!({"lead_speaker_teacher_id": w.teacher_b})).await.expect(200);
    // The partner school plans in the pairing too; its host is then school A.
    let mut partner = body;
    partner["organiser_id"] = json!(w.school_b);
    let created = app.post(&t.admin_b, "/api/v1/activities", partner).await.expect(201);
    assert_eq!(created.body["host_school_id"], w.school_a);
    // A group of school A plans in it as well; a zone activity (no school of its own) cannot.
    let in_group = app.post(&t.leader_a, "/api/v1/activities", draft(&w, json!({"pairing_id": pairing}))).await;
    assert_eq!(in_group.expect(201).body["host_school_id"], w.school_b);
    let zone = json!({"organiser_kind": "zone", "organiser_id": w.zone, "semester_id": w.semester,
        "activity_type": "joint_research", "title": "联片教研", "pairing_id": pairing});
    let refused = app.post(&t.district_admin, "/api/v1/activities", zone).await.expect(422);
    assert_eq!(refused.error_fields(), ["pairing_id"]);
}

async fn generation_from_weekly_slots(app: TestApp) {
    let w = World::build(&app).await;
    let leader = &w.tokens.leader_a;
    let slot = |weekday: i32, pattern: &str| {
        let app = &app;
        let body = json!({"weekday": weekday, "start_period": 6, "end_period": 6, "start_time": "14:30",
            "end_time": "15:10", "venue": "语文教研室", "week_pattern": pattern});
        let path = format!("/api/v1/groups/{}/slots", w.group_a);
        async move { app.post(leader, &path, body).await.expect(201).body["id"].as_i64().unwrap() }
    };
    let generate = |slot_id: i64, query: String| {
        let app = &app;
        let path = format!("/api/v1/groups/{}/slots/{slot_id}/generate?semester_id={}{query}", w.group_a, w.semester);
        async move { app.post(leader, &path, json!({})).await }
    };

    // 语文星期四下午第二节课 (seed 000), every week: 21 Thursdays, 10-01 is 国庆.
    let thursday = slot(4, "every").await;
    let first = generate(thursday, String::new()).await.expect(201);
    assert_eq!(first.body["created"], 20);
    let location = first.headers["location"].to_str().unwrap().to_string();
    assert_eq!(app.get(leader, &location).await.expect(200).body["total"], 20);
    assert_eq!(first.body["already_existing"], 0);
    let activities = first.body["activities"].as_array().unwrap();
    let dates: Vec<&str> = activities.iter().map(|a| a["date"].as_str().unwrap()).collect();
    assert_eq!(dates[0], "2026-09-03");
    assert!(!dates.contains(&"2026-10-01"));
    assert!(dates.contains(&"2026-10-08"));
    assert_eq!(activities[0]["title"], "甲小学语文教研组 集体备课 (第1周)");
    assert_eq!(activities[0]["status"], "draft");
    assert_eq!(activities[0]["start_period"], 6);
    assert_eq!(activities[0]["venue"], "语文教研室");
    assert_eq!(activities[0]["slot_id"], thursday);
    assert_eq!(activities[0]["generated_for"], "2026-09-03");

    // Re-running creates nothing, even after a draft was withdrawn.
    let withdrawn = activities[0]["id"].as_i64().unwrap();
    app.delete(leader, &format!("/api/v1/activities/{withdrawn}")).await.expect(204);
    let again = generate(thursday, String::new()).await.expect(200);
    assert_eq!(again.body["created"], 0);
    assert_eq!(again.body["already_existing"], 20);
    let listed = app.get(leader, &format!("/api/v1/activities?group_id={}&limit=100", w.group_a)).await.expect(200);
    assert_eq!(listed.body["total"], 19);

    // Odd and even Wednesdays; every second Tuesday; a window.
    let odd = generate(slot(3, "odd").await, String::new()).await.expect(201);
    assert_eq!(odd.body["created"], 11);
    // Ten even weeks, but Wednesday 10-07 (week 6) is still 国庆.
    let even = generate(slot(3, "even").await, String::new()).await.expect(201);
    assert_eq!(even.body["created"], 9);
    assert_eq!(even.body["activities"][0]["date"], "2026-09-09");
    let fortnightly =
        generate(slot(2, "every_two_weeks").await, "&activity_type=theory_study".into()).await.expect(201);
    assert_eq!(fortnightly.body["created"], 11);
    assert_eq!(fortnightly.body["activities"][1]["date"], "2026-09-15");
    assert_eq!(fortnightly.body["activities"][0]["activity_type"], "theory_study");
    let window = generate(slot(1, "every").await, "&from=2026-09-01&until=2026-09-30".into()).await.expect(201);
    assert_eq!(window.body["created"], 4, "Mondays 09-07 … 09-28 (08-31 is before the semester)");

    // Errors: unknown semester (422), other school (404), teachers (403), unknown slot (404).
    let resp = app
        .post(leader, &format!("/api/v1/groups/{}/slots/{thursday}/generate?semester_id=999999", w.group_a), json!({}))
        .await
        .expect(422);
    assert_eq!(resp.error_fields(), ["semester_id"]);
    let path = format!("/api/v1/groups/{}/slots/{thursday}/generate?semester_id={}", w.group_a, w.semester);
    app.post(&w.tokens.admin_b, &path, json!({})).await.expect(404);
    app.post(&w.tokens.teacher_a, &path, json!({})).await.expect(403);
    let path = format!("/api/v1/groups/{}/slots/999999/generate?semester_id={}", w.group_a, w.semester);
    app.post(leader, &path, json!({})).await.expect(404);
    let path = format!("/api/v1/groups/{}/slots/{thursday}/generate?semester_id={}", w.group_b, w.semester);
    app.post(&w.tokens.district_admin, &path, json!({})).await.expect(404);
}

on_both_backends!(
    scheduling_needs_the_four_fixed_and_fills_participants_and_the_summary_deadline,
    cancelling_going_back_to_draft_and_holding_too_early,
    lessons_are_stored_and_replaced_whole,
    validation_errors_name_their_fields,
    list_filters,
    other_schools_neither_see_nor_change_school_a_activities,
    a_pairing_activity_is_seen_by_both_schools,
    generation_from_weekly_slots,
);
