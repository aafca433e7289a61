//! The semester appraisal (`/api/v1/appraisal-schemes`, 量化考核): a scheme simulated, published
//! and frozen; each teacher's breakdown adds up to the score; a school's ranking shares ranks on
//! ties ("1, 1, 3"); a group's score from its members and its own rules; the export with Chinese
//! headers; fields named on bad input; and nobody outside the school's office (or the teacher
//! themselves) reads a result — another school's answers 404, and a route missing from the matrix
//! fails the matrix.

use std::collections::BTreeSet;

use api::config::Settings;
use chrono::{TimeZone, Utc};
use jiaoyan_tests::fixtures::{new_membership, new_teacher, World};
use jiaoyan_tests::{json, on_both_backends, Clock, Resp, TestApp};
use serde_json::Value;

use crate::quota_reports::{bytes, xlsx_sheets};

/// The routes this file's authorization matrix claims (`route_coverage`): every path under these
/// prefixes, checked against the document by the matrix test below.
pub(crate) const AREAS: [&str; 1] = ["/api/v1/appraisal"];

/// The service's clock stands on 2027-02-01, after the fixture semester (2026-09-01 – 2027-01-22):
/// results are decided and computed as of the semester's last day.
fn after_the_semester(settings: &mut Settings) {
    settings.clock = Some(Clock::manual(Utc.with_ymd_and_hms(2027, 2, 1, 2, 0, 0).unwrap()));
}

fn cents(x: &Value) -> i64 {
    (x.as_f64().unwrap() * 100.0).round() as i64
}

/// Every line adds up to its component, every component to the score, exactly (in hundredths).
fn adds_up(result: &Value) {
    let b = &result["breakdown"];
    let mut total = 0;
    for c in b["components"].as_array().unwrap() {
        let lines: i64 = c["lines"].as_array().unwrap().iter().map(|l| cents(&l["points"])).sum();
        assert_eq!(lines, cents(&c["points"]), "{}: lines add up to the component", c["name"]);
        total += lines;
    }
    assert_eq!(total, cents(&b["score"]), "components add up to the score");
    assert_eq!(cents(&b["score"]), cents(&result["score"]));
}

fn scheme_body(w: &World) -> Value {
    json!({"school_id": w.school_a, "semester_id": w.semester, "name": "2026年秋季学期教师量化考核",
        "spec": {"components": [
            {"name": "教研常规", "cap": 40, "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 10, "severity": "required"}},
            {"name": "获奖与论文", "cap": 30, "scoring": {"kind": "awards", "table": {"province": {"first": 20, "second": 15}, "county": {"first": 8}}}},
            {"name": "参与教研活动率", "weight": 0.5, "scoring": {"kind": "attendance_rate", "points": 10}}],
            "group": {"member_weight": 1, "components": [
                {"name": "教研组常规", "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 5}}]}}})
}

struct Setup {
    w: World,
    zhou: i64,
    scheme: i64,
}

/// School A: a rule (a reflection each semester), teacher_a and 周老师 with a reflection and a
/// provincial first prize each, leader_a with nothing; a draft scheme.
async fn setup(app: &TestApp) -> Setup {
    let w = World::build(app).await;
    let admin = &w.tokens.admin_a;
    let zhou = new_teacher(&app.db, w.school_a, "周老师").await;
    new_membership(&app.db, w.group_a, zhou, entities::enums::MemberRole::Member).await;
    app.post(
        admin,
        "/api/v1/quota-rules",
        json!({"school_id": w.school_a, "name": "每学期至少一篇教学反思", "subject_type": "teacher",
            "metric": {"kind": "records", "kinds": ["reflection"]}, "period": "semester", "min": 1, "severity": "required"}),
    )
    .await
    .expect(201);
    for teacher in [w.teacher_a, zhou] {
        record(
            app,
            admin,
            teacher,
            json!({"kind": "reflection", "title": "《秋天》教后反思", "written_on": "2026-10-09"}),
        )
        .await;
        record(
            app,
            admin,
            teacher,
            json!({"kind": "award", "title": "县优质课评比", "written_on": "2026-11-02", "award_level": "province", "award_rank": "first"}),
        )
        .await;
    }
    let scheme = app.post(admin, "/api/v1/appraisal-schemes", scheme_body(&w)).await.expect(201);
    assert_eq!(scheme.body["status"], "draft");
    Setup { zhou, scheme: scheme.body["id"].as_i64().unwrap(), w }
}

async fn record(app: &TestApp, token: &str, teacher: i64, body: Value) -> i64 {
    let mut body = body;
    body["author_teacher_id"] = json!(teacher);
    let made = app.post(token, "/api/v1/records", body).await;
    assert_eq!(made.status, 201, "{}", made.body);
    made.body["id"].as_i64().unwrap()
}

fn by_name<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name} in {list}"))
}

async fn a_scheme_is_simulated_published_and_frozen(app: TestApp) {
    let Setup { w, zhou, scheme } = setup(&app).await;
    let admin = &w.tokens.admin_a;
    let base = format!("/api/v1/appraisal-schemes/{scheme}");

    // A simulation computes without storing: no version, no result to read.
    let sim = app.post(admin, &format!("{base}/simulate"), json!({})).await.expect(200);
    assert_eq!(sim.body["as_of"], "2027-01-22", "as of the semester's last day, the clock being past it");
    let teachers = &sim.body["teachers"];
    for t in teachers.as_array().unwrap() {
        adds_up(t);
    }
    let wang = by_name(teachers, "王老师");
    let rule_line = &wang["breakdown"]["components"][0]["lines"][0];
    assert_eq!((rule_line["source"].as_str(), rule_line["points"].as_f64()), (Some("quota_rule"), Some(10.0)));
    assert!(rule_line["detail"].as_str().unwrap().contains("met"), "{rule_line}");
    let award_line = &wang["breakdown"]["components"][1]["lines"][0];
    assert_eq!((award_line["source"].as_str(), award_line["points"].as_f64()), (Some("record"), Some(20.0)));
    assert_eq!(app.get(admin, &format!("{base}/versions")).await.expect(200).body["items"], json!([]));
    app.get(admin, &format!("{base}/teachers/{}", w.teacher_a)).await.expect(404);

    // Published: version 1, the scoring frozen.
    let v1 = app.post(admin, &format!("{base}/publish"), json!({})).await.expect(201);
    assert_eq!(
        (v1.body["version"].as_i64(), v1.body["teachers"].as_i64(), v1.body["groups"].as_i64()),
        (Some(1), Some(3), Some(1))
    );
    assert_eq!(v1.headers["location"], format!("{base}/versions/1"));
    assert_eq!(app.get(admin, &base).await.expect(200).body["status"], "published");
    let frozen = app.patch(admin, &base, json!({"name": "改"})).await.expect(409);
    assert_eq!(frozen.content_type(), "application/problem+json");

    // The school's ranking: equal scores share a rank and the next rank skips (1, 1, 3).
    let school = app.get(admin, &format!("{base}/schools/{}", w.school_a)).await.expect(200);
    let ranks: Vec<(String, i64)> = school.body["teachers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_string(), t["rank"].as_i64().unwrap()))
        .collect();
    assert_eq!(ranks, vec![("周老师".into(), 1), ("王老师".into(), 1), ("李组长".into(), 3)]);

    // The teacher's own appraisal, with its breakdown.
    let mine = app.get(&w.tokens.teacher_a, &format!("{base}/teachers/{}", w.teacher_a)).await.expect(200);
    adds_up(&mine.body["result"]);
    let score_v1 = mine.body["result"]["score"].clone();
    assert_eq!(mine.body["result"], *wang, "the published result is the simulated one");

    // The group: its members' mean plus its own rules (none measure it: share of none is 0).
    let group = app.get(admin, &format!("{base}/groups/{}", w.group_a)).await.expect(200);
    adds_up(&group.body["result"]);
    assert_eq!(group.body["members"].as_array().unwrap().len(), 3);
    let members = &group.body["result"]["breakdown"]["components"][0];
    assert_eq!(members["kind"], "members");
    let mean = school.body["teachers"].as_array().unwrap().iter().map(|t| cents(&t["score"])).sum::<i64>() as f64 / 3.0;
    assert_eq!(cents(&members["points"]), mean.round() as i64);

    // Later work changes nothing published; publishing again makes version 2.
    record(&app, admin, w.leader_a, json!({"kind": "reflection", "title": "补交反思", "written_on": "2026-12-20"}))
        .await;
    let again = app.get(admin, &format!("{base}/teachers/{}", w.leader_a)).await.expect(200);
    assert_eq!(again.body["version"], 1);
    let leader_v1 = again.body["result"]["score"].as_f64().unwrap();
    app.post(admin, &format!("{base}/publish"), json!({})).await.expect(201);
    let v2 = app.get(admin, &format!("{base}/teachers/{}", w.leader_a)).await.expect(200);
    assert_eq!((v2.body["version"].as_i64(), v2.body["result"]["score"].as_f64()), (Some(2), Some(leader_v1 + 10.0)));
    let old = app.get(admin, &format!("{base}/teachers/{}?version=1", w.leader_a)).await.expect(200);
    assert_eq!(old.body["result"]["score"].as_f64(), Some(leader_v1), "version 1 stays as published");
    let versions = app.get(admin, &format!("{base}/versions")).await.expect(200);
    assert_eq!(
        versions.body["items"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect::<Vec<_>>(),
        vec![1, 2]
    );
    let still = app.get(&w.tokens.teacher_a, &format!("{base}/teachers/{}?version=1", w.teacher_a)).await.expect(200);
    assert_eq!(still.body["result"]["score"], score_v1);
    app.get(admin, &format!("{base}/teachers/{zhou}?version=3")).await.expect(404);

    // The export: Chinese headers, CSV with a BOM, XLSX as a workbook.
    let export = format!("{base}/export?school_id={}&lang=zh", w.school_a);
    let (status, content_type, _, csv) = bytes(&app, admin, &format!("{export}&format=csv")).await;
    assert_eq!((status, content_type.starts_with("text/csv")), (200, true));
    let text = String::from_utf8(csv).unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(
        text.contains("排名") && text.contains("教师") && text.contains("得分") && text.contains("周老师"),
        "{text}"
    );
    let (_, _, _, lines) = bytes(&app, admin, &format!("{export}&format=csv&table=lines")).await;
    assert!(String::from_utf8(lines).unwrap().contains("考核项目"));
    let (status, content_type, _, xlsx) = bytes(&app, admin, &format!("{export}&format=xlsx")).await;
    assert_eq!((status, content_type.contains("spreadsheetml")), (200, true));
    let sheets = xlsx_sheets(xlsx);
    assert_eq!(
        sheets.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(),
        vec!["教师考核排名", "教研组考核排名", "得分明细"]
    );
}

async fn invalid_schemes_are_refused_naming_the_field(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let fields = |r: Resp| {
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.content_type(), "application/problem+json");
        r.error_fields()
    };
    let mut body = scheme_body(&w);
    body["spec"]["components"][0]["weight"] = json!(0);
    body["spec"]["components"][1]["scoring"]["table"]["province"]["first"] = json!(-1);
    assert_eq!(
        fields(app.post(admin, "/api/v1/appraisal-schemes", body).await),
        vec!["spec.components[0].weight", "spec.components[1].scoring.table.province.first"]
    );
    let mut body = scheme_body(&w);
    body["semester_id"] = Value::Null;
    assert_eq!(fields(app.post(admin, "/api/v1/appraisal-schemes", body).await), vec!["semester_id"]);
    let mut body = scheme_body(&w);
    body["semester_id"] = json!(999_999);
    assert_eq!(fields(app.post(admin, "/api/v1/appraisal-schemes", body).await), vec!["semester_id"]);
    let mut body = scheme_body(&w);
    body["spec"]["group"]["components"][0]["scoring"] = json!({"kind": "attendance_rate", "points": 1});
    assert_eq!(
        fields(app.post(admin, "/api/v1/appraisal-schemes", body).await),
        vec!["spec.group.components[0].scoring.kind"]
    );
    let mut body = scheme_body(&w);
    body["spec"]["components"][0]["scoring"]["kind"] = json!("inspection_grades");
    let unknown = fields(app.post(admin, "/api/v1/appraisal-schemes", body).await);
    assert!(unknown[0].starts_with("spec.components[0]"), "{unknown:?}");
    let mut body = scheme_body(&w);
    body["name"] = json!(" ");
    assert_eq!(fields(app.post(admin, "/api/v1/appraisal-schemes", body).await), vec!["name"]);
    let made = app.post(admin, "/api/v1/appraisal-schemes", scheme_body(&w)).await.expect(201);
    let path = format!("/api/v1/appraisal-schemes/{}", made.body["id"]);
    assert_eq!(fields(app.patch(admin, &path, json!({"spec": {"components": []}})).await), vec!["spec.components"]);
    assert_eq!(fields(app.patch(admin, &path, json!({"school_id": w.school_b})).await), vec!["school_id"]);
    let renamed = app.patch(admin, &path, json!({"name": "修订版"})).await.expect(200);
    assert_eq!(renamed.body["name"], "修订版");
}

/// Before its semester begins a scheme has nothing to compute: 409, not an empty result.
async fn a_scheme_before_its_semester_has_nothing_to_compute(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let made = app.post(admin, "/api/v1/appraisal-schemes", scheme_body(&w)).await.expect(201);
    let base = format!("/api/v1/appraisal-schemes/{}", made.body["id"]);
    app.clock.set(Utc.with_ymd_and_hms(2026, 8, 20, 2, 0, 0).unwrap());
    app.post(admin, &format!("{base}/simulate"), json!({})).await.expect(409);
    app.post(admin, &format!("{base}/publish"), json!({})).await.expect(409);
    // Mid-semester, a simulation is as of today.
    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0).unwrap());
    let sim = app.post(admin, &format!("{base}/simulate"), json!({})).await.expect(200);
    assert_eq!(sim.body["as_of"], "2026-11-16");
}

/// The matrix: school A's office, group leader and teacher, school B's administrator and teacher,
/// and another district's administrator, against school A's scheme and results.
async fn results_are_read_by_the_teacher_and_their_school_office_only(app: TestApp) {
    let Setup { w, scheme, .. } = setup(&app).await;
    let base = format!("/api/v1/appraisal-schemes/{scheme}");
    app.post(&w.tokens.admin_a, &format!("{base}/publish"), json!({})).await.expect(201);
    let t = &w.tokens;
    let (a, g, me, colleague) = (w.school_a, w.group_a, w.teacher_a, w.leader_a);
    let reads = [
        ("GET", "/api/v1/appraisal-schemes/{id}", base.clone()),
        ("GET", "/api/v1/appraisal-schemes/{id}/versions", format!("{base}/versions")),
        ("GET", "/api/v1/appraisal-schemes/{id}/teachers/{teacher_id}", format!("{base}/teachers/{me}")),
        ("GET", "/api/v1/appraisal-schemes/{id}/schools/{school_id}", format!("{base}/schools/{a}")),
        ("GET", "/api/v1/appraisal-schemes/{id}/groups/{group_id}", format!("{base}/groups/{g}")),
        ("GET", "/api/v1/appraisal-schemes/{id}/export", format!("{base}/export?school_id={a}")),
    ];
    let writes = [
        ("PATCH", "/api/v1/appraisal-schemes/{id}", base.clone(), Some(json!({"name": "越界"}))),
        ("DELETE", "/api/v1/appraisal-schemes/{id}", base.clone(), None),
        ("POST", "/api/v1/appraisal-schemes/{id}/simulate", format!("{base}/simulate"), Some(json!({}))),
        ("POST", "/api/v1/appraisal-schemes/{id}/publish", format!("{base}/publish"), Some(json!({}))),
    ];
    // Outside school A's reach everything is 404, exactly like a missing scheme.
    for (who, token) in
        [("admin_b", &t.admin_b), ("teacher_b", &t.teacher_b), ("other district", &t.other_district_admin)]
    {
        for (method, _, path) in &reads {
            let r = app.call(method, path, Some(token), None).await;
            assert_eq!(r.status, 404, "{who} {method} {path}: {}", r.body);
            assert_eq!(r.content_type(), "application/problem+json");
        }
        for (method, _, path, body) in &writes {
            let r = app.call(method, path, Some(token), body.clone()).await;
            assert_eq!(r.status, 404, "{who} {method} {path}: {}", r.body);
        }
        let list = app.get(token, "/api/v1/appraisal-schemes").await.expect(200);
        assert!(!list.ids().contains(&scheme), "{who} lists school A's scheme");
        let created = app.post(token, "/api/v1/appraisal-schemes", scheme_body(&w)).await;
        assert!([403, 404, 422].contains(&created.status), "{who} creates a scheme for school A: {}", created.status);
    }
    // Within school A: a teacher reads the scheme and their own result only; changes nothing.
    for (who, token) in [("teacher_a", &t.teacher_a), ("leader_a", &t.leader_a)] {
        app.get(token, &base).await.expect(200);
        let theirs = if who == "teacher_a" { me } else { colleague };
        let other = if who == "teacher_a" { colleague } else { me };
        app.get(token, &format!("{base}/teachers/{theirs}")).await.expect(200);
        app.get(token, &format!("{base}/teachers/{other}")).await.expect(404);
        app.get(token, &format!("{base}/schools/{a}")).await.expect(403);
        app.get(token, &format!("{base}/groups/{g}")).await.expect(403);
        app.get(token, &format!("{base}/export?school_id={a}")).await.expect(403);
        for (method, _, path, body) in &writes {
            let r = app.call(method, path, Some(token), body.clone()).await;
            assert_eq!(r.status, 403, "{who} {method} {path}: {}", r.body);
        }
        app.post(token, "/api/v1/appraisal-schemes", scheme_body(&w)).await.expect(403);
    }
    // The school's office and the district read everything of school A.
    for token in [&t.admin_a, &t.district_admin] {
        for (method, _, path) in &reads {
            let r = app.call(method, path, Some(token), None).await;
            assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
        }
    }
    // Every appraisal route is in this matrix.
    let spec: Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    let covered: BTreeSet<&str> =
        reads.iter().map(|r| r.1).chain(writes.iter().map(|w| w.1)).chain(["/api/v1/appraisal-schemes"]).collect();
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
    configure = after_the_semester;
    a_scheme_is_simulated_published_and_frozen,
    invalid_schemes_are_refused_naming_the_field,
    a_scheme_before_its_semester_has_nothing_to_compute,
    results_are_read_by_the_teacher_and_their_school_office_only,
);
