//! Who may call the district-system endpoints (sync, change feed, OneRoster): every operation of
//! those tags in the OpenAPI document against every kind of caller — no token, a teacher, a
//! school administrator, the district administrator, machine clients with one scope each, a
//! client limited to one school, a disabled client and a token from before a secret rotation.
//! The test fails when an operation of those tags is missing from the matrix.

use std::collections::BTreeSet;

use entities::school;
use jiaoyan_tests::clients::{put, register, token_for};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::Value;

/// The tags whose every operation this matrix probes (the route coverage check counts them).
pub(crate) const TAGS: [&str; 3] = ["sync", "changes", "oneroster"];

const CALLERS: [&str; 10] = [
    "anonymous",
    "teacher",
    "school_admin",
    "district_admin",
    "reader",
    "writer",
    "records",
    "limited",
    "disabled",
    "rotated",
];

/// Expected status per caller, in the order of `CALLERS`.
type Row = [u16; 10];
const DISTRICT_WRITE: Row = [401, 403, 403, 200, 403, 200, 403, 403, 401, 401];
const SCHOOL_WRITE: Row = [401, 403, 200, 200, 403, 200, 403, 200, 401, 401];
const FEED_READ: Row = [401, 403, 200, 200, 200, 403, 200, 200, 401, 401];
const ROSTER_READ: Row = [401, 403, 200, 200, 200, 403, 403, 200, 401, 401];

struct Probe {
    method: &'static str,
    /// The path as the OpenAPI document names it.
    template: &'static str,
    path: String,
    body: Option<Value>,
    /// A body that is not JSON: its content type and bytes.
    raw: Option<(&'static str, Vec<u8>)>,
    expected: Row,
}

fn probe(method: &'static str, template: &'static str, path: String, body: Option<Value>, expected: Row) -> Probe {
    Probe { method, template, path, body, raw: None, expected }
}

async fn call(app: &TestApp, token: Option<&str>, p: &Probe) -> Resp {
    match &p.raw {
        Some((content_type, bytes)) => app.call_raw(p.method, &p.path, token, content_type, bytes.clone()).await,
        None => app.call(p.method, &p.path, token, p.body.clone()).await,
    }
}

async fn first_sourced_id(app: &TestApp, token: &str, collection: &str) -> String {
    let resp = app.get(token, &format!("/ims/oneroster/rostering/v1p2/{collection}?limit=1")).await.expect(200);
    let envelope = resp.body.as_object().unwrap().values().next().unwrap().clone();
    envelope[0]["sourcedId"].as_str().unwrap().to_string()
}

async fn every_district_system_operation_checks_its_caller(app: TestApp) {
    let w = World::build(&app).await;
    let admin = w.tokens.district_admin.clone();
    // School A gets a source-system id, and a teacher and a group to make memberships of.
    let a = school::Entity::find_by_id(w.school_a).one(&app.db).await.unwrap().unwrap();
    let mut a = a.into_active_model();
    a.sourced_id = Set(Some("sch-a".into()));
    a.update(&app.db).await.unwrap();
    let teachers = json!({"records": [{"sourced_id": "m-t0", "school_sourced_id": "sch-a", "name": "矩阵老师"}]});
    put(&app, &admin, "/api/v1/sync/teachers", teachers).await.expect(200);
    let groups = json!({"records": [{"sourced_id": "m-g0", "kind": "research", "school_sourced_id": "sch-a", "name": "矩阵组"}]});
    put(&app, &admin, "/api/v1/sync/groups", groups).await.expect(200);

    let all = ["roster.read", "roster.write", "records.read"];
    let client = |name: &'static str, scopes: &'static [&'static str], schools: Option<Vec<i64>>| {
        let (app, admin) = (&app, admin.clone());
        async move { register(app, &admin, name, scopes, schools).await }
    };
    let reader = token_for(&app, &client("只读", &["roster.read"], None).await).await;
    let writer = token_for(&app, &client("只写", &["roster.write"], None).await).await;
    let records = token_for(&app, &client("成果", &["records.read"], None).await).await;
    let limited = token_for(&app, &register(&app, &admin, "甲校前端", &all, Some(vec![w.school_a])).await).await;
    let disabled_client = register(&app, &admin, "停用", &all, None).await;
    let disabled = token_for(&app, &disabled_client).await;
    app.patch(&admin, &format!("/api/v1/api-clients/{}", disabled_client.id), json!({"disabled": true}))
        .await
        .expect(200);
    let rotated_client = register(&app, &admin, "换密钥", &all, None).await;
    let rotated = token_for(&app, &rotated_client).await;
    app.post(&admin, &format!("/api/v1/api-clients/{}/secret", rotated_client.id), json!({})).await.expect(200);
    let tokens: [Option<&str>; 10] = [
        None,
        Some(&w.tokens.teacher_a),
        Some(&w.tokens.admin_a),
        Some(&admin),
        Some(&reader),
        Some(&writer),
        Some(&records),
        Some(&limited),
        Some(&disabled),
        Some(&rotated),
    ];

    let one = |record: Value| Some(json!({"records": [record]}));
    let or = "/ims/oneroster/rostering/v1p2";
    let school = "sch-a"; // its own sourced_id, not a made-up one
    let user = first_sourced_id(&app, &admin, "users").await;
    let term = first_sourced_id(&app, &admin, "terms").await;
    let session = first_sourced_id(&app, &admin, "academicSessions").await;
    let probes = vec![
        probe(
            "PUT",
            "/api/v1/sync/semesters",
            "/api/v1/sync/semesters?dry_run=true".into(),
            one(json!({"sourced_id": "m-sem", "name": "矩阵学期", "school_year": "2026-2027",
                         "start_date": "2027-02-22", "end_date": "2027-07-09"})),
            DISTRICT_WRITE,
        ),
        probe(
            "PUT",
            "/api/v1/sync/zones",
            "/api/v1/sync/zones?dry_run=true".into(),
            one(json!({"sourced_id": "m-zone", "name": "矩阵片"})),
            DISTRICT_WRITE,
        ),
        probe(
            "PUT",
            "/api/v1/sync/schools",
            "/api/v1/sync/schools?dry_run=true".into(),
            one(json!({"sourced_id": "m-school", "name": "矩阵小学", "tier": "village"})),
            DISTRICT_WRITE,
        ),
        probe(
            "PUT",
            "/api/v1/sync/teachers",
            "/api/v1/sync/teachers?dry_run=true".into(),
            one(json!({"sourced_id": "m-t", "school_sourced_id": "sch-a", "name": "新老师"})),
            SCHOOL_WRITE,
        ),
        probe(
            "PUT",
            "/api/v1/sync/groups",
            "/api/v1/sync/groups?dry_run=true".into(),
            one(json!({"sourced_id": "m-g", "kind": "research", "school_sourced_id": "sch-a", "name": "新组"})),
            SCHOOL_WRITE,
        ),
        probe(
            "PUT",
            "/api/v1/sync/memberships",
            "/api/v1/sync/memberships?dry_run=true".into(),
            one(json!({"sourced_id": "m-m", "group_sourced_id": "m-g0", "teacher_sourced_id": "m-t0"})),
            SCHOOL_WRITE,
        ),
        Probe {
            raw: Some((
                "text/csv",
                "sourcedId,status,role,givenName,familyName,orgSourcedIds\nm-t1,active,teacher,芳,王,sch-a\n".into(),
            )),
            ..probe(
                "POST",
                "/api/v1/sync/csv",
                "/api/v1/sync/csv?file=users.csv&dry_run=true".into(),
                None,
                SCHOOL_WRITE,
            )
        },
        probe("GET", "/api/v1/changes", "/api/v1/changes".into(), None, FEED_READ),
        probe("GET", "/api/v1/changes/available", "/api/v1/changes/available".into(), None, FEED_READ),
        probe("GET", "/ims/oneroster/rostering/v1p2/orgs", format!("{or}/orgs"), None, ROSTER_READ),
        probe(
            "GET",
            "/ims/oneroster/rostering/v1p2/orgs/{sourcedId}",
            format!("{or}/orgs/{school}"),
            None,
            ROSTER_READ,
        ),
        probe("GET", "/ims/oneroster/rostering/v1p2/schools", format!("{or}/schools"), None, ROSTER_READ),
        probe(
            "GET",
            "/ims/oneroster/rostering/v1p2/schools/{sourcedId}",
            format!("{or}/schools/{school}"),
            None,
            ROSTER_READ,
        ),
        probe("GET", "/ims/oneroster/rostering/v1p2/users", format!("{or}/users"), None, ROSTER_READ),
        probe(
            "GET",
            "/ims/oneroster/rostering/v1p2/users/{sourcedId}",
            format!("{or}/users/{user}"),
            None,
            ROSTER_READ,
        ),
        probe("GET", "/ims/oneroster/rostering/v1p2/teachers", format!("{or}/teachers"), None, ROSTER_READ),
        probe(
            "GET",
            "/ims/oneroster/rostering/v1p2/teachers/{sourcedId}",
            format!("{or}/teachers/{user}"),
            None,
            ROSTER_READ,
        ),
        probe(
            "GET",
            "/ims/oneroster/rostering/v1p2/academicSessions",
            format!("{or}/academicSessions"),
            None,
            ROSTER_READ,
        ),
        probe(
            "GET",
            "/ims/oneroster/rostering/v1p2/academicSessions/{sourcedId}",
            format!("{or}/academicSessions/{session}"),
            None,
            ROSTER_READ,
        ),
        probe("GET", "/ims/oneroster/rostering/v1p2/terms", format!("{or}/terms"), None, ROSTER_READ),
        probe(
            "GET",
            "/ims/oneroster/rostering/v1p2/terms/{sourcedId}",
            format!("{or}/terms/{term}"),
            None,
            ROSTER_READ,
        ),
    ];

    // Every operation of the district-system tags is in the matrix.
    let spec = app.call("GET", "/api-docs/openapi.json", None, None).await.expect(200).body;
    let documented: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().unwrap().iter().filter_map(move |(method, op)| {
                let tags: Vec<&str> = op["tags"].as_array()?.iter().filter_map(Value::as_str).collect();
                let district_system = tags.iter().any(|t| TAGS.contains(t));
                district_system.then(|| (method.to_uppercase(), path.clone()))
            })
        })
        .collect();
    let probed: BTreeSet<(String, String)> =
        probes.iter().map(|p| (p.method.to_string(), p.template.to_string())).collect();
    let missing: Vec<_> = documented.difference(&probed).collect();
    assert!(missing.is_empty(), "operations missing from the matrix: {missing:?}");

    let version = api::changes::newest_version(&app.db).await.unwrap();
    let mut wrong = Vec::new();
    for p in &probes {
        for (i, token) in tokens.iter().enumerate() {
            let status = call(&app, *token, p).await.status;
            let expected = p.expected[i];
            let ok = if expected == 200 { (200..300).contains(&status) } else { status == expected };
            if !ok {
                wrong.push(format!("{} {} as {}: {status}, expected {expected}", p.method, p.path, CALLERS[i]));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(api::changes::newest_version(&app.db).await.unwrap(), version, "dry runs and reads wrote nothing");
}

on_both_backends!(every_district_system_operation_checks_its_caller);
