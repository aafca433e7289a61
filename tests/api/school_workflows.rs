//! A school's month through the four workflows of the source documents, on one clock and one
//! database (both engines): a collective preparation through its three stages, with a late draft
//! and a co-preparer who gave no notes, as the quota rules see it; October's monthly inspection,
//! pre-filled from the records of the month (the preparation's reflection among them), graded,
//! with a finding corrected; the semester appraisal simulated, published and frozen, its
//! breakdown adding up to the score; and the district team member over the absence share,
//! confirmed out, with the notice read by their school and by no other.

use api::config::Settings;
use chrono::{TimeZone, Utc};
use entities::enums::{MemberRole, Role};
use jiaoyan_tests::fixtures::{new_membership, new_teacher, new_user, World};
use jiaoyan_tests::{json, on_both_backends, Clock, Resp, TestApp, PASSWORD};
use serde_json::Value;

/// 10:00 in China on the day (2026-09 to 2027-01: the fixture's autumn semester).
fn on(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

fn early_october(settings: &mut Settings) {
    settings.clock = Some(Clock::manual(on(2026, 10, 5)));
}

fn id(resp: Resp) -> i64 {
    resp.expect(201).body["id"].as_i64().unwrap()
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> Resp {
    app.call("PUT", path, Some(token), Some(body)).await
}

/// A teacher rule of the school over group A's members, for the semester.
async fn rule(app: &TestApp, w: &World, name: &str, metric: &str) -> i64 {
    let body = json!({"school_id": w.school_a, "name": name, "subject_type": "teacher", "metric": {"kind": metric},
        "applies_to": {"group_ids": [w.group_a]}, "period": "semester", "min": 1, "severity": "required"});
    id(app.post(&w.tokens.admin_a, "/api/v1/quota-rules", body).await)
}

/// (status, actual) of one rule's check for one teacher, as of `as_of`.
async fn checked(app: &TestApp, w: &World, rule: i64, teacher: i64, as_of: &str) -> (String, f64) {
    let path =
        format!("/api/v1/quota-checks?semester_id={}&as_of={as_of}&rule_id={rule}&teacher_id={teacher}", w.semester);
    let item = app.get(&w.tokens.admin_a, &path).await.expect(200).body["items"][0].clone();
    (item["status"].as_str().unwrap_or("?").to_string(), item["actual"].as_f64().unwrap_or(-1.0))
}

fn cents(x: &Value) -> i64 {
    (x.as_f64().unwrap() * 100.0).round() as i64
}

/// Every line adds up to its component, every component to the score, exactly (in hundredths).
fn adds_up(result: &Value) {
    let mut total = 0;
    for c in result["breakdown"]["components"].as_array().unwrap() {
        let lines: i64 = c["lines"].as_array().unwrap().iter().map(|l| cents(&l["points"])).sum();
        assert_eq!(lines, cents(&c["points"]), "{}: the lines add up to the component", c["name"]);
        total += lines;
    }
    assert_eq!(total, cents(&result["score"]), "the components add up to the score: {result}");
}

/// 集体备课 in October: 王老师 leads, 李组长 and 张老师 co-prepare; the draft comes a day late,
/// 张老师 gives no notes. Returns 王老师's reflection record (it is October's work too).
async fn october_preparation(app: &TestApp, w: &World, zhang_token: &str) -> i64 {
    let t = &w.tokens;
    let prep = id(app
        .post(
            &t.leader_a,
            "/api/v1/preparations",
            json!({"group_id": w.group_a, "grade": 3, "unit_title": "第三单元", "lesson_title": "秋天的雨",
                   "lead_teacher_id": w.teacher_a, "session_on": "2026-10-15"}),
        )
        .await);
    let base = format!("/api/v1/preparations/{prep}");
    app.clock.set(on(2026, 10, 13));
    let sections = json!({"sections": [{"title": "教学目标", "body": "能正确、流利地朗读课文。"},
                                       {"title": "教学过程", "body": "一、谈话导入"}]});
    let drafted = put(app, &t.teacher_a, &format!("{base}/draft"), sections).await.expect(200);
    assert_eq!(
        (drafted.body["draft"]["due_on"].as_str(), drafted.body["draft"]["status"].as_str()),
        (Some("2026-10-12"), Some("late"))
    );
    app.post(&t.leader_a, &format!("{base}/notes"), json!({"section": 1, "body": "导入可用落叶图片"}))
        .await
        .expect(201);

    app.clock.set(on(2026, 10, 15));
    let consensus = json!({"body": "按讨论意见调整导入与朗读指导。"});
    let agreed = put(app, &t.teacher_a, &format!("{base}/consensus"), consensus).await;
    assert_eq!(agreed.expect(200).body["stage"], "reflections");
    app.clock.set(on(2026, 10, 16));
    let mut last = Value::Null;
    for token in [&t.teacher_a, &t.leader_a, &zhang_token.to_string()] {
        let made = app.post(token, &format!("{base}/reflections"), json!({"body": "学生朗读有进步。"})).await;
        last = made.expect(201).body;
    }
    assert_eq!(last["completed_on"], Value::Null, "张老师 gave no notes: not completed through every stage");
    assert_eq!(last["participants"][2]["notes_status"], "missed");
    last["participants"][0]["reflection_record_id"].as_i64().expect("王老师's reflection is a record")
}

/// October's monthly inspection of group A: the form shows the month's work, the inspector
/// grades, and a finding is answered and confirmed on time.
async fn october_inspection(app: &TestApp, w: &World, reflection: i64) {
    let t = &w.tokens;
    app.clock.set(on(2026, 10, 20));
    let observed = app.post(
        &t.teacher_a,
        "/api/v1/observations",
        json!({"observed_teacher_id": w.leader_a, "observed_on": "2026-10-20", "subject": "语文",
               "lesson_kind": "ordinary", "lesson_title": "找春天", "strengths": ["导入自然"],
               "weaknesses": [], "suggestions": []}),
    );
    let observed = id(observed.await);
    app.clock.set(on(2026, 10, 30));
    let inspection = id(app
        .post(
            &t.admin_a,
            "/api/v1/inspections",
            json!({"school_id": w.school_a, "kind": "monthly", "inspected_on": "2026-10-30", "group_ids": [w.group_a]}),
        )
        .await);
    let form = app.get(&t.admin_a, &format!("/api/v1/inspections/{inspection}/form")).await.expect(200).body;
    let entry = |item: &str| {
        let row = form["teachers"].as_array().unwrap().iter().find(|r| r["teacher_id"] == w.teacher_a).unwrap();
        row["entries"].as_array().unwrap().iter().find(|e| e["item_key"] == item).unwrap()["found"].clone()
    };
    let work = |found: &Value| -> Vec<i64> {
        found["work"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(work(&entry("reflections")), [reflection], "the preparation's reflection, pre-filled");
    let observations = entry("observations");
    assert_eq!((work(&observations), observations["meets_required"].as_bool()), (vec![observed], Some(false)));

    let grades = json!({"entries": [
        {"teacher_id": w.teacher_a, "item_key": "observations", "grade": "needs_improvement", "comment": "听课不足4节"},
        {"teacher_id": w.teacher_a, "item_key": "reflections", "grade": "excellent"}]});
    put(app, &t.admin_a, &format!("/api/v1/inspections/{inspection}/grades"), grades).await.expect(200);
    let finding = id(app
        .post(
            &t.admin_a,
            &format!("/api/v1/inspections/{inspection}/findings"),
            json!({"teacher_id": w.teacher_a, "item_key": "observations", "description": "请补听3节并写评析",
                   "due_on": "2026-11-06"}),
        )
        .await);
    let path = format!("/api/v1/inspection-findings/{finding}");
    assert_eq!(app.get(&t.teacher_a, "/api/v1/inspection-findings").await.expect(200).ids(), [finding]);
    app.clock.set(on(2026, 11, 4));
    let answer = json!({"response": "已补听3节，见11月听课记录"});
    let responded = app.post(&t.teacher_a, &format!("{path}/response"), answer).await.expect(200).body;
    assert_eq!((responded["status"].as_str(), responded["responded_late"].as_bool()), (Some("responded"), Some(false)));
    let closed = app.post(&t.admin_a, &format!("{path}/confirmation"), json!({"accepted": true})).await;
    assert_eq!(closed.expect(200).body["status"], "closed");
}

/// The semester appraisal after the semester: simulated, published, frozen against later work.
async fn semester_appraisal(app: &TestApp, w: &World, zhang: i64) {
    let admin = &w.tokens.admin_a;
    let scheme = json!({"school_id": w.school_a, "semester_id": w.semester, "name": "2026年秋季学期教师量化考核",
        "spec": {"components": [
            {"name": "教研常规", "cap": 40, "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 10}},
            {"name": "常规检查", "scoring": {"kind": "inspection_grades",
                "grades": {"excellent": 5, "good": 3, "pass": 1}}},
            {"name": "集体备课", "scoring": {"kind": "prep_completion", "points": 10}},
            {"name": "获奖", "scoring": {"kind": "awards", "table": {"county": {"first": 8}}}}]}});
    let base = format!("/api/v1/appraisal-schemes/{}", id(app.post(admin, "/api/v1/appraisal-schemes", scheme).await));

    let simulated = app.post(admin, &format!("{base}/simulate"), json!({})).await.expect(200).body;
    let teachers = simulated["teachers"].as_array().unwrap();
    teachers.iter().for_each(adds_up);
    let score = |teacher: i64| {
        teachers.iter().find(|t| t["subject_id"] == teacher).map(|t| cents(&t["score"])).expect("scored")
    };
    // 李组长: the notes rule (10) and their parts of the preparation (10); 王老师: no rule met,
    // October's grades 待改进 and 优 (0 + 5), their parts of the preparation (10); 张老师: nothing
    // (no notes, so their parts are not done).
    assert_eq!((score(w.leader_a), score(w.teacher_a), score(zhang)), (2000, 1500, 0));
    let wang = teachers.iter().find(|t| t["subject_id"] == w.teacher_a).unwrap();
    let inspected = &wang["breakdown"]["components"][1]["lines"];
    assert_eq!(inspected.as_array().unwrap().len(), 2, "a line per graded item: {inspected}");
    assert!(inspected[0]["label"].as_str().unwrap().contains("月查"), "{inspected}");

    app.post(admin, &format!("{base}/publish"), json!({})).await.expect(201);
    let ranking = app.get(admin, &format!("{base}/schools/{}", w.school_a)).await.expect(200).body;
    let ranks: Vec<i64> = ranking["teachers"].as_array().unwrap().iter().map(|t| t["rank"].as_i64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3]);

    // A prize written after publishing changes nothing published; publishing again does.
    let prize = json!({"kind": "award", "title": "县优质课评比一等奖", "written_on": "2027-01-10",
                       "award_level": "county", "award_rank": "first"});
    app.post(&w.tokens.teacher_a, "/api/v1/records", prize).await.expect(201);
    let mine = format!("{base}/teachers/{}", w.teacher_a);
    let frozen = app.get(&w.tokens.teacher_a, &mine).await.expect(200).body;
    assert_eq!((frozen["version"].as_i64(), cents(&frozen["result"]["score"])), (Some(1), 1500));
    app.post(admin, &format!("{base}/publish"), json!({})).await.expect(201);
    let now = app.get(&w.tokens.teacher_a, &mine).await.expect(200).body;
    adds_up(&now["result"]);
    assert_eq!((now["version"].as_i64(), cents(&now["result"]["score"])), (Some(2), 2300));
    let v1 = app.get(&w.tokens.teacher_a, &format!("{mine}?version=1")).await.expect(200).body;
    assert_eq!(cents(&v1["result"]["score"]), 1500, "version 1 stays as published");
}

/// The district team: 王老师 missed two of its three held sessions; the district confirms the
/// removal and school A, only school A, reads the notice.
async fn district_team_removal(app: &TestApp, w: &World) {
    let t = &w.tokens;
    let team = crate::district_teams::team(app, w).await;
    let report = format!("/api/v1/team-attendance?semester_id={}", w.semester);
    let over =
        crate::district_teams::members_of(&app.get(&t.district_admin, &report).await.expect(200).body, team.group);
    let numbers: Vec<(i64, i64, i64)> = over
        .iter()
        .map(|m| (m["teacher_id"].as_i64().unwrap(), m["held"].as_i64().unwrap(), m["absent"].as_i64().unwrap()))
        .collect();
    assert_eq!(numbers, [(w.teacher_a, 3, 2)]);
    let confirm = json!({"membership_id": team.wang, "semester_id": w.semester});
    let removal = app.post(&t.district_admin, "/api/v1/team-removals", confirm).await.expect(201).body;
    let membership = app.get(&t.district_admin, &format!("/api/v1/groups/{}/members/{}", team.group, team.wang)).await;
    assert_eq!(membership.expect(200).body["until"], "2027-01-25");

    let notices = app.get(&t.admin_a, "/api/v1/notices").await.expect(200).body;
    let notice = notices["items"].as_array().unwrap().iter().find(|n| n["team_removal_id"] == removal["id"]).cloned();
    let notice = notice.expect("school A is told");
    assert!(notice["body"].as_str().unwrap().contains("王老师"), "{notice}");
    let path = format!("/api/v1/notices/{}", notice["id"]);
    assert_eq!(app.get(&t.admin_b, &path).await.status, 404, "another school does not read it");
    assert!(app.get(&t.admin_b, "/api/v1/notices").await.expect(200).body["items"].as_array().unwrap().is_empty());
}

async fn a_school_month_through_the_four_workflows(app: TestApp) {
    let w = World::build(&app).await;
    let zhang = new_teacher(&app.db, w.school_a, "张老师").await;
    new_membership(&app.db, w.group_a, zhang, MemberRole::Member).await;
    new_user(&app.db, "zhang", Role::Teacher, Some(w.district), Some(w.school_a), Some(zhang)).await;
    let zhang_token = app.login("zhang", PASSWORD).await;
    let drafts = rule(&app, &w, "主备教师提前三天发主备教案", "prep_drafts_on_time").await;
    let notes = rule(&app, &w, "副备教师提出修改意见", "prep_notes_given").await;

    let reflection = october_preparation(&app, &w, &zhang_token).await;
    // The rules see the late draft and the missing notes at the end of October.
    assert_eq!(checked(&app, &w, drafts, w.teacher_a, "2026-10-31").await.1, 0.0, "the late draft does not count");
    assert_eq!(checked(&app, &w, notes, w.leader_a, "2026-10-31").await, ("met".into(), 1.0));
    assert_eq!(checked(&app, &w, notes, zhang, "2026-10-31").await.1, 0.0, "张老师 gave no notes");

    october_inspection(&app, &w, reflection).await;

    app.clock.set(on(2027, 1, 25));
    assert_eq!(checked(&app, &w, drafts, w.teacher_a, "2027-01-25").await, ("short".into(), 0.0));
    assert_eq!(checked(&app, &w, notes, zhang, "2027-01-25").await, ("short".into(), 0.0));
    semester_appraisal(&app, &w, zhang).await;
    district_team_removal(&app, &w).await;
}

on_both_backends!(
    configure = early_october;
    a_school_month_through_the_four_workflows,
);
