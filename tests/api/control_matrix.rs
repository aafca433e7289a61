//! The authorization matrix of the district's controls: quota rules, checks (and explain and
//! simulate), reports, API clients, the audit trail and unlocking an account. School B's objects
//! (a rule of its own, its group, its summary, a user) and the district's (its summary, teacher
//! statistics, an API client) are probed by every caller who must not reach them: school A's
//! administrator, group leader and teacher, and another district's administrator. Each probe
//! is refused (403/404 problem+json) or, for a list, answers without school B's data — none of
//! B's names appear anywhere in the body. The district's administrator reaches each object, so
//! the probes name things that exist. The test also checks that it probes every route under
//! the prefixes it claims (`route_coverage`).

use std::collections::BTreeSet;

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

/// The routes this matrix claims (`route_coverage`): every path under these prefixes.
pub(crate) const AREAS: [&str; 6] = [
    "/api/v1/quota-rules",
    "/api/v1/quota-checks",
    "/api/v1/reports/",
    "/api/v1/api-clients",
    "/api/v1/audit",
    "/api/v1/users/{id}/unlock",
];

/// Names that only school B's data carries (the fixtures' school, teacher and group, and the
/// rule made below).
const B_NAMES: [&str; 4] = ["乙小学", "赵老师", "乙小学语文教研组", "乙小学听课规则"];

/// A probe: method, the documented route it exercises, the concrete path, the body.
type Probe = (&'static str, &'static str, String, Option<Value>);

async fn objects_of_b(app: &TestApp, w: &World) -> (i64, i64, i64) {
    let t = &w.tokens;
    let rule = app
        .post(
            &t.admin_b,
            "/api/v1/quota-rules",
            json!({"template_id": "observations-monthly-4", "school_id": w.school_b, "name": "乙小学听课规则", "min": 3}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let client = app
        .post(&t.district_admin, "/api/v1/api-clients", json!({"name": "区数据中心", "scopes": ["roster.read"]}))
        .await
        .expect(201)
        .body["client"]["id"]
        .as_i64()
        .unwrap();
    let user_b = entities::user::Entity::find()
        .filter(entities::user::Column::Username.eq("teacher_b"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    (rule, client, user_b)
}

/// Probes of one object each: refused for every caller of the matrix.
fn object_probes(w: &World, rule: i64, client: i64, user_b: i64) -> Vec<Probe> {
    let rule_path = format!("/api/v1/quota-rules/{rule}");
    vec![
        ("GET", "/api/v1/quota-rules/{id}", rule_path.clone(), None),
        ("PATCH", "/api/v1/quota-rules/{id}", rule_path.clone(), Some(json!({"min": 1}))),
        ("DELETE", "/api/v1/quota-rules/{id}", rule_path, None),
        (
            "GET",
            "/api/v1/quota-checks/explain",
            format!("/api/v1/quota-checks/explain?rule_id={rule}&subject_type=teacher&subject_id={}", w.teacher_b),
            None,
        ),
        ("GET", "/api/v1/reports/groups/{id}", format!("/api/v1/reports/groups/{}", w.group_b), None),
        (
            "GET",
            "/api/v1/reports/schools/{id}/summary",
            format!("/api/v1/reports/schools/{}/summary", w.school_b),
            None,
        ),
        (
            "GET",
            "/api/v1/reports/districts/{id}/summary",
            format!("/api/v1/reports/districts/{}/summary", w.district),
            None,
        ),
        (
            "GET",
            "/api/v1/reports/teacher-statistics",
            format!("/api/v1/reports/teacher-statistics?district_id={}", w.district),
            None,
        ),
        ("GET", "/api/v1/api-clients/{id}", format!("/api/v1/api-clients/{client}"), None),
        ("PATCH", "/api/v1/api-clients/{id}", format!("/api/v1/api-clients/{client}"), Some(json!({"name": "x"}))),
        ("DELETE", "/api/v1/api-clients/{id}", format!("/api/v1/api-clients/{client}"), None),
        ("POST", "/api/v1/api-clients/{id}/secret", format!("/api/v1/api-clients/{client}/secret"), None),
        ("POST", "/api/v1/users/{id}/unlock", format!("/api/v1/users/{user_b}/unlock"), None),
    ]
}

/// Probes that are refused, or answer without any of school B's data.
fn reach_probes(w: &World, rule: i64) -> Vec<Probe> {
    let b = w.school_b;
    vec![
        ("GET", "/api/v1/quota-rules", format!("/api/v1/quota-rules?school_id={b}"), None),
        (
            "POST",
            "/api/v1/quota-rules",
            "/api/v1/quota-rules".into(),
            Some(json!({"template_id": "observations-monthly-4", "school_id": b})),
        ),
        ("GET", "/api/v1/quota-checks", format!("/api/v1/quota-checks?school_id={b}&as_of=2026-10-30"), None),
        (
            "GET",
            "/api/v1/quota-checks",
            format!("/api/v1/quota-checks?teacher_id={}&as_of=2026-10-30", w.teacher_b),
            None,
        ),
        ("GET", "/api/v1/quota-checks", format!("/api/v1/quota-checks?rule_id={rule}&as_of=2026-10-30"), None),
        (
            "POST",
            "/api/v1/quota-checks/simulate",
            "/api/v1/quota-checks/simulate".into(),
            Some(json!({"school_id": b, "as_of": "2026-10-30", "rules": [{"template_id": "observations-monthly-4"}]})),
        ),
        (
            "GET",
            "/api/v1/reports/compliance",
            format!("/api/v1/reports/compliance?school_id={b}&as_of=2026-10-30"),
            None,
        ),
        ("GET", "/api/v1/api-clients", "/api/v1/api-clients".into(), None),
        (
            "POST",
            "/api/v1/api-clients",
            "/api/v1/api-clients".into(),
            Some(json!({"district_id": w.district, "name": "x", "scopes": ["roster.read"]})),
        ),
        ("GET", "/api/v1/audit", "/api/v1/audit?limit=200".into(), None),
    ]
}

async fn the_district_controls_are_out_of_reach_of_other_schools_and_districts(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let (rule, client, user_b) = objects_of_b(&app, &w).await;
    let objects = object_probes(&w, rule, client, user_b);
    let reaches = reach_probes(&w, rule);

    // The district's administrator reaches what is probed (the reads; writes would change it).
    for (method, _, path, _) in objects.iter().filter(|p| p.0 == "GET") {
        app.call(method, path, Some(&t.district_admin), None).await.expect(200);
    }
    let audit = app.get(&t.district_admin, "/api/v1/audit?limit=200").await.expect(200);
    assert!(audit.body.to_string().contains("乙小学听课规则"), "the district's audit shows school B's rule");
    let b_checks = format!("/api/v1/quota-checks?school_id={}&as_of=2026-10-30", w.school_b);
    let checks = app.get(&t.district_admin, &b_checks).await.expect(200);
    assert!(checks.body.to_string().contains("赵老师"), "the district sees B's teacher checked");

    for (who, token) in [
        ("admin_a", &t.admin_a),
        ("leader_a", &t.leader_a),
        ("teacher_a", &t.teacher_a),
        ("other district", &t.other_district_admin),
    ] {
        for (method, _, path, body) in &objects {
            let resp = app.call(method, path, Some(token), body.clone()).await;
            assert!([403, 404].contains(&resp.status), "{who} {method} {path} answered {}: {}", resp.status, resp.body);
            assert_eq!(resp.content_type(), "application/problem+json", "{who} {method} {path}");
        }
        for (method, _, path, body) in &reaches {
            let resp = app.call(method, path, Some(token), body.clone()).await;
            let text = resp.body.to_string();
            match resp.status {
                200 | 201 => {
                    assert!(
                        *method == "GET" || path.ends_with("simulate"),
                        "{who} {method} {path} was accepted: {text}"
                    );
                    for name in B_NAMES {
                        assert!(!text.contains(name), "{who} {method} {path} shows {name}: {text}");
                    }
                }
                403 | 404 | 422 => assert_eq!(resp.content_type(), "application/problem+json", "{who} {method} {path}"),
                other => panic!("{who} {method} {path} answered {other}: {text}"),
            }
        }
    }
    // Nothing changed: B's rule and the client are as they were.
    let rule_now = app.get(&t.district_admin, &format!("/api/v1/quota-rules/{rule}")).await.expect(200).body;
    assert_eq!(rule_now["min"].as_f64(), Some(3.0));
    assert!(rule_now["archived_at"].is_null());
    let client_now = app.get(&t.district_admin, &format!("/api/v1/api-clients/{client}")).await.expect(200).body;
    assert_eq!(client_now["name"], "区数据中心");

    // Every route under the claimed prefixes is probed here.
    let spec: Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    let probed: BTreeSet<(String, String)> =
        objects.iter().chain(&reaches).map(|p| (p.0.to_lowercase(), p.1.to_string())).collect();
    let mut missing = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !AREAS.iter().any(|a| path.starts_with(a)) {
            continue;
        }
        for method in
            item.as_object().unwrap().keys().filter(|m| ["get", "post", "patch", "put", "delete"].contains(&m.as_str()))
        {
            if !probed.contains(&(method.clone(), path.clone())) {
                missing.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(missing.is_empty(), "routes missing from the matrix: {missing:?}");
}

on_both_backends!(the_district_controls_are_out_of_reach_of_other_schools_and_districts);
