//! Collective lesson preparation (集体备课, seed 003): two preparations of one group played over
//! a manual clock through the draft (one on time, one late), the co-preparers' notes (one
//! co-preparer gives none), the consensus after the session and each teacher's reflection (a
//! reflection record); the quota rules over them; validation naming the fields; the lead-time
//! policy; and who may read and write each stage.

use api::config::Settings;
use chrono::{TimeZone, Utc};
use entities::enums::{MemberRole, Role};
use jiaoyan_tests::fixtures::{new_membership, new_teacher, new_user, World};
use jiaoyan_tests::{json, on_both_backends, Clock, Resp, TestApp, PASSWORD};
use serde_json::Value;

/// 10:00 in UTC+8 on the day.
fn at(m: u32, d: u32) -> chrono::DateTime<Utc> {
    let (y, m) = if m < 9 { (2027, m) } else { (2026, m) };
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

fn on_a_manual_clock(settings: &mut Settings) {
    settings.clock = Some(Clock::manual(at(10, 5)));
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> Resp {
    app.call("PUT", path, Some(token), Some(body)).await
}

fn id(resp: &Resp) -> i64 {
    resp.body["id"].as_i64().unwrap_or_else(|| panic!("no id in {}", resp.body))
}

/// The fixture's group A with a third member, 张老师, who logs in.
async fn group_of_three(app: &TestApp, w: &World) -> (i64, String) {
    let zhang = new_teacher(&app.db, w.school_a, "张老师").await;
    new_membership(&app.db, w.group_a, zhang, MemberRole::Member).await;
    new_user(&app.db, "zhang", Role::Teacher, Some(w.district), Some(w.school_a), Some(zhang)).await;
    (zhang, app.login("zhang", PASSWORD).await)
}

const SECTIONS: &str =
    r#"[{"title": "教学目标", "body": "能正确、流利地朗读课文。"}, {"title": "教学过程", "body": "一、谈话导入"}]"#;

fn draft() -> Value {
    json!({"sections": serde_json::from_str::<Value>(SECTIONS).unwrap()})
}

/// Checks of one rule for one teacher (or group) after the semester.
async fn check(app: &TestApp, token: &str, semester: i64, rule: i64, who: &str) -> Value {
    let path = format!("/api/v1/quota-checks?semester_id={semester}&as_of=2027-01-25&rule_id={rule}&{who}");
    let body = app.get(token, &path).await.expect(200).body;
    body["items"][0].clone()
}

async fn a_preparation_through_its_three_stages(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let (zhang, zhang_token) = group_of_three(&app, &w).await;

    // The group's leader starts two preparations; the co-preparers default to the other members.
    let first = app
        .post(
            &t.leader_a,
            "/api/v1/preparations",
            json!({"group_id": w.group_a, "grade": 3, "unit_title": "第三单元", "lesson_title": "秋天的雨",
                   "lead_teacher_id": w.teacher_a, "session_on": "2026-10-15"}),
        )
        .await
        .expect(201);
    let p1 = id(&first);
    assert_eq!(first.body["subject"], "语文", "the group's subject");
    assert_eq!(first.body["draft"]["due_on"], "2026-10-12", "three days before the session (seed 003)");
    assert_eq!(first.body["stage"], "draft");
    assert_eq!(first.body["next_due"], json!({"stage": "draft", "due_on": "2026-10-12", "teacher_ids": [w.teacher_a]}));
    let roles: Vec<(i64, String)> = first.body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["teacher_id"].as_i64().unwrap(), p["role"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        roles,
        vec![(w.teacher_a, "lead".into()), (w.leader_a, "co_preparer".into()), (zhang, "co_preparer".into())]
    );
    let p2 = id(&app
        .post(
            &t.admin_a,
            "/api/v1/preparations",
            json!({"group_id": w.group_a, "grade": 3, "lesson_title": "听听，秋的声音", "lead_teacher_id": zhang,
                   "co_preparer_teacher_ids": [w.teacher_a], "session_on": "2026-10-20"}),
        )
        .await
        .expect(201));

    // The draft is the lead's: on time for the first, late for the second.
    assert_eq!(put(&app, &t.leader_a, &format!("/api/v1/preparations/{p1}/draft"), draft()).await.status, 403);
    app.clock.set(at(10, 11));
    let drafted = put(&app, &t.teacher_a, &format!("/api/v1/preparations/{p1}/draft"), draft()).await.expect(200);
    assert_eq!(
        (drafted.body["draft"]["status"].as_str(), drafted.body["stage"].as_str()),
        (Some("on_time"), Some("notes"))
    );
    assert_eq!(drafted.body["next_due"]["teacher_ids"], json!([w.leader_a, zhang]));

    // Notes: the co-preparers', on a section of the draft; 张老师 gives none on the first.
    app.clock.set(at(10, 13));
    let note = |token: &str, p: i64, section: i64| {
        let (app, token) = (&app, token.to_string());
        async move {
            app.post(
                &token,
                &format!("/api/v1/preparations/{p}/notes"),
                json!({"section": section, "body": "导入可用落叶图片"}),
            )
            .await
        }
    };
    note(&t.leader_a, p1, 0).await.expect(201);
    assert_eq!(note(&t.leader_a, p1, 5).await.expect(422).error_fields(), vec!["section"]);
    assert_eq!(note(&t.teacher_a, p1, 0).await.status, 403, "the lead writes no notes on their own draft");
    let replaced = put(&app, &t.teacher_a, &format!("/api/v1/preparations/{p1}/draft"), draft()).await;
    assert_eq!(replaced.status, 409, "a draft with notes on it stays");

    // The consensus after the session, by the lead; notes close with it.
    let consensus = json!({"body": "按讨论意见调整导入与朗读指导环节。"});
    assert_eq!(
        put(&app, &t.teacher_a, &format!("/api/v1/preparations/{p1}/consensus"), consensus.clone()).await.status,
        409
    );
    app.clock.set(at(10, 15));
    let agreed = put(&app, &t.teacher_a, &format!("/api/v1/preparations/{p1}/consensus"), consensus.clone()).await;
    assert_eq!(agreed.expect(200).body["stage"], "reflections");
    assert_eq!(note(&zhang_token, p1, 1).await.status, 409);

    // Each teacher's reflection is a reflection record; one links a record already written.
    app.clock.set(at(10, 16));
    let path = format!("/api/v1/preparations/{p1}/reflections");
    let reflected = app.post(&t.teacher_a, &path, json!({"body": "学生朗读有进步。"})).await.expect(201);
    let record = reflected.body["participants"][0]["reflection_record_id"].as_i64().expect("a record");
    let read = app.get(&t.admin_a, &format!("/api/v1/records/{record}")).await.expect(200);
    assert_eq!(
        (read.body["kind"].as_str(), read.body["author_teacher_id"].as_i64()),
        (Some("reflection"), Some(w.teacher_a))
    );
    assert_eq!(app.post(&t.teacher_a, &path, json!({"body": "再写一篇"})).await.status, 409);
    let written = app
        .post(
            &t.leader_a,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "秋天的雨反思", "written_on": "2026-10-16"}),
        )
        .await
        .expect(201);
    let both = app.post(&t.leader_a, &path, json!({"body": "x", "record_id": id(&written)})).await;
    assert_eq!(both.expect(422).error_fields(), vec!["body"]);
    app.post(&t.leader_a, &path, json!({"record_id": id(&written)})).await.expect(201);
    let last = app.post(&zhang_token, &path, json!({"body": "我没有提修改意见。"})).await.expect(201);
    assert_eq!(last.body["completed_on"], Value::Null, "张老师 gave no notes: not completed through every stage");
    assert_eq!(last.body["participants"][2]["notes_status"], "missed");

    // The second preparation: a late draft, 王老师's note, no consensus yet.
    app.clock.set(at(10, 18));
    let late = put(&app, &zhang_token, &format!("/api/v1/preparations/{p2}/draft"), draft()).await.expect(200);
    assert_eq!(late.body["draft"]["status"], "late");
    note(&t.teacher_a, p2, 1).await.expect(201);

    // The lists: a teacher's and a group's, with what is due next.
    let mine = app.get(&zhang_token, &format!("/api/v1/preparations?teacher_id={zhang}")).await.expect(200);
    assert_eq!(mine.ids(), vec![p1, p2]);
    let group = app.get(&t.teacher_a, &format!("/api/v1/preparations?group_id={}&stage=notes", w.group_a)).await;
    assert_eq!(group.expect(200).ids(), vec![p2]);

    // The due days are in the calendar feeds: 张老师 leads the second, co-prepares the first.
    let feed = app.get(&zhang_token, &format!("/api/v1/calendar/teachers/{zhang}.ics")).await.expect(200);
    let text = feed.body.as_str().unwrap().to_string();
    assert!(text.contains(&format!("UID:preparation-{p2}-draft@jiaoyan")), "{text}");
    assert!(text.contains(&format!("UID:preparation-{p1}-notes@jiaoyan")), "{text}");
    assert!(!text.contains(&format!("UID:preparation-{p1}-draft@jiaoyan")), "not the lead of the first");
    let group_feed = app.get(&t.teacher_a, &format!("/api/v1/calendar/groups/{}.ics", w.group_a)).await.expect(200);
    assert!(group_feed.body.as_str().unwrap().contains("DTSTART;VALUE=DATE:20261012"), "the first draft's due day");

    // Rules count them: 张老师's late draft and missing notes, the group's share completed.
    app.clock.set(at(1, 25));
    let admin = &t.admin_a;
    let rule = |name: &str, subject: &str, metric: &str, min: f64| {
        let body = json!({"school_id": w.school_a, "name": name, "subject_type": subject, "metric": {"kind": metric},
            "applies_to": if subject == "teacher" { json!({"group_ids": [w.group_a]}) } else { json!({}) },
            "period": "semester", "min": min, "severity": "required"});
        let app = &app;
        async move { id(&app.post(admin, "/api/v1/quota-rules", body).await.expect(201)) }
    };
    let drafts = rule("主备教师提前三天发主备教案", "teacher", "prep_drafts_on_time", 1.0).await;
    let notes = rule("副备教师提出修改意见", "teacher", "prep_notes_given", 1.0).await;
    let share = rule("集体备课三度调整完成", "group", "prep_completion_share", 1.0).await;
    let got = |v: Value| (v["status"].as_str().unwrap_or("?").to_string(), v["actual"].as_f64().unwrap_or(-1.0));
    assert_eq!(
        got(check(&app, admin, w.semester, drafts, &format!("teacher_id={}", w.teacher_a)).await),
        ("met".into(), 1.0)
    );
    assert_eq!(
        got(check(&app, admin, w.semester, drafts, &format!("teacher_id={zhang}")).await),
        ("short".into(), 0.0)
    );
    assert_eq!(
        got(check(&app, admin, w.semester, notes, &format!("teacher_id={}", w.teacher_a)).await),
        ("met".into(), 1.0)
    );
    assert_eq!(got(check(&app, admin, w.semester, notes, &format!("teacher_id={zhang}")).await), ("short".into(), 0.0));
    assert_eq!(
        got(check(&app, admin, w.semester, share, &format!("group_id={}", w.group_a)).await),
        ("short".into(), 0.0)
    );
    // explain says why the late draft did not count.
    let explained = app
        .get(admin, &format!("/api/v1/quota-checks/explain?rule_id={drafts}&subject_type=teacher&subject_id={zhang}&semester_id={}&as_of=2027-01-25", w.semester))
        .await
        .expect(200)
        .body;
    let evidence = &explained["evidence"][0];
    assert_eq!((evidence["source"].as_str(), evidence["counted"].as_bool()), (Some("preparation"), Some(false)));
    assert!(evidence["reason"].as_str().unwrap().starts_with("late"), "{evidence}");
}

async fn bad_input_is_named_and_policies_set_the_due_day(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let refused = app
        .post(
            &t.leader_a,
            "/api/v1/preparations",
            json!({"group_id": w.group_a, "grade": 0, "lesson_title": " ", "lead_teacher_id": w.teacher_b,
                   "co_preparer_teacher_ids": [w.leader_a, w.leader_a]}),
        )
        .await
        .expect(422);
    assert_eq!(refused.content_type(), "application/problem+json");
    let mut fields = refused.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["co_preparer_teacher_ids[1]", "grade", "lead_teacher_id", "lesson_title", "session_on"],
        "{}",
        refused.body
    );
    let alone = app
        .post(
            &t.leader_a,
            "/api/v1/preparations",
            json!({"group_id": w.group_a, "grade": 3, "lesson_title": "秋天的雨", "lead_teacher_id": w.teacher_a,
                   "co_preparer_teacher_ids": [], "session_on": "2026-10-15"}),
        )
        .await;
    assert_eq!(alone.expect(422).error_fields(), vec!["co_preparer_teacher_ids"], "一人备课 is refused");
    // A teacher does not start a preparation; another school's group is no such group.
    let body = json!({"group_id": w.group_a, "grade": 3, "lesson_title": "秋天的雨", "lead_teacher_id": w.teacher_a,
                      "session_on": "2026-10-15"});
    assert_eq!(app.post(&t.teacher_a, "/api/v1/preparations", body.clone()).await.status, 403);
    let elsewhere = app.post(&t.admin_b, "/api/v1/preparations", body.clone()).await;
    assert_eq!(elsewhere.expect(422).error_fields(), vec!["group_id"]);

    // The school's policy, then the group's, set the due day of new preparations.
    let effective = format!("/api/v1/preparation-policies/effective?group_id={}", w.group_a);
    assert_eq!(app.get(&t.teacher_a, &effective).await.expect(200).body["source"], "default");
    let school = format!("/api/v1/preparation-policies/schools/{}", w.school_a);
    assert_eq!(put(&app, &t.leader_a, &school, json!({"draft_lead_days": 5})).await.status, 403);
    assert_eq!(
        put(&app, &t.admin_a, &school, json!({"draft_lead_days": 99})).await.expect(422).error_fields(),
        vec!["draft_lead_days"]
    );
    put(&app, &t.admin_a, &school, json!({"draft_lead_days": 5})).await.expect(201);
    let group = format!("/api/v1/preparation-policies/groups/{}", w.group_a);
    put(&app, &t.leader_a, &group, json!({"draft_lead_days": 2})).await.expect(201);
    assert_eq!(app.get(&t.teacher_a, &effective).await.body["draft_lead_days"], 2);
    let made = app.post(&t.leader_a, "/api/v1/preparations", body.clone()).await.expect(201);
    assert_eq!(made.body["draft"]["due_on"], "2026-10-13");
    app.delete(&t.leader_a, &group).await.expect(204);
    let made = app.post(&t.leader_a, "/api/v1/preparations", body).await.expect(201);
    assert_eq!(made.body["draft"]["due_on"], "2026-10-10", "the school's five days");

    // Another school reads none of it: the preparation is a 404, its list empty.
    let p = id(&made);
    for token in [&t.admin_b, &t.teacher_b, &t.other_district_admin] {
        assert_eq!(app.get(token, &format!("/api/v1/preparations/{p}")).await.status, 404);
        let listed = app.get(token, &format!("/api/v1/preparations?group_id={}", w.group_a)).await.expect(200);
        assert!(listed.ids().is_empty());
    }
    // Archived by the group's leader, it is out of the lists.
    app.delete(&t.leader_a, &format!("/api/v1/preparations/{p}")).await.expect(204);
    let listed = app.get(&t.teacher_a, &format!("/api/v1/preparations?group_id={}", w.group_a)).await.expect(200);
    assert!(!listed.ids().contains(&p));
}

on_both_backends!(configure = on_a_manual_clock; a_preparation_through_its_three_stages, bad_input_is_named_and_policies_set_the_due_day);
