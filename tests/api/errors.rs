//! Bad input of every class gets the right 4xx and an `application/problem+json` body that
//! names the field; none yields a 500 (the harness fails any test that sees a 5xx).

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};

fn assert_problem(resp: &Resp, status: u16) {
    assert_eq!(resp.status, status, "body: {}", resp.body);
    assert_eq!(resp.content_type(), "application/problem+json");
    assert_eq!(resp.body["status"], status);
    for member in ["type", "title", "detail"] {
        assert!(resp.body[member].is_string(), "problem body lacks {member}: {}", resp.body);
    }
}

async fn malformed_json_is_400(app: TestApp) {
    let w = World::build(&app).await;
    let resp =
        app.call_raw("POST", "/api/v1/zones", Some(&w.tokens.district_admin), "application/json", b"{".to_vec()).await;
    assert_problem(&resp, 400);
    let empty = app.call_raw("POST", "/api/v1/zones", Some(&w.tokens.district_admin), "application/json", vec![]).await;
    assert_problem(&empty, 400);
}

async fn wrong_types_are_422_naming_the_field(app: TestApp) {
    let w = World::build(&app).await;
    let resp = app.post(&w.tokens.district_admin, "/api/v1/zones", json!({"district_id": w.district, "name": 5})).await;
    assert_problem(&resp, 422);
    assert_eq!(resp.error_fields(), vec!["name"]);
    let resp = app.post(&w.tokens.root, "/api/v1/districts", json!({"name": 5})).await;
    assert_problem(&resp, 422);
    assert_eq!(resp.error_fields(), vec!["name"]);
}

async fn unknown_enum_values_and_fields_are_422(app: TestApp) {
    let w = World::build(&app).await;
    let resp = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/users",
            json!({"username": "x-admin", "password": "Xiaohe-8%stone-bridge", "role": "superuser", "school_id": w.school_a}),
        )
        .await;
    assert_problem(&resp, 422);
    assert_eq!(resp.error_fields(), vec!["role"]);
    let resp = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/zones",
            json!({"district_id": w.district, "name": "北片", "colour": 1}),
        )
        .await;
    assert_problem(&resp, 422);
    assert!(resp.body["detail"].as_str().unwrap().contains("colour"), "names the unknown field: {}", resp.body);
}

async fn oversized_bodies_are_413(app: TestApp) {
    let w = World::build(&app).await;
    let big = format!(r#"{{"district_id": {}, "name": "{}"}}"#, w.district, "x".repeat(2 * 1024 * 1024));
    let resp = app
        .call_raw("POST", "/api/v1/zones", Some(&w.tokens.district_admin), "application/json", big.into_bytes())
        .await;
    assert_problem(&resp, 413);
}

async fn end_before_start_is_422_naming_end_date(app: TestApp) {
    let w = World::build(&app).await;
    let resp = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/semesters",
            json!({"district_id": w.district, "name": "倒序学期", "school_year": "2027-2028",
                   "start_date": "2027-09-01", "end_date": "2027-08-01"}),
        )
        .await;
    assert_problem(&resp, 422);
    assert!(resp.error_fields().contains(&"end_date".to_string()), "fields: {:?}", resp.error_fields());
}

async fn out_of_range_dates_are_422(app: TestApp) {
    let w = World::build(&app).await;
    let resp = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/semesters",
            json!({"district_id": w.district, "name": "坏日期", "school_year": "2027-2028",
                   "start_date": "2027-02-30", "end_date": "2027-08-01"}),
        )
        .await;
    assert_problem(&resp, 422);
    assert_eq!(resp.error_fields(), vec!["start_date"]);
}

async fn bad_query_parameters_are_422(app: TestApp) {
    let w = World::build(&app).await;
    for (query, field) in
        [("limit=501", "limit"), ("limit=0", "limit"), ("limit=many", "limit"), ("sort=colour", "sort")]
    {
        let resp = app.get(&w.tokens.district_admin, &format!("/api/v1/zones?{query}")).await;
        assert_problem(&resp, 422);
        assert_eq!(resp.error_fields(), vec![field], "for ?{query}");
    }
    // A bad, missing or unknown parameter is reported on its own name, never on `query`.
    let semester = w.semester;
    for (path, field) in [
        ("/api/v1/quota-checks?semester_id=abc".to_string(), "semester_id"),
        (format!("/api/v1/quota-checks?semester_id={semester}&as_of=2026-13-01"), "as_of"),
        (format!("/api/v1/quota-checks?semester={semester}"), "semester"),
        ("/api/v1/quota-checks/explain?subject_type=teacher&subject_id=1".to_string(), "rule_id"),
        ("/api/v1/zones?colour=red".to_string(), "colour"),
    ] {
        let resp = app.get(&w.tokens.district_admin, &path).await;
        assert_problem(&resp, 422);
        assert_eq!(resp.error_fields(), vec![field], "for {path}");
    }
}

async fn wrong_content_type_is_415(app: TestApp) {
    let w = World::build(&app).await;
    let resp =
        app.call_raw("POST", "/api/v1/zones", Some(&w.tokens.district_admin), "text/plain", b"name=x".to_vec()).await;
    assert_problem(&resp, 415);
}

async fn unknown_routes_and_ids_are_404_problems(app: TestApp) {
    let w = World::build(&app).await;
    assert_problem(&app.get(&w.tokens.district_admin, "/api/v1/nothing-here").await, 404);
    assert_problem(&app.get(&w.tokens.district_admin, "/api/v1/zones/abc").await, 404);
    assert_problem(&app.get(&w.tokens.district_admin, "/api/v1/zones/999999").await, 404);
}

async fn missing_references_are_422_naming_the_field(app: TestApp) {
    let w = World::build(&app).await;
    let resp = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/zones",
            json!({"district_id": w.district, "name": "北片", "lead_school_id": 424242}),
        )
        .await;
    assert_problem(&resp, 422);
    assert_eq!(resp.error_fields(), vec!["lead_school_id"]);
}

on_both_backends!(
    malformed_json_is_400,
    wrong_types_are_422_naming_the_field,
    unknown_enum_values_and_fields_are_422,
    oversized_bodies_are_413,
    end_before_start_is_422_naming_end_date,
    out_of_range_dates_are_422,
    bad_query_parameters_are_422,
    wrong_content_type_is_415,
    unknown_routes_and_ids_are_404_problems,
    missing_references_are_422_naming_the_field,
);

mod nul {
    use super::*;

    /// PostgreSQL cannot store U+0000; it must be a 422 on both engines, never a 500.
    async fn nul_characters_are_422_naming_the_field(app: TestApp) {
        let w = World::build(&app).await;
        let resp = app
            .post(&w.tokens.district_admin, "/api/v1/zones", json!({"district_id": w.district, "name": "北\u{0}片"}))
            .await;
        assert_problem(&resp, 422);
        assert_eq!(resp.error_fields(), vec!["name"]);
        let resp = app.get(&w.tokens.district_admin, "/api/v1/zones?sort=%00").await;
        assert_problem(&resp, 422);
        assert_eq!(resp.error_fields(), vec!["sort"]);
    }

    on_both_backends!(nul_characters_are_422_naming_the_field);
}
