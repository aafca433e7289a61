//! What whoever runs the service sees (docs/OPERATIONS.md): `/healthz` alive without the
//! database, `/readyz` ready only with the database answering and its migrations this binary's,
//! `/metrics` counting the requests, checks, refusals and syncs this service saw (and refusing
//! other addresses and tokenless callers when asked to), and an `X-Request-Id` on every answer.

use std::time::{Duration, Instant};

use api::config::Settings;
use jiaoyan_tests::clients::{client_token, put};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Backend, TestApp};
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::Value;

/// A GET that may answer anything (the harness's `call` refuses a 5xx, and `/readyz` may be one).
async fn get_raw(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
    let mut request = app.client.get(format!("{}{path}", app.base_url));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request sent");
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, headers, response.text().await.expect("body read"))
}

/// The sum of the samples of `name` whose labels include `labels` (0 when there is none).
fn sample(metrics: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    metrics
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (series_name, series_labels) = match series.split_once('{') {
                Some((n, rest)) => (n, parse_labels(rest.strip_suffix('}')?)),
                None => (series, Vec::new()),
            };
            let wanted = series_name == name
                && labels.iter().all(|(k, v)| series_labels.iter().any(|(sk, sv)| sk == k && sv == v));
            wanted.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

/// `a="x",b="y\"z"` as pairs.
fn parse_labels(mut text: &str) -> Vec<(String, String)> {
    let mut labels = Vec::new();
    while let Some((key, rest)) = text.split_once("=\"") {
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let mut end = rest.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.extend(chars.next().map(|(_, c)| c)),
                '"' => {
                    end = i + 1;
                    break;
                }
                c => value.push(c),
            }
        }
        labels.push((key.trim_start_matches(',').to_string(), value));
        text = &rest[end..];
    }
    labels
}

async fn metrics_text(app: &TestApp) -> String {
    let (status, headers, body) = get_raw(app, "/metrics", &[]).await;
    assert_eq!(status, 200, "{body}");
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    body
}

async fn healthz_answers_alive(app: TestApp) {
    let alive = app.call("GET", "/healthz", None, None).await.expect(200);
    assert_eq!(alive.body["status"], "alive");
    assert_eq!(alive.body["version"], env!("CARGO_PKG_VERSION"));
    // The older endpoint is kept.
    assert_eq!(app.call("GET", "/health", None, None).await.expect(200).body["database"], "ok");
}

/// Ready with the database answering and every migration applied; 503 naming the migrations once
/// the database lacks one of this binary's (as after a rollback, or before `jiaoyan migrate`).
async fn readyz_is_ready_until_a_migration_is_missing(app: TestApp) {
    let ready = app.call("GET", "/readyz", None, None).await.expect(200);
    assert_eq!(ready.body["status"], "ready");
    let checks: Vec<&str> =
        ready.body["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(checks, ["database", "migrations"]);

    let newest = migration::Migrator::migrations().last().unwrap().name().to_string();
    let sql = format!("DELETE FROM seaql_migrations WHERE version = '{newest}'");
    app.db.execute_raw(Statement::from_string(app.db.get_database_backend(), sql)).await.unwrap();
    let (status, headers, body) = get_raw(&app, "/readyz", &[]).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["type"], "/problems/unavailable");
    assert_eq!(problem["errors"][0]["field"], "migrations", "{problem}");
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("1 pending") && message.contains(&newest), "{message}");
    // Alive all the same: a restart would not help.
    app.call("GET", "/healthz", None, None).await.expect(200);
}

/// After N calls of a route, its series (by route template, never the raw path) counts at least
/// N, with latency buckets; paths no route matches share one series.
async fn metrics_count_requests_by_route_template(app: TestApp) {
    let w = World::build(&app).await;
    for _ in 0..3 {
        app.get(&w.tokens.teacher_a, "/api/v1/me").await.expect(200);
    }
    for id in [999_991, 999_992] {
        app.get(&w.tokens.admin_a, &format!("/api/v1/teachers/{id}")).await.expect(404);
    }
    app.call("GET", "/no/such/path-4711", None, None).await.expect(404);
    let text = metrics_text(&app).await;
    let me = [("method", "GET"), ("route", "/api/v1/me"), ("status", "200")];
    assert!(sample(&text, "jiaoyan_http_requests_total", &me) >= 3.0, "{text}");
    let inf = [me.as_slice(), &[("le", "+Inf")]].concat();
    assert!(sample(&text, "jiaoyan_http_request_duration_seconds_bucket", &inf) >= 3.0, "{text}");
    assert!(sample(&text, "jiaoyan_http_request_duration_seconds_count", &me) >= 3.0, "{text}");
    let teacher = [("route", "/api/v1/teachers/{id}"), ("status", "404")];
    assert!(sample(&text, "jiaoyan_http_requests_total", &teacher) >= 2.0, "{text}");
    assert!(!text.contains("999991") && !text.contains("path-4711"), "raw paths are no label: {text}");
    assert!(sample(&text, "jiaoyan_http_requests_total", &[("route", "unmatched"), ("status", "404")]) >= 1.0);
    // The pools, read as the metrics are.
    let pool = if app.backend == Backend::Sqlite { "readers" } else { "primary" };
    assert!(sample(&text, "jiaoyan_db_pool_connections", &[("pool", pool)]) >= 1.0, "{text}");
    assert!(sample(&text, "jiaoyan_db_pool_max_connections", &[("pool", pool)]) >= 1.0, "{text}");
    assert!(text.contains("jiaoyan_db_pool_idle_connections{"), "{text}");
}

/// A quota check computed once and then found kept; a sync batch's size.
async fn metrics_show_quota_checks_and_sync_batches(app: TestApp) {
    let w = World::build(&app).await;
    let path = format!("/api/v1/quota-checks?semester_id={}&as_of=2026-11-20&school_id={}", w.semester, w.school_a);
    app.get(&w.tokens.admin_a, &path).await.expect(200);
    // Read again until the kept result is found: on PostgreSQL a kept check is keyed by a hash of
    // the snapshot, which a commit anywhere on the server changes (the other tests' meanwhile).
    for _ in 0..20 {
        app.get(&w.tokens.admin_a, &path).await.expect(200);
        if sample(&metrics_text(&app).await, "jiaoyan_quota_check_kept_results_total", &[("result", "hit")]) >= 1.0 {
            break;
        }
    }
    let token =
        client_token(&app, &w.tokens.district_admin, "县教师管理系统", &["roster.read", "roster.write"], None).await;
    let records: Vec<Value> = (0..3)
        .map(|i| json!({"sourced_id": format!("sch-{i}"), "name": format!("第{i}小学"), "tier": "county_direct"}))
        .collect();
    put(&app, &token, "/api/v1/sync/schools", json!({"records": records})).await.expect(200);
    let text = metrics_text(&app).await;
    assert!(sample(&text, "jiaoyan_quota_check_kept_results_total", &[("result", "miss")]) >= 1.0, "{text}");
    assert!(sample(&text, "jiaoyan_quota_check_kept_results_total", &[("result", "hit")]) >= 1.0, "{text}");
    assert!(sample(&text, "jiaoyan_quota_check_compute_seconds_count", &[("within", "school")]) >= 1.0, "{text}");
    assert_eq!(sample(&text, "jiaoyan_sync_batch_records_sum", &[("resource", "schools")]), 3.0, "{text}");
    assert_eq!(sample(&text, "jiaoyan_sync_batch_records_bucket", &[("resource", "schools"), ("le", "10")]), 1.0);
}

fn tight_logins(settings: &mut Settings) {
    settings.logins.per_account_per_minute = 3;
    settings.logins.lockout_threshold = 2;
}

/// Two failures lock the account (a lockout), the third attempt meets the lock, the fourth the
/// account's throttle: each is counted by why.
async fn metrics_count_lockouts_and_throttled_logins(app: TestApp) {
    let attempt = || {
        app.call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "ghost_user", "password": "Wrong-Pw-123!"})),
        )
    };
    assert_eq!(attempt().await.status, 401);
    assert_eq!(attempt().await.status, 401);
    let locked = attempt().await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.body["detail"].as_str().unwrap().contains("locked"), "{}", locked.body);
    let throttled = attempt().await;
    assert_eq!(throttled.status, 429);
    assert!(throttled.body["detail"].as_str().unwrap().contains("for this account"), "{}", throttled.body);
    let text = metrics_text(&app).await;
    assert_eq!(sample(&text, "jiaoyan_login_lockouts_total", &[]), 1.0, "{text}");
    assert_eq!(sample(&text, "jiaoyan_login_refusals_total", &[("reason", "locked")]), 1.0, "{text}");
    assert_eq!(sample(&text, "jiaoyan_login_refusals_total", &[("reason", "account_throttle")]), 1.0, "{text}");
    let login = [("route", "/api/v1/auth/login"), ("status", "429")];
    assert_eq!(sample(&text, "jiaoyan_http_requests_total", &login), 2.0, "{text}");
}

const METRICS_TOKEN: &str = "metrics-Xq81-scrape-token";

fn metrics_behind_a_token(settings: &mut Settings) {
    settings.metrics_token = Some(METRICS_TOKEN.into());
}

/// With a token set, the metrics need it (401 problem otherwise; an access token is not it).
async fn metrics_need_the_token_when_one_is_set(app: TestApp) {
    let root = app.root().await;
    for headers in
        [vec![], vec![("authorization", "Bearer wrong-token")], vec![("authorization", &*format!("Bearer {root}"))]]
    {
        let (status, response, body) = get_raw(&app, "/metrics", &headers).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(response["content-type"], "application/problem+json");
        assert!(body.contains("JIAOYAN_METRICS_TOKEN"), "{body}");
    }
    let bearer = format!("Bearer {METRICS_TOKEN}");
    let (status, _, body) = get_raw(&app, "/metrics", &[("authorization", &bearer)]).await;
    assert_eq!(status, 200);
    assert!(body.contains("jiaoyan_http_requests_total{"), "{body}");
}

fn metrics_for_another_network(settings: &mut Settings) {
    settings.metrics_allow = vec!["10.0.0.0/8".parse().unwrap()];
}

/// A client outside `JIAOYAN_METRICS_ALLOW` is refused (403 problem), whatever it carries.
async fn metrics_refuse_addresses_outside_the_allow_list(app: TestApp) {
    let (status, headers, body) = get_raw(&app, "/metrics", &[]).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    assert!(body.contains("JIAOYAN_METRICS_ALLOW") && !body.contains("jiaoyan_http"), "{body}");
}

fn with_a_front_end(settings: &mut Settings) {
    settings.cors_origins = vec!["https://front.example.edu.cn".into()];
}

/// A sane `X-Request-Id` comes back as sent; another, or none, is replaced by a new id, on every
/// answer (refusals and unknown paths too), and browsers may read it.
async fn request_ids_are_echoed_or_generated(app: TestApp) {
    let id_of = |headers: &reqwest::header::HeaderMap| headers["x-request-id"].to_str().unwrap().to_string();
    for path in ["/healthz", "/api/v1/me", "/no/such/path"] {
        let (_, headers, _) = get_raw(&app, path, &[("x-request-id", "trace-2026.11:abc_1")]).await;
        assert_eq!(id_of(&headers), "trace-2026.11:abc_1", "{path}");
    }
    let mut generated = Vec::new();
    for sent in [None, Some("has space"), Some("x\"y"), Some(&*"a".repeat(65))] {
        let headers: Vec<(&str, &str)> = sent.map(|s| ("x-request-id", s)).into_iter().collect();
        let (status, response, _) = get_raw(&app, "/api/v1/me", &headers).await;
        assert_eq!(status, 401);
        let id = id_of(&response);
        assert!(id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'), "{sent:?} gave {id}");
        generated.push(id);
    }
    generated.sort();
    generated.dedup();
    assert_eq!(generated.len(), 4, "each request its own id");
    let origin = [("origin", "https://front.example.edu.cn")];
    let (_, headers, _) = get_raw(&app, "/healthz", &origin).await;
    let exposed = headers["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(exposed.contains("x-request-id"), "{exposed}");
    // The audit trail keeps the caller's id with the request's writes.
    let w = World::build(&app).await;
    let path = format!("/api/v1/teachers/{}", w.teacher_a);
    let traced = [("x-request-id", "audit-trace-7")];
    let patched = app.call_with("PATCH", &path, Some(&w.tokens.admin_a), Some(json!({"name": "王莉"})), &traced).await;
    assert_eq!(patched.expect(200).header("x-request-id"), "audit-trace-7");
    let query = format!("/api/v1/audit?resource_type=teachers&resource_id={}", w.teacher_a);
    let entries = app.get(&w.tokens.admin_a, &query).await.expect(200).body["items"].clone();
    assert!(entries.as_array().unwrap().iter().any(|e| e["request_id"] == "audit-trace-7"), "{entries}");
}

on_both_backends!(
    healthz_answers_alive,
    readyz_is_ready_until_a_migration_is_missing,
    metrics_count_requests_by_route_template,
    metrics_show_quota_checks_and_sync_batches,
);

mod throttling {
    use super::*;
    on_both_backends!(configure = tight_logins; metrics_count_lockouts_and_throttled_logins);
}

mod token {
    use super::*;
    on_both_backends!(configure = metrics_behind_a_token; metrics_need_the_token_when_one_is_set);
}

mod allow_list {
    use super::*;
    on_both_backends!(configure = metrics_for_another_network; metrics_refuse_addresses_outside_the_allow_list);
}

mod request_ids {
    use super::*;
    on_both_backends!(configure = with_a_front_end; request_ids_are_echoed_or_generated);
}

/// PostgreSQL only: the service's database is dropped under it (its connections terminated), and
/// `/readyz` answers 503 naming the database while `/healthz` stays 200. SQLite has no such
/// failure to test: the file is opened by the process itself, and removing it leaves the open
/// connections reading the unlinked file; its 503 is the migrations' (above).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_answers_503_when_the_postgres_database_is_gone() {
    let app = TestApp::spawn(Backend::Postgres).await;
    app.call("GET", "/readyz", None, None).await.expect(200);
    let backend = app.db.get_database_backend();
    let row = app.db.query_one_raw(Statement::from_string(backend, "SELECT current_database()")).await.unwrap();
    let name: String = row.unwrap().try_get_by_index(0).unwrap();
    let admin_url =
        std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL answers");
    admin.execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    admin.close().await.unwrap();

    let deadline = Instant::now() + Duration::from_secs(30);
    let (status, headers, body) = loop {
        let answer = get_raw(&app, "/readyz", &[]).await;
        if answer.0 == 503 || Instant::now() > deadline {
            break answer;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["errors"][0]["field"], "database", "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("database"), "{problem}");
    assert_eq!(get_raw(&app, "/healthz", &[]).await.0, 200, "alive without its database");
}
