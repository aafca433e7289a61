//! Routine inspections (常规检查, seeds 000 and 002): the built-in checklist, an inspection whose
//! form is pre-filled from the records of its period, grades on the item's scale, a finding to
//! correct (整改) through response and confirmation with lateness by the service's clock,
//! results per teacher/group/school as JSON, CSV and XLSX, the grades of a period for the
//! appraisal, district inspections, validation, and scope (every route of the area probed
//! against another school's objects; a route missing from the probes fails the test).

use std::collections::BTreeSet;

use api::config::Settings;
use chrono::{NaiveDate, TimeZone, Utc};
use jiaoyan_tests::fixtures::{date, World};
use jiaoyan_tests::{json, on_both_backends, Clock, Resp, TestApp, DEMO_PASSWORD};
use serde_json::Value;

use crate::quota_reports::{bytes, csv_grid, xlsx_sheets};

/// The routes this file's authorization matrix claims (`route_coverage`): every path under these
/// prefixes, checked against the document by the matrix test below.
pub(crate) const AREAS: [&str; 1] = ["/api/v1/inspection"];

/// 2026-11-19, 10:00 in China; moved by hand for lateness.
fn on_a_manual_clock(settings: &mut Settings) {
    settings.clock = Some(Clock::manual(Utc.with_ymd_and_hms(2026, 11, 19, 2, 0, 0).unwrap()));
}

fn move_to(app: &TestApp, day: NaiveDate) {
    app.clock.set(Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap()));
}

fn id(resp: Resp) -> i64 {
    resp.expect(201).body["id"].as_i64().unwrap()
}

async fn observe(app: &TestApp, token: &str, observed: i64, on: &str, title: &str) -> i64 {
    id(app
        .post(
            token,
            "/api/v1/observations",
            json!({"observed_teacher_id": observed, "observed_on": on, "subject": "语文", "lesson_kind": "ordinary",
                   "lesson_title": title, "strengths": ["导入自然"], "weaknesses": [], "suggestions": []}),
        )
        .await)
}

async fn write(app: &TestApp, token: &str, kind: &str, on: &str, title: &str) -> i64 {
    id(app
        .post(token, "/api/v1/records", json!({"kind": kind, "title": title, "written_on": on, "body": "本月的体会。"}))
        .await)
}

fn entry<'a>(form: &'a Value, teacher: i64, item: &str) -> &'a Value {
    let row = form["teachers"].as_array().unwrap().iter().find(|t| t["teacher_id"] == teacher).expect("the teacher");
    row["entries"].as_array().unwrap().iter().find(|e| e["item_key"] == item).expect("the item")
}

async fn monthly_inspection(app: &TestApp, w: &World) -> i64 {
    id(app
        .post(
            &w.tokens.admin_a,
            "/api/v1/inspections",
            json!({"school_id": w.school_a, "kind": "monthly", "inspected_on": "2026-11-19", "group_ids": [w.group_a]}),
        )
        .await)
}

/// A monthly inspection of a group: the form shows what the records of November hold (October's
/// do not count), the inspector grades, a finding is answered late and confirmed, and the
/// teacher sees only their own rows throughout.
async fn a_monthly_inspection_is_pre_filled_graded_and_corrected(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let seen = [
        observe(&app, &t.teacher_a, w.leader_a, "2026-11-05", "秋天的雨").await,
        observe(&app, &t.teacher_a, w.leader_a, "2026-11-12", "找春天").await,
    ];
    observe(&app, &t.teacher_a, w.leader_a, "2026-10-20", "十月的课").await;
    let reflection = write(&app, &t.teacher_a, "reflection", "2026-11-10", "《秋天的雨》教后反思").await;
    write(&app, &t.teacher_a, "reflection", "2026-10-30", "十月反思").await;
    write(&app, &t.leader_a, "reading_note", "2026-11-03", "读《给教师的建议》").await;

    let builtin = app.get(&t.teacher_a, "/api/v1/inspection-templates/default").await.expect(200);
    let names: Vec<&str> =
        builtin.body["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["备课", "听课记录", "读书笔记", "作业批改", "实验册", "反思"]);

    let inspection = monthly_inspection(&app, &w).await;
    let got = app.get(&t.admin_a, &format!("/api/v1/inspections/{inspection}")).await.expect(200);
    assert_eq!(got.body["teacher_count"], 2);
    assert_eq!(got.body["period_start"], "2026-11-01");
    assert_eq!(got.body["items"].as_array().unwrap().len(), 6);

    let form = app.get(&t.admin_a, &format!("/api/v1/inspections/{inspection}/form")).await.expect(200).body;
    assert_eq!(form["teachers"].as_array().unwrap().len(), 2);
    let observations = &entry(&form, w.teacher_a, "observations")["found"];
    assert_eq!(observations["count"], 2);
    assert_eq!(observations["required_count"], 4);
    assert_eq!(observations["meets_required"], false);
    let ids: Vec<i64> = observations["work"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, seen);
    assert_eq!(observations["work"][0]["title"], "秋天的雨");
    let reflections = &entry(&form, w.teacher_a, "reflections")["found"];
    assert_eq!((reflections["count"].clone(), reflections["meets_required"].clone()), (json!(1), json!(true)));
    assert_eq!(reflections["work"][0]["id"], reflection);
    assert_eq!(entry(&form, w.teacher_a, "reading_notes")["found"]["count"], 0);
    assert_eq!(entry(&form, w.leader_a, "reading_notes")["found"]["count"], 1);
    assert!(entry(&form, w.teacher_a, "homework")["found"].is_null());

    let grades = format!("/api/v1/inspections/{inspection}/grades");
    let body = json!({"entries": [
        {"teacher_id": w.teacher_a, "item_key": "observations", "grade": "needs_improvement", "comment": "听课不足4节"},
        {"teacher_id": w.teacher_a, "item_key": "reflections", "grade": "good"},
        {"teacher_id": w.leader_a, "item_key": "reflections", "grade": "excellent"}]});
    assert_eq!(app.call("PUT", &grades, Some(&t.teacher_a), Some(body.clone())).await.status, 403);
    let form = app.call("PUT", &grades, Some(&t.admin_a), Some(body)).await.expect(200).body;
    assert_eq!(entry(&form, w.teacher_a, "observations")["grade"], "needs_improvement");
    // A second entry replaces the first.
    let again = json!({"entries": [{"teacher_id": w.teacher_a, "item_key": "reflections", "grade": "excellent"}]});
    let form = app.call("PUT", &grades, Some(&t.admin_a), Some(again)).await.expect(200).body;
    assert_eq!(entry(&form, w.teacher_a, "reflections")["grade"], "excellent");
    assert_eq!(entry(&form, w.teacher_a, "observations")["comment"], "听课不足4节");

    // The teacher sees their own row only, in the form and in the results.
    let own = app.get(&t.teacher_a, &format!("/api/v1/inspections/{inspection}/form")).await.expect(200).body;
    let rows: Vec<i64> =
        own["teachers"].as_array().unwrap().iter().map(|r| r["teacher_id"].as_i64().unwrap()).collect();
    assert_eq!(rows, [w.teacher_a]);
    let own = app.get(&t.teacher_a, &format!("/api/v1/inspections/{inspection}/results")).await.expect(200).body;
    assert_eq!(own["tables"].as_array().unwrap().len(), 1, "no group or school aggregates for a teacher");
    assert!(own["tables"][0]["rows"].as_array().unwrap().iter().all(|r| r["teacher_id"] == w.teacher_a));

    // A finding to correct, due in a week.
    let finding = id(app
        .post(
            &t.admin_a,
            &format!("/api/v1/inspections/{inspection}/findings"),
            json!({"teacher_id": w.teacher_a, "item_key": "observations", "description": "本月听课不足，请补听2节并写评析",
                   "due_on": "2026-11-26"}),
        )
        .await);
    let path = format!("/api/v1/inspection-findings/{finding}");
    let open = app.get(&t.teacher_a, &path).await.expect(200).body;
    assert_eq!((open["status"].clone(), open["overdue"].clone()), (json!("open"), json!(false)));
    assert_eq!(app.get(&t.leader_a, &path).await.status, 404, "another teacher's finding");
    let mine = app.get(&t.leader_a, "/api/v1/inspection-findings").await.expect(200);
    assert!(mine.ids().is_empty());
    assert_eq!(app.get(&t.teacher_a, "/api/v1/inspection-findings").await.expect(200).ids(), [finding]);

    // Two days past the due date: overdue, then responded late.
    move_to(&app, date(2026, 11, 28));
    let late = app.get(&t.admin_a, &path).await.expect(200).body;
    assert_eq!((late["overdue"].clone(), late["days_late"].clone()), (json!(true), json!(2)));
    assert_eq!(app.get(&t.admin_a, "/api/v1/inspection-findings?overdue=true").await.expect(200).ids(), [finding]);
    let confirm = format!("{path}/confirmation");
    assert_eq!(app.post(&t.admin_a, &confirm, json!({"accepted": true})).await.status, 409, "nothing to confirm yet");
    assert_eq!(app.post(&t.admin_a, &format!("{path}/response"), json!({"response": "代答"})).await.status, 403);
    let empty = app.post(&t.teacher_a, &format!("{path}/response"), json!({"response": "  "})).await;
    assert_eq!((empty.status, empty.error_fields()), (422, vec!["response".to_string()]));
    let responded = app
        .post(&t.teacher_a, &format!("{path}/response"), json!({"response": "已补听2节，见11月24、27日听课记录"}))
        .await
        .expect(200)
        .body;
    assert_eq!(responded["status"], "responded");
    assert_eq!((responded["responded_late"].clone(), responded["days_late"].clone()), (json!(true), json!(2)));
    // Sent back, answered again, confirmed.
    let back = app.post(&t.admin_a, &confirm, json!({"accepted": false})).await.expect(200).body;
    assert_eq!(back["status"], "open");
    app.post(&t.teacher_a, &format!("{path}/response"), json!({"response": "评析已补全"})).await.expect(200);
    assert_eq!(app.post(&t.teacher_a, &confirm, json!({"accepted": true})).await.status, 403);
    let closed = app.post(&t.admin_a, &confirm, json!({"accepted": true})).await.expect(200).body;
    assert_eq!((closed["status"].clone(), closed["confirmed_on"].clone()), (json!("closed"), json!("2026-11-28")));
    assert_eq!(app.patch(&t.admin_a, &path, json!({"due_on": "2026-12-01"})).await.status, 409);
}

/// Results per teacher, group and school as JSON, CSV (Chinese headers) and XLSX.
async fn results_are_exported_per_teacher_group_and_school(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let inspection = monthly_inspection(&app, &w).await;
    let body = json!({"entries": [
        {"teacher_id": w.teacher_a, "item_key": "lesson_plans", "grade": "good"},
        {"teacher_id": w.leader_a, "item_key": "lesson_plans", "grade": "excellent"}]});
    app.call("PUT", &format!("/api/v1/inspections/{inspection}/grades"), Some(&t.admin_a), Some(body))
        .await
        .expect(200);
    let path = format!("/api/v1/inspections/{inspection}/results");
    let json = app.get(&t.admin_a, &format!("{path}?lang=zh")).await.expect(200).body;
    let names: Vec<&str> = json["tables"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["teachers", "groups", "schools"]);
    let group = &json["tables"][1]["rows"][0];
    assert_eq!((group["group"].clone(), group["item"].clone()), (json!("甲小学语文教研组"), json!("备课")));
    assert_eq!(
        (group["graded"].clone(), group["excellent"].clone(), group["good"].clone()),
        (json!(2), json!(1), json!(1))
    );
    assert_eq!(group["average"], 3.5);

    let (status, content_type, _, csv) = bytes(&app, &t.admin_a, &format!("{path}?format=csv&lang=zh")).await;
    assert_eq!((status, content_type.starts_with("text/csv")), (200, true));
    let grid = csv_grid(&csv);
    let headers: Vec<String> = grid[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(headers[..4], ["教师编号", "教师", "教研组", "检查项目"]);
    assert_eq!(grid.len(), 1 + 2 * 6, "a row per teacher and item");
    let (status, _, _, schools) = bytes(&app, &t.admin_a, &format!("{path}?format=csv&lang=zh&table=schools")).await;
    assert_eq!(status, 200);
    assert_eq!(csv_grid(&schools)[0][0].to_string(), "学校");
    let (status, _, _, xlsx) = bytes(&app, &t.admin_a, &format!("{path}?format=xlsx&lang=zh")).await;
    assert_eq!(status, 200);
    let sheets: Vec<String> = xlsx_sheets(xlsx).into_iter().map(|(name, _)| name).collect();
    assert_eq!(sheets, ["教师检查结果", "教研组检查结果", "学校检查结果"]);
    let unknown = app.get(&t.admin_a, &format!("{path}?format=csv&table=nope")).await;
    assert_eq!((unknown.status, unknown.error_fields()), (422, vec!["table".to_string()]));

    // The grades of the month, for the appraisal.
    let grades = api::inspections::results::grades_in_period(
        &app.db,
        w.district,
        Some(w.school_a),
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    .await
    .unwrap();
    let got: Vec<(i64, String, Option<&str>)> =
        grades.iter().map(|g| (g.teacher_id, g.item_name.clone(), g.grade.map(|x| x.code()))).collect();
    let mut expected =
        vec![(w.teacher_a, "备课".to_string(), Some("good")), (w.leader_a, "备课".to_string(), Some("excellent"))];
    expected.sort();
    assert_eq!(got, expected);
    assert!(api::inspections::results::grades_in_period(
        &app.db,
        w.district,
        Some(w.school_b),
        date(2026, 11, 1),
        date(2026, 11, 30)
    )
    .await
    .unwrap()
    .is_empty());
}

/// Bad input answers 422 naming each field.
async fn bad_input_names_the_field(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let resp = app
        .post(
            &t.admin_a,
            "/api/v1/inspections",
            json!({"school_id": w.school_a, "kind": "monthly", "inspected_on": "2026-11-19", "period_start": "2026-11-20",
                   "period_end": "2026-11-01", "teacher_ids": [w.teacher_b], "template_id": 999999}),
        )
        .await;
    assert_eq!(resp.status, 422, "{}", resp.body);
    let fields: BTreeSet<String> = resp.error_fields().into_iter().collect();
    for f in ["period_end", "inspected_on", "template_id", "teacher_ids[0]"] {
        assert!(fields.contains(f), "{f} in {fields:?}");
    }
    let none = app
        .post(
            &t.admin_a,
            "/api/v1/inspections",
            json!({"school_id": w.school_a, "kind": "monthly", "inspected_on": "2026-11-19"}),
        )
        .await;
    assert_eq!((none.status, none.error_fields()), (422, vec!["teacher_ids".to_string()]));
    let kind = app
        .post(
            &t.admin_a,
            "/api/v1/inspections",
            json!({"school_id": w.school_a, "kind": "weekly", "inspected_on": "2026-11-19"}),
        )
        .await;
    assert_eq!(kind.status, 422);
    assert_eq!(kind.content_type(), "application/problem+json");

    let template = app
        .post(
            &t.admin_a,
            "/api/v1/inspection-templates",
            json!({"school_id": w.school_a, "name": "月查表", "items": [
                {"key": "Bad Key", "name": "备课", "scale": "grades"},
                {"key": "homework", "name": "作业", "scale": "points"}]}),
        )
        .await;
    assert_eq!(template.status, 422);
    assert_eq!(template.error_fields(), ["items[0].key", "items[1].max_points"]);
    let template = id(app
        .post(
            &t.admin_a,
            "/api/v1/inspection-templates",
            json!({"school_id": w.school_a, "name": "月查表", "items": [
                {"key": "plans", "name": "备课", "scale": "grades", "counts": "lesson_plans"},
                {"key": "homework", "name": "作业批改", "scale": "points", "max_points": 10}]}),
        )
        .await);
    assert_eq!(
        app.post(
            &t.teacher_a,
            "/api/v1/inspection-templates",
            json!({"school_id": w.school_a, "name": "x", "items": []})
        )
        .await
        .status,
        403
    );
    let inspection = id(app
        .post(
            &t.admin_a,
            "/api/v1/inspections",
            json!({"school_id": w.school_a, "kind": "random", "inspected_on": "2026-11-19", "teacher_ids": [w.teacher_a],
                   "template_id": template}),
        )
        .await);
    let bad = json!({"entries": [
        {"teacher_id": w.teacher_a, "item_key": "homework", "points": 11},
        {"teacher_id": w.teacher_a, "item_key": "plans", "points": 3},
        {"teacher_id": w.leader_a, "item_key": "nope", "grade": "good"}]});
    let resp = app.call("PUT", &format!("/api/v1/inspections/{inspection}/grades"), Some(&t.admin_a), Some(bad)).await;
    assert_eq!(resp.status, 422);
    assert_eq!(
        resp.error_fields(),
        ["entries[0].points", "entries[1].points", "entries[2].teacher_id", "entries[2].item_key"]
    );
    let finding = app
        .post(
            &t.admin_a,
            &format!("/api/v1/inspections/{inspection}/findings"),
            json!({"teacher_id": w.leader_a, "item_key": "nope", "description": "", "due_on": "2026-11-01"}),
        )
        .await;
    assert_eq!(finding.error_fields(), ["teacher_id", "item_key", "description", "due_on"]);
}

/// A district inspection across schools: each school's administrator reads its own teachers'
/// rows and cannot grade; another district sees nothing.
async fn a_district_inspection_spans_schools(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let template = id(app
        .post(
            &t.district_admin,
            "/api/v1/inspection-templates",
            json!({"name": "县教研室期末检查", "items": [{"key": "plans", "name": "备课", "scale": "points", "max_points": 20}]}),
        )
        .await);
    // A district template is offered to every school of the district.
    assert!(app.get(&t.admin_b, "/api/v1/inspection-templates").await.expect(200).ids().contains(&template));
    assert_eq!(
        app.patch(&t.admin_a, &format!("/api/v1/inspection-templates/{template}"), json!({"name": "改"})).await.status,
        403
    );
    let refused = app
        .post(
            &t.admin_a,
            "/api/v1/inspections",
            json!({"kind": "end_of_term", "inspected_on": "2026-11-19", "teacher_ids": [w.teacher_a]}),
        )
        .await;
    assert_eq!(refused.status, 403);
    let inspection = id(app
        .post(
            &t.district_admin,
            "/api/v1/inspections",
            json!({"kind": "end_of_term", "inspected_on": "2026-11-19", "period_start": "2026-09-01",
                   "teacher_ids": [w.teacher_a, w.teacher_b], "template_id": template}),
        )
        .await);
    let grades = json!({"entries": [{"teacher_id": w.teacher_a, "item_key": "plans", "points": 18},
                                    {"teacher_id": w.teacher_b, "item_key": "plans", "points": 15}]});
    let path = format!("/api/v1/inspections/{inspection}/grades");
    assert_eq!(app.call("PUT", &path, Some(&t.admin_a), Some(grades.clone())).await.status, 403);
    app.call("PUT", &path, Some(&t.district_admin), Some(grades)).await.expect(200);
    for (token, teacher) in [(&t.admin_a, w.teacher_a), (&t.admin_b, w.teacher_b)] {
        assert!(app.get(token, "/api/v1/inspections").await.expect(200).ids().contains(&inspection));
        let form = app.get(token, &format!("/api/v1/inspections/{inspection}/form")).await.expect(200).body;
        let rows: Vec<i64> =
            form["teachers"].as_array().unwrap().iter().map(|r| r["teacher_id"].as_i64().unwrap()).collect();
        assert_eq!(rows, [teacher]);
    }
    let all = app.get(&t.district_admin, &format!("/api/v1/inspections/{inspection}/results")).await.expect(200).body;
    let schools = all["tables"][2]["rows"].as_array().unwrap();
    assert_eq!(schools.len(), 2);
    assert_eq!(app.get(&t.other_district_admin, &format!("/api/v1/inspections/{inspection}")).await.status, 404);
    let grades =
        api::inspections::results::grades_in_period(&app.db, w.district, None, date(2026, 11, 1), date(2026, 11, 30))
            .await
            .unwrap();
    assert_eq!(grades.iter().map(|g| (g.teacher_id, g.points, g.max_points)).collect::<Vec<_>>().len(), 2);
    assert!(grades.iter().all(|g| g.max_points == Some(20.0)));
}

/// Every route of the area, probed with school B's objects by school A's staff and another
/// district's administrator: 404 each time, nothing of B in their lists, nothing changed.
async fn school_b_inspections_are_out_of_reach(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let template = id(app
        .post(
            &t.admin_b,
            "/api/v1/inspection-templates",
            json!({"school_id": w.school_b, "name": "乙小学月查表",
              "items": [{"key": "plans", "name": "备课", "scale": "grades"}]}),
        )
        .await);
    let inspection = id(app
        .post(
            &t.admin_b,
            "/api/v1/inspections",
            json!({"school_id": w.school_b, "kind": "monthly", "inspected_on": "2026-11-19",
              "teacher_ids": [w.teacher_b]}),
        )
        .await);
    let finding = id(app
        .post(
            &t.admin_b,
            &format!("/api/v1/inspections/{inspection}/findings"),
            json!({"teacher_id": w.teacher_b, "description": "教案不全", "due_on": "2026-11-26"}),
        )
        .await);
    let probes: Vec<(&str, &str, String, Option<Value>)> = vec![
        ("GET", "/api/v1/inspection-templates/{id}", format!("/api/v1/inspection-templates/{template}"), None),
        (
            "PATCH",
            "/api/v1/inspection-templates/{id}",
            format!("/api/v1/inspection-templates/{template}"),
            Some(json!({"name": "改"})),
        ),
        ("DELETE", "/api/v1/inspection-templates/{id}", format!("/api/v1/inspection-templates/{template}"), None),
        ("GET", "/api/v1/inspections/{id}", format!("/api/v1/inspections/{inspection}"), None),
        (
            "PATCH",
            "/api/v1/inspections/{id}",
            format!("/api/v1/inspections/{inspection}"),
            Some(json!({"title": "改"})),
        ),
        ("DELETE", "/api/v1/inspections/{id}", format!("/api/v1/inspections/{inspection}"), None),
        ("GET", "/api/v1/inspections/{id}/form", format!("/api/v1/inspections/{inspection}/form"), None),
        ("GET", "/api/v1/inspections/{id}/results", format!("/api/v1/inspections/{inspection}/results"), None),
        (
            "PUT",
            "/api/v1/inspections/{id}/grades",
            format!("/api/v1/inspections/{inspection}/grades"),
            Some(json!({"entries": [{"teacher_id": w.teacher_b, "item_key": "lesson_plans", "grade": "pass"}]})),
        ),
        (
            "POST",
            "/api/v1/inspections/{id}/findings",
            format!("/api/v1/inspections/{inspection}/findings"),
            Some(json!({"teacher_id": w.teacher_b, "description": "x", "due_on": "2026-11-30"})),
        ),
        ("GET", "/api/v1/inspection-findings/{id}", format!("/api/v1/inspection-findings/{finding}"), None),
        (
            "PATCH",
            "/api/v1/inspection-findings/{id}",
            format!("/api/v1/inspection-findings/{finding}"),
            Some(json!({"description": "改"})),
        ),
        ("DELETE", "/api/v1/inspection-findings/{id}", format!("/api/v1/inspection-findings/{finding}"), None),
        (
            "POST",
            "/api/v1/inspection-findings/{id}/response",
            format!("/api/v1/inspection-findings/{finding}/response"),
            Some(json!({"response": "x"})),
        ),
        (
            "POST",
            "/api/v1/inspection-findings/{id}/confirmation",
            format!("/api/v1/inspection-findings/{finding}/confirmation"),
            Some(json!({"accepted": true})),
        ),
    ];
    let listings = [
        ("/api/v1/inspection-templates", format!("/api/v1/inspection-templates?school_id={}", w.school_b), template),
        ("/api/v1/inspections", format!("/api/v1/inspections?school_id={}", w.school_b), inspection),
        ("/api/v1/inspection-findings", format!("/api/v1/inspection-findings?school_id={}", w.school_b), finding),
    ];
    // Creating with B's school is refused too.
    let creations = [
        (
            "/api/v1/inspections",
            json!({"school_id": w.school_b, "kind": "monthly", "inspected_on": "2026-11-19", "teacher_ids": [w.teacher_b]}),
        ),
        (
            "/api/v1/inspection-templates",
            json!({"school_id": w.school_b, "name": "x", "items": [{"key": "a", "name": "a", "scale": "grades"}]}),
        ),
    ];
    let before = app.get(&t.district_admin, &format!("/api/v1/inspections/{inspection}/form")).await.expect(200).body;
    for (_, path, id) in &listings {
        assert!(app.get(&t.district_admin, path).await.expect(200).ids().contains(id), "{path}");
    }
    for (who, token) in [
        ("admin_a", &t.admin_a),
        ("leader_a", &t.leader_a),
        ("teacher_a", &t.teacher_a),
        ("other district", &t.other_district_admin),
    ] {
        for (method, _, path, body) in &probes {
            let resp = app.call(method, path, Some(token), body.clone()).await;
            assert_eq!(resp.status, 404, "{who} {method} {path}: {}", resp.body);
            assert_eq!(resp.content_type(), "application/problem+json");
        }
        for (_, path, id) in &listings {
            assert!(!app.get(token, path).await.expect(200).ids().contains(id), "{who} sees {id} in {path}");
        }
        for (path, body) in &creations {
            let status = app.post(token, path, body.clone()).await.status;
            assert!([403, 404, 422].contains(&status), "{who} POST {path} for school B answered {status}");
        }
    }
    let after = app.get(&t.district_admin, &format!("/api/v1/inspections/{inspection}/form")).await.expect(200).body;
    assert_eq!(before, after);
    let finding_now =
        app.get(&t.district_admin, &format!("/api/v1/inspection-findings/{finding}")).await.expect(200).body;
    assert_eq!(finding_now["status"], "open");
    assert!(finding_now["archived_at"].is_null());

    // Every route of the area is probed here.
    let spec: Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    let covered: BTreeSet<&str> = probes
        .iter()
        .map(|p| p.1)
        .chain(listings.iter().map(|l| l.0))
        .chain(["/api/v1/inspection-templates/default"])
        .collect();
    let missing: Vec<&String> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|p| AREAS.iter().any(|a| p.starts_with(a)))
        .filter(|p| !covered.contains(p.as_str()))
        .collect();
    assert!(missing.is_empty(), "routes missing from the matrix: {missing:?}");
}

on_both_backends!(
    configure = on_a_manual_clock;
    a_monthly_inspection_is_pre_filled_graded_and_corrected,
    results_are_exported_per_teacher_group_and_school,
    bad_input_names_the_field,
    a_district_inspection_spans_schools,
    school_b_inspections_are_out_of_reach
);

/// The demo district shows inspections and a finding in every state, with forms pre-filled from
/// the demo's records.
async fn the_demo_has_inspections_in_every_state(app: TestApp) {
    let admin = app.login(api::demo::DISTRICT_ADMIN, DEMO_PASSWORD).await;
    let list = app.get(&admin, "/api/v1/inspections").await.expect(200);
    assert_eq!(list.body["total"], 3);
    let findings = app.get(&admin, "/api/v1/inspection-findings?limit=50").await.expect(200);
    let states: BTreeSet<&str> =
        findings.body["items"].as_array().unwrap().iter().map(|f| f["status"].as_str().unwrap()).collect();
    assert_eq!(states, BTreeSet::from(["open", "responded", "closed"]));
    let november = list.body["items"].as_array().unwrap().iter().find(|i| i["inspected_on"] == "2026-11-19").unwrap();
    let form = app.get(&admin, &format!("/api/v1/inspections/{}/form", november["id"])).await.expect(200).body;
    let observed: i64 = form["teachers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| entry(&form, t["teacher_id"].as_i64().unwrap(), "observations")["found"]["count"].as_i64().unwrap())
        .sum();
    assert!(observed > 0, "the November form is pre-filled from the demo's observations");
    // The flagship's administrator sees the district's check too, with its own teachers' rows.
    let school = app.login(api::demo::SCHOOL_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(app.get(&school, "/api/v1/inspections").await.expect(200).body["total"], 3);
}

mod on_the_demo {
    use super::*;
    jiaoyan_tests::on_both_backends!(spawn = spawn_demo; the_demo_has_inspections_in_every_state);
}
