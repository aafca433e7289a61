//! The committed OpenAPI document matches what the code generates, and the running service
//! serves it and Swagger UI.

use jiaoyan_tests::{on_both_backends, TestApp};

/// Regenerate with `cargo run -p api -- openapi > openapi/openapi.json`.
#[test]
fn committed_openapi_document_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = api::openapi::spec_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(path, &generated).unwrap();
        return;
    }
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `cargo run -p api -- openapi > openapi/openapi.json` (or UPDATE_OPENAPI=1 cargo test openapi)"
    );
}

/// Swagger UI shows the description first: it opens with the guide (docs/BROWSER.md), each
/// section in English and Chinese, and its paging numbers are the service's.
#[test]
fn the_description_opens_with_the_guide_in_english_and_chinese() {
    let spec = api::openapi::spec();
    let description = spec.info.description.expect("the document has a description");
    let guide = description.find("## Guide · 使用指南").expect("the guide's heading");
    assert!(guide < 1000, "the guide opens the description, after a short introduction");
    let mut at = guide;
    for (heading, english, chinese) in [
        ("### Log in · 登录", "press **Authorize**", "点 **Authorize**"),
        ("### Lists and paging · 列表与分页", "`X-Total-Count`", "`X-Total-Count`"),
        ("### Errors · 错误", "`application/problem+json`", "`application/problem+json`"),
        ("### Who sees what · 权限范围", "answers 404", "返回 404"),
        ("### Conditional requests · 条件请求", "`If-Match`", "`If-Match`"),
    ] {
        let start = at + description[at..].find(heading).unwrap_or_else(|| panic!("{heading}, in this order"));
        let end = description[start + heading.len()..]
            .find("\n### ")
            .map_or(description.len(), |i| start + heading.len() + i);
        let section = &description[start..end];
        assert!(section.contains(english), "{heading}: the English text mentions {english}");
        let han = section.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
        assert!(han > 40 && section.contains(chinese), "{heading}: the Chinese text mentions {chinese}");
        at = start;
    }
    let (default, max) = (api::pagination::DEFAULT_LIMIT, api::pagination::MAX_LIMIT);
    assert!(
        description.contains(&format!("`limit` (1–{max}, default {default};")),
        "the guide's limits are the service's"
    );
    assert!(description.contains(&format!("`limit`（1–{max}，默认 {default}；")), "the Chinese guide's limits too");
}

#[test]
fn every_operation_is_documented_with_errors_and_security() {
    let spec: serde_json::Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    assert_eq!(spec["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let paths = spec["paths"].as_object().unwrap();
    for required in [
        "/api/v1/districts",
        "/api/v1/zones",
        "/api/v1/schools",
        "/api/v1/school-pairings",
        "/api/v1/semesters",
        "/api/v1/teachers",
        "/api/v1/users",
        "/api/v1/groups",
        "/api/v1/groups/{id}/members",
        "/api/v1/groups/{id}/slots",
        "/api/v1/research-topics",
        "/api/v1/schools/{id}/statistics",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/me",
        "/api/v1/activities",
        "/api/v1/activities/{id}",
        "/api/v1/activities/{id}/attendance",
        "/api/v1/activities/{id}/attendance/sign-in",
        "/api/v1/groups/{id}/slots/{slot_id}/generate",
        "/api/v1/activity-policies/{scope}/{scope_id}",
        "/api/v1/attendance-rates/teachers/{id}",
        "/api/v1/attendance-rates/groups/{id}",
        "/api/v1/observations",
        "/api/v1/rubrics",
        "/api/v1/records",
        "/api/v1/record-tasks",
        "/api/v1/record-tasks/{id}/submissions",
        "/api/v1/mentorships",
        "/api/v1/mentorships/{id}/log",
        "/api/v1/mentorship-policies/effective",
        "/api/v1/school-pairings/{id}/log",
        "/api/v1/me/calendar-token",
        "/api/v1/calendar/teachers/{id}.ics",
        "/api/v1/calendar/groups/{id}.ics",
        "/api/v1/quota-rule-templates",
        "/api/v1/quota-rules",
        "/api/v1/quota-rules/{id}",
        "/api/v1/quota-checks",
        "/api/v1/quota-checks/explain",
        "/api/v1/quota-checks/simulate",
        "/api/v1/reports/compliance",
        "/api/v1/reports/groups/{id}",
        "/api/v1/reports/schools/{id}/summary",
        "/api/v1/reports/districts/{id}/summary",
        "/api/v1/reports/teacher-statistics",
        "/api/v1/sync/csv",
    ] {
        assert!(paths.contains_key(required), "{required} is not in the spec");
    }
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path} documents no success");
            assert!(responses.contains_key("500"), "{method} {path} documents no 500");
            assert!(op["summary"].is_string() || op["description"].is_string(), "{method} {path} has no description");
            if op["requestBody"].is_object() {
                for status in ["400", "413", "422"] {
                    assert!(responses.contains_key(status), "{method} {path} documents no {status}");
                }
                // JSON almost everywhere; the OAuth token endpoint takes a form, imports take files.
                let content = op["requestBody"]["content"].as_object().unwrap();
                // A JSON body must have an example; of other bodies, one content type (the CSV of an
                // import, not its binary zip).
                let exemplified = match content.get("application/json") {
                    Some(json) => has_example(&spec, &json["schema"]),
                    None => content.values().any(|c| has_example(&spec, &c["schema"])),
                };
                assert!(exemplified, "{method} {path}: the request body schema has no example");
            }
            for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
                if let Some(schema) = response["content"]["application/json"]["schema"].as_object() {
                    let schema = serde_json::Value::Object(schema.clone());
                    assert!(
                        has_example(&spec, &schema),
                        "{method} {path} {status}: the response schema has no example"
                    );
                }
            }
        }
    }
}

/// Whether a schema (following `$ref`s, and a page to the schema of its items) has an example.
/// Every `$ref` of the document names a schema it defines (a dangling one makes clients and
/// fuzzers skip the parts that use it).
/// Operation ids are unique: clients generate one function per id, and schemathesis' links name
/// their targets by it (two `put_policy`s once chained activity policies to the district team
/// rule and stopped the contract's stateful phase).
#[test]
fn operation_ids_are_unique() {
    let spec: serde_json::Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                if let Some(first) = seen.insert(id.to_string(), format!("{method} {path}")) {
                    panic!("operationId {id} is used by {first} and {method} {path}");
                }
            }
        }
    }
    assert!(seen.len() > 200, "only {} operations", seen.len());
}

#[test]
fn every_reference_resolves() {
    let text = api::openapi::spec_json();
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let dangling: std::collections::BTreeSet<&str> = text
        .split("\"#/components/schemas/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    assert!(dangling.is_empty(), "references to undefined schemas: {dangling:?}");
}

fn has_example(spec: &serde_json::Value, schema: &serde_json::Value) -> bool {
    let resolved = match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &spec["components"]["schemas"][name]
        }
        None => schema,
    };
    if resolved.get("example").is_some() {
        return true;
    }
    // A page (`items`) or a sync batch (`records`) is exemplified by its elements.
    ["items", "records"].iter().any(|list| {
        let items = &resolved["properties"][*list]["items"];
        items.is_object() && has_example(spec, items)
    })
}

async fn serves_spec_and_swagger_ui(app: TestApp) {
    let spec = app.call("GET", "/api-docs/openapi.json", None, None).await.expect(200);
    assert_eq!(spec.body["openapi"], "3.1.0");
    let ui = app.client.get(format!("{}/swagger-ui/", app.base_url)).send().await.unwrap();
    assert_eq!(ui.status().as_u16(), 200);
    assert!(ui.text().await.unwrap().contains("swagger"), "Swagger UI page served");
    let health = app.call("GET", "/health", None, None).await.expect(200);
    assert_eq!(health.body["database"], "ok");
}

on_both_backends!(serves_spec_and_swagger_ui);
