//! The fixes of the contract check (`scripts/contract.sh`, docs/CONTRACT.md), as a client sees
//! them: answers that the published document describes, and 409s that name the field without
//! repeating the database's text.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use sea_orm::ConnectionTrait;
use serde_json::Value;

fn spec() -> Value {
    serde_json::from_str(&api::openapi::spec_json()).unwrap()
}

/// The statuses the document lists for an operation.
fn documented(spec: &Value, method: &str, path: &str) -> Vec<String> {
    spec["paths"][path][method]["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is not in the document"))
        .keys()
        .cloned()
        .collect()
}

/// A database constraint the handlers do not check themselves (here one the test adds: no two
/// teachers of a school share a name), as when two writers race past the handlers' checks: the
/// database refuses the write, and the client gets a 409 naming the field, not the database's
/// message (table, index, the other row's values).
async fn constraint_violations_are_409s_naming_the_field(app: TestApp) {
    let w = World::build(&app).await;
    app.db
        .execute_unprepared("CREATE UNIQUE INDEX ux_contract_teacher_name ON teachers (school_id, name)")
        .await
        .unwrap();
    let body = json!({"school_id": w.school_a, "name": "欧阳修远"});
    app.post(&w.tokens.admin_a, "/api/v1/teachers", body.clone()).await.expect(201);
    let clash = app.post(&w.tokens.admin_a, "/api/v1/teachers", body).await.expect(409);
    assert_eq!(clash.content_type(), "application/problem+json");
    assert_eq!(clash.error_fields(), vec!["name"], "{}", clash.body);
    let text = clash.body.to_string();
    for leak in ["ux_contract", "UNIQUE", "unique constraint", "duplicate key", "teachers", "欧阳修远", "school_id"]
    {
        assert!(!text.contains(leak), "the 409 repeats the database's text ({leak}): {text}");
    }
}

/// `POST /quota-checks/simulate` for a population that does not exist answers the 404 its
/// documentation lists (it used to be undocumented).
async fn simulate_answers_its_documented_404(app: TestApp) {
    let w = World::build(&app).await;
    let draft = json!({"semester_id": w.semester, "group_id": 987654,
        "rules": [{"template_id": "observations-monthly-4"}]});
    let resp = app.post(&w.tokens.admin_a, "/api/v1/quota-checks/simulate", draft).await.expect(404);
    assert_eq!(resp.content_type(), "application/problem+json");
    assert!(documented(&spec(), "post", "/api/v1/quota-checks/simulate").contains(&"404".to_string()));
}

/// Every list documents `limit` as 1–500 (the change feed 1–1000), which is what the service
/// takes: 500 is a page, 501 a 422 naming `limit`.
async fn limit_is_documented_as_the_service_takes_it(app: TestApp) {
    let spec = spec();
    let mut lists = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(params) = item["get"]["parameters"].as_array() else { continue };
        let Some(limit) = params.iter().find(|p| p["name"] == "limit") else { continue };
        let schema = &limit["schema"];
        if path.starts_with("/ims/oneroster/") {
            assert_eq!(schema["minimum"], 1, "{path}: {schema}");
            continue;
        }
        let maximum = if path == "/api/v1/changes" { 1000 } else { 500 };
        assert_eq!((schema["minimum"].clone(), schema["maximum"].clone()), (json!(1), json!(maximum)), "{path}");
        lists += 1;
    }
    assert!(lists >= 22, "only {lists} lists take limit");

    let w = World::build(&app).await;
    let token = &w.tokens.district_admin;
    for path in ["/api/v1/teachers", "/api/v1/schools", "/api/v1/quota-rules", "/api/v1/activities"] {
        app.get(token, &format!("{path}?limit=500")).await.expect(200);
        let over = app.get(token, &format!("{path}?limit=501")).await.expect(422);
        assert_eq!(over.error_fields(), vec!["limit"], "{path}");
        assert!(documented(&spec, "get", path).contains(&"422".to_string()), "{path}");
    }
}

/// A quota rule is one flat object in the document, as the service writes it: its id and owner
/// beside the rule's fields, nothing else (it was an `allOf` no answer could satisfy).
async fn quota_rules_answer_what_their_schema_lists(app: TestApp) {
    let w = World::build(&app).await;
    let spec = spec();
    let schema = &spec["components"]["schemas"]["QuotaRuleView"];
    assert_eq!(schema["additionalProperties"], false, "{schema}");
    let properties = schema["properties"].as_object().unwrap();
    let rule = json!({"template_id": "observations-monthly-4", "school_id": w.school_a});
    let created = app.post(&w.tokens.admin_a, "/api/v1/quota-rules", rule).await.expect(201).body;
    for key in created.as_object().unwrap().keys() {
        assert!(properties.contains_key(key), "{key} is not in the schema");
    }
    for required in schema["required"].as_array().unwrap() {
        assert!(created.get(required.as_str().unwrap()).is_some(), "{required} is missing");
    }
    let template = &spec["components"]["schemas"]["Template"];
    assert!(template["properties"]["id"].is_object() && template["properties"]["metric"].is_object());
}

/// An activity's effective policy says where it comes from as an object `{scope, scope_id}`,
/// and so does the document (it described the mentorship policies' string `source`).
async fn the_activity_policy_source_is_documented_as_an_object(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    app.call(
        "PUT",
        &format!("/api/v1/activity-policies/school/{}", w.school_a),
        Some(&t.admin_a),
        Some(json!({"summary_due_rule": "days_after", "summary_due_value": 3})),
    )
    .await
    .expect(201);
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let source = &schemas["EffectivePolicyView"]["properties"]["source"]["oneOf"][0]["$ref"];
    assert_eq!(source, "#/components/schemas/ActivityPolicySource");
    let object = &schemas["ActivityPolicySource"];
    assert_eq!(object["type"], "object");
    let activity = app
        .post(
            &t.leader_a,
            "/api/v1/activities",
            json!({"organiser_kind": "group", "organiser_id": w.group_a, "semester_id": w.semester,
                "activity_type": "collective_prep", "title": "集体备课", "topic": "第三单元", "date": "2026-10-15",
                "start_period": 6, "venue": "语文教研室", "lead_speaker_name": "李组长", "status": "scheduled"}),
        )
        .await
        .expect(201);
    let id = activity.body["id"].as_i64().unwrap();
    let effective = app.get(&t.teacher_a, &format!("/api/v1/activities/{id}/policy")).await.expect(200);
    let given = &effective.body["source"];
    assert_eq!(given, &json!({"scope": "school", "scope_id": w.school_a}));
    for key in given.as_object().unwrap().keys() {
        assert!(object["properties"].get(key).is_some(), "{key} is not documented");
    }
    for required in object["required"].as_array().unwrap() {
        assert!(given.get(required.as_str().unwrap()).is_some(), "{required} is missing");
    }
    assert_eq!(
        schemas["EffectiveMentorshipPolicy"]["properties"]["source"]["$ref"],
        "#/components/schemas/PolicySource"
    );
}

/// OneRoster's `fields=` answers only the selected fields, so its objects' schemas require none;
/// an empty `orderBy` and a `limit` beyond `int64` are 400s like any value the document refuses.
async fn oneroster_answers_match_their_schemas(app: TestApp) {
    let w = World::build(&app).await;
    let token = &w.tokens.district_admin;
    let base = "/ims/oneroster/rostering/v1p2";
    let selected = app.get(token, &format!("{base}/users?fields=sourcedId,status")).await.expect(200);
    let user = &selected.body["users"][0];
    assert_eq!(user.as_object().unwrap().len(), 2, "{user}");
    let spec = spec();
    for name in ["RosterOrg", "RosterUser", "RosterAcademicSession"] {
        let schema = &spec["components"]["schemas"][name];
        assert!(schema.get("required").is_none(), "{name} requires fields that fields= may leave out: {schema}");
        assert!(schema["description"].as_str().unwrap().contains("fields="), "{name} says why");
    }
    let refused = |resp: Resp| {
        assert_eq!(resp.status, 400, "{}", resp.body);
        assert!(resp.body["imsx_codeMajor"] == "failure", "{}", resp.body);
    };
    refused(app.get(token, &format!("{base}/users?sort=familyName&orderBy=")).await);
    refused(app.get(token, &format!("{base}/orgs?limit=9223372036854775808")).await);
    app.get(token, &format!("{base}/orgs?limit=9223372036854775807")).await.expect(200);
}

on_both_backends!(
    constraint_violations_are_409s_naming_the_field,
    simulate_answers_its_documented_404,
    limit_is_documented_as_the_service_takes_it,
    quota_rules_answer_what_their_schema_lists,
    the_activity_policy_source_is_documented_as_an_object,
    oneroster_answers_match_their_schemas,
);
