//! What the service writes out: CSV cells that no spreadsheet runs as formulas, absolute URLs on
//! the configured public base URL (never the request's `Host`), and logs without secrets.

use jiaoyan_tests::clients::{register, token_for};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, logs, on_both_backends, TestApp, PASSWORD};
use serde_json::Value;

on_both_backends!(
    csv_cells_that_start_like_formulas_are_neutralised,
    absolute_urls_come_from_the_configured_base_not_the_host,
    no_secret_reaches_the_log,
);

const EVIL_NAME: &str = "=HYPERLINK(\"http://evil\",\"x\")";

async fn csv_cells_that_start_like_formulas_are_neutralised(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let teacher = json!({"school_id": w.school_a, "name": EVIL_NAME, "subjects": ["@SUM(1+1)"]});
    app.post(admin, "/api/v1/teachers", teacher).await.expect(201);
    app.post(admin, "/api/v1/quota-rules", json!({"school_id": w.school_a, "template_id": "observations-monthly-4"}))
        .await
        .expect(201);
    let path = format!(
        "/api/v1/reports/compliance?semester_id={}&as_of=2026-11-20&school_id={}&format=csv",
        w.semester, w.school_a
    );
    let response = app.client.get(format!("{}{path}", app.base_url)).bearer_auth(admin).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a UTF-8 BOM");

    // Read as a spreadsheet reads it: the cell holds the name behind a quote, as text.
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    let cells: Vec<String> =
        reader.records().flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>()).collect();
    assert!(cells.contains(&format!("'{EVIL_NAME}")), "{cells:?}");
    let formulas: Vec<&String> = cells.iter().filter(|c| c.starts_with(['=', '+', '-', '@', '\t', '\r'])).collect();
    assert!(formulas.is_empty(), "cells a spreadsheet would run: {formulas:?}");
    // And the cell is quoted in the file.
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""), "{text}");
}

const BASE: &str = "https://jiaoyan.example.edu.cn/jy";

/// Every `href` in a JSON document.
fn hrefs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("href", Value::String(s)) => out.push(s.clone()),
                    _ => hrefs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| hrefs(v, out)),
        _ => {}
    }
}

async fn absolute_urls_come_from_the_configured_base_not_the_host(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let app = TestApp::spawn_with(backend, |s| s.public_url = Some(format!("{BASE}/"))).await;
    let w = World::build(&app).await;
    let spoofed = [
        ("host", "evil.example"),
        ("x-forwarded-host", "evil.example"),
        ("x-forwarded-proto", "gopher"),
        ("forwarded", "host=evil.example;proto=http"),
    ];
    for collection in ["users", "schools", "orgs"] {
        let path = format!("/ims/oneroster/rostering/v1p2/{collection}");
        let resp = app.call_with("GET", &path, Some(&w.tokens.district_admin), None, &spoofed).await.expect(200);
        let mut found = Vec::new();
        hrefs(&resp.body, &mut found);
        assert!(!found.is_empty(), "{collection}: {}", resp.body);
        for href in found {
            assert!(href.starts_with(&format!("{BASE}/ims/oneroster/rostering/v1p2/")), "{collection}: {href}");
        }
        // Paging links are relative references: nothing from the Host either.
        assert!(!resp.header("link").contains("evil"), "{}", resp.header("link"));
    }
    let issued = app.call_with("POST", "/api/v1/me/calendar-token", Some(&w.tokens.teacher_a), None, &spoofed).await;
    let feeds = issued.expect(200).body["feeds"].as_array().unwrap().clone();
    assert!(!feeds.is_empty());
    for feed in feeds {
        let url = feed["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("{BASE}/api/v1/calendar/")), "{url}");
    }
}

/// A run that exercises login, refresh, client credentials and calendar feeds (one failing with a
/// 404) leaves none of the secrets it used in the log.
async fn no_secret_reaches_the_log(app: TestApp) {
    assert!(logs::capture(), "the test process has no other global subscriber");
    let w = World::build(&app).await;
    let password = PASSWORD;
    let login = |password: &str| {
        app.call("POST", "/api/v1/auth/login", None, Some(json!({"username": "teacher_a", "password": password})))
    };
    assert_eq!(login("Wrong-Harbour-Lantern-8").await.status, 401);
    let session = login(password).await.expect(200).body;
    let access = session["access_token"].as_str().unwrap().to_string();
    let refresh = session["refresh_token"].as_str().unwrap().to_string();
    let refreshed =
        app.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh}))).await.expect(200).body;
    let new_access = refreshed["access_token"].as_str().unwrap().to_string();
    let new_refresh = refreshed["refresh_token"].as_str().unwrap().to_string();
    // A token in a query string (some clients do that) is as secret as in a header.
    app.call("GET", &format!("/api/v1/me?access_token={new_access}"), Some(&new_access), None).await;

    let client = register(&app, &w.tokens.district_admin, "县教师管理系统", &["roster.read"], None).await;
    let client_access = token_for(&app, &client).await;
    let form = format!("grant_type=client_credentials&client_id={}&client_secret={}", client.client_id, client.secret);
    let in_form =
        app.call_raw("POST", "/api/v1/oauth/token", None, "application/x-www-form-urlencoded", form.into_bytes()).await;
    assert_eq!(in_form.status, 200, "{}", in_form.body);
    let wrong_secret = app
        .call_raw(
            "POST",
            &format!("/api/v1/oauth/token?client_secret={}x", client.secret),
            None,
            "application/x-www-form-urlencoded",
            b"grant_type=client_credentials".to_vec(),
        )
        .await;
    assert!(wrong_secret.status >= 400);

    let feed_token = app.call("POST", "/api/v1/me/calendar-token", Some(&new_access), None).await.expect(200).body
        ["token"]
        .as_str()
        .unwrap()
        .to_string();
    let feed = |path: String| format!("{path}?token={feed_token}");
    app.call("GET", &feed(format!("/api/v1/calendar/teachers/{}.ics", w.teacher_a)), None, None).await.expect(200);
    app.call("GET", &feed("/api/v1/calendar/teachers/999999.ics".into()), None, None).await.expect(404);
    app.call("GET", &feed(format!("/api/v1/calendar/groups/{}.ics", w.group_b)), None, None).await;
    let unknown =
        app.call("GET", "/api/v1/calendar/teachers/1.ics?token=0123456789abcdef-not-a-token", None, None).await;
    assert_eq!(unknown.status, 401);

    let log = logs::text();
    // The requests were logged, with their secrets redacted ...
    assert!(log.contains(&format!("/api/v1/calendar/teachers/{}.ics?token=[redacted]", w.teacher_a)), "{log}");
    assert!(log.contains("/api/v1/calendar/teachers/999999.ics?token=[redacted]"));
    assert!(log.contains("/api/v1/auth/login") && log.contains("/api/v1/auth/refresh"));
    assert!(log.contains("/api/v1/oauth/token?client_secret=[redacted]"));
    assert!(log.contains("/api/v1/me?access_token=[redacted]"));
    // ... and no secret is anywhere.
    for (what, secret) in [
        ("password", password),
        ("wrong password", "Wrong-Harbour-Lantern-8"),
        ("access token", &access),
        ("refreshed access token", &new_access),
        ("refresh token", &refresh),
        ("new refresh token", &new_refresh),
        ("client secret", &client.secret),
        ("client access token", &client_access),
        ("feed token", &feed_token),
        ("unknown feed token", "0123456789abcdef-not-a-token"),
    ] {
        assert!(!log.contains(secret), "the {what} is in the log");
    }
}
