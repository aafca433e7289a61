//! Alerts to people (docs/ALERTS.md), against a local receiver on 127.0.0.1: each channel's body
//! (WeCom markdown, DingTalk's signed URL recomputed here, the webhook's HMAC verified here),
//! retries after a 500 and after a robot's non-zero errcode, a message dead after the last
//! attempt, the transactional event of a finding, the scheduler's deadlines and overdue
//! summaries (enqueued once however often it ticks), the weekly digest with the quota check's
//! numbers, and scope: every route of the area probed by the roles that may not use it.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use api::config::Settings;
use base64::Engine;
use chrono::{Datelike, NaiveDate};
use entities::enums::{ActivityStatus, OrganiserKind};
use hmac::{Hmac, Mac};
use jiaoyan_tests::fixtures::{activity_row, World};
use jiaoyan_tests::receiver::{Receiver, Reply};
use jiaoyan_tests::{json, on_both_backends, Clock, TestApp};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::Value;
use sha2::Sha256;

/// The routes this file's authorization matrix claims (`route_coverage`).
pub(crate) const AREAS: [&str; 1] = ["/api/v1/alert-subscriptions"];

const WAIT: Duration = Duration::from_secs(30);
const SECRET: &str = "a-webhook-secret-0123456789";

/// Delivery in milliseconds, three attempts, the test receiver allowed; no scheduler.
fn fast(settings: &mut Settings) {
    settings.alerts.allow_http_localhost = true;
    settings.alerts.poll_ms = 20;
    settings.alerts.backoff_base_ms = 20;
    settings.alerts.max_attempts = 3;
    settings.alerts.timeout_ms = 5000;
    settings.alerts.tick_ms = 0;
}

/// As [`fast`], on 2026-11-19 with the scheduler ticking every 30 ms.
fn ticking(settings: &mut Settings) {
    fast(settings);
    settings.clock = Some(Clock::Fixed(day()));
    settings.alerts.tick_ms = 30;
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()
}

fn ok_robot() -> Reply {
    Reply::Answer(200, r#"{"errcode":0,"errmsg":"ok"}"#.into())
}

async fn subscribe(app: &TestApp, token: &str, body: Value) -> i64 {
    app.post(token, "/api/v1/alert-subscriptions", body).await.expect(201).body["id"].as_i64().unwrap()
}

/// Polls the subscription's delivery log until `done` holds of it (at most [`WAIT`]).
async fn log_until(app: &TestApp, token: &str, id: i64, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let until = Instant::now() + WAIT;
    loop {
        let page = app.get(token, &format!("/api/v1/alert-subscriptions/{id}/deliveries")).await.expect(200);
        let items = page.body["items"].as_array().cloned().unwrap_or_default();
        if done(&items) {
            return items;
        }
        assert!(Instant::now() < until, "the delivery log never got there: {items:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn send_test(app: &TestApp, token: &str, id: i64) -> Value {
    app.call("POST", &format!("/api/v1/alert-subscriptions/{id}/test"), Some(token), None).await.expect(202).body
}

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// A generic webhook: signed JSON; a 500 is retried with the same idempotency key, then a 2xx
/// ends it; the log shows both attempts.
async fn webhook_bodies_are_signed_and_a_500_is_retried(app: TestApp) {
    let w = World::build(&app).await;
    let receiver = Receiver::start(Reply::Answer(204, String::new()));
    receiver.script([Reply::Answer(500, "boom".into())]);
    let id = subscribe(
        &app,
        &w.tokens.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "教导处",
        "channel": "webhook", "url": receiver.url("/hooks/jiaoyan"), "secret": SECRET, "events": ["team_notice"]}),
    )
    .await;
    let queued = send_test(&app, &w.tokens.admin_a, id).await;
    let got = receiver.wait_for(2, WAIT);
    let key = queued["idempotency_key"].as_str().unwrap();
    for request in &got {
        assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/hooks/jiaoyan"));
        assert_eq!(request.header("x-jiaoyan-delivery"), key);
        assert_eq!(request.header("idempotency-key"), key);
        assert_eq!(request.header("x-jiaoyan-signature"), format!("sha256={}", hmac_hex(SECRET, &request.body)));
        let body = request.json();
        assert_eq!(request.header("x-jiaoyan-timestamp"), body["sent_at"].to_string());
        assert_eq!((body["id"].as_str(), body["event"].as_str()), (Some(key), Some("test")));
    }
    let log = log_until(&app, &w.tokens.admin_a, id, |l| l.len() == 2).await;
    assert_eq!(
        (log[1]["attempt"].as_i64(), log[1]["outcome"].as_str(), log[1]["http_status"].as_i64()),
        (Some(1), Some("failed"), Some(500))
    );
    assert_eq!((log[0]["attempt"].as_i64(), log[0]["outcome"].as_str()), (Some(2), Some("delivered")));
    assert_eq!(log[0]["message_status"], "delivered");
    // The secret is write-only.
    let shown = app.get(&w.tokens.admin_a, &format!("/api/v1/alert-subscriptions/{id}")).await.expect(200).body;
    assert_eq!(shown["secret_set"], true);
    assert!(!shown.to_string().contains(SECRET));
}

/// A WeCom group robot gets the documented markdown message; its URL's key never comes back.
async fn wecom_robots_get_markdown_and_the_key_stays_hidden(app: TestApp) {
    let w = World::build(&app).await;
    let receiver = Receiver::start(ok_robot());
    let url = receiver.url("/cgi-bin/webhook/send?key=wecom-robot-key-42");
    let id = subscribe(
        &app,
        &w.tokens.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "企业微信群",
        "channel": "wecom", "url": url, "events": ["finding_to_correct"]}),
    )
    .await;
    let shown = app.get(&w.tokens.admin_a, &format!("/api/v1/alert-subscriptions/{id}")).await.expect(200).body;
    assert!(shown["url"].as_str().unwrap().ends_with("/cgi-bin/webhook/send?key=***"), "{shown}");
    let listed = app.get(&w.tokens.admin_a, "/api/v1/alert-subscriptions").await.expect(200).body;
    assert!(!listed.to_string().contains("wecom-robot-key-42"));
    send_test(&app, &w.tokens.admin_a, id).await;
    let got = receiver.wait_for(1, WAIT);
    assert_eq!(got[0].target, "/cgi-bin/webhook/send?key=wecom-robot-key-42");
    let body = got[0].json();
    assert_eq!(body["msgtype"], "markdown");
    let content = body["markdown"]["content"].as_str().unwrap();
    assert!(content.starts_with("**教研提醒测试消息"), "{content}");
    assert!(content.contains("企业微信群"), "{content}");
    log_until(&app, &w.tokens.admin_a, id, |l| l.first().is_some_and(|d| d["outcome"] == "delivered")).await;
    // Text messages on request.
    app.patch(&w.tokens.admin_a, &format!("/api/v1/alert-subscriptions/{id}"), json!({"message_type": "text"}))
        .await
        .expect(200);
    send_test(&app, &w.tokens.admin_a, id).await;
    let got = receiver.wait_for(2, WAIT);
    assert_eq!(got[1].json()["msgtype"], "text");
    assert!(got[1].json()["text"]["content"].as_str().unwrap().starts_with("教研提醒测试消息"));
}

/// A DingTalk robot with a secret: `timestamp` and `sign` in the URL as DingTalk documents
/// (recomputed here); a non-zero errcode with HTTP 200 is a failure, retried.
async fn dingtalk_messages_are_signed_and_an_errcode_is_a_failure(app: TestApp) {
    let w = World::build(&app).await;
    let receiver = Receiver::start(ok_robot());
    receiver.script([Reply::Answer(200, r#"{"errcode":310000,"errmsg":"sign not match"}"#.into())]);
    let secret = "SECd6c0f1f7a2b84e0c9e";
    let id = subscribe(
        &app,
        &w.tokens.district_admin,
        json!({"scope": "district", "name": "教研室钉钉群",
        "channel": "dingtalk", "url": receiver.url("/robot/send?access_token=ding-token"), "secret": secret,
        "events": ["at_risk_digest"]}),
    )
    .await;
    send_test(&app, &w.tokens.district_admin, id).await;
    let got = receiver.wait_for(2, WAIT);
    for request in &got {
        let query = request.query();
        assert_eq!(query[0], ("access_token".to_string(), "ding-token".to_string()));
        let timestamp = &query.iter().find(|(k, _)| k == "timestamp").unwrap().1;
        let sign = &query.iter().find(|(k, _)| k == "sign").unwrap().1;
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{timestamp}\n{secret}").as_bytes());
        assert_eq!(sign, &base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
        let body = request.json();
        assert_eq!(body["msgtype"], "markdown");
        assert!(body["markdown"]["title"].as_str().unwrap().starts_with("教研提醒测试消息"));
    }
    let log = log_until(&app, &w.tokens.district_admin, id, |l| l.len() == 2).await;
    assert!(log[1]["error"].as_str().unwrap().contains("310000"), "{log:?}");
    assert_eq!(log[0]["outcome"], "delivered");
}

/// A receiver that always fails: three attempts (the setting), then the message is dead and
/// never tried again.
async fn a_message_dies_after_the_last_attempt(app: TestApp) {
    let w = World::build(&app).await;
    let receiver = Receiver::start(Reply::Answer(503, "down".into()));
    let id = subscribe(
        &app,
        &w.tokens.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "坏的",
        "channel": "webhook", "url": receiver.url("/down"), "secret": SECRET, "events": ["team_notice"]}),
    )
    .await;
    send_test(&app, &w.tokens.admin_a, id).await;
    let log = log_until(&app, &w.tokens.admin_a, id, |l| l.first().is_some_and(|d| d["outcome"] == "dead")).await;
    let outcomes: Vec<&str> = log.iter().map(|d| d["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["dead", "failed", "failed"]);
    assert!(log.iter().all(|d| d["message_status"] == "dead" && d["http_status"] == 503));
    // A later message proves the worker went on; the dead one was not sent a fourth time.
    receiver.set_default(Reply::Answer(200, String::new()));
    send_test(&app, &w.tokens.admin_a, id).await;
    log_until(&app, &w.tokens.admin_a, id, |l| l.first().is_some_and(|d| d["outcome"] == "delivered")).await;
    assert_eq!(receiver.received().len(), 4);
}

/// A finding to correct reaches the school's and the teacher's group's subscriptions, in the
/// finding's transaction, and not another school's.
async fn a_finding_reaches_the_school_and_the_group_not_another_school(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let receiver = Receiver::start(ok_robot());
    let hook = |path: &str| receiver.url(&format!("/cgi-bin/webhook/send?key={path}"));
    let school = subscribe(
        &app,
        &t.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "甲校",
        "channel": "wecom", "url": hook("school"), "events": ["finding_to_correct"]}),
    )
    .await;
    let group = subscribe(
        &app,
        &t.admin_a,
        json!({"scope": "group", "group_id": w.group_a, "name": "语文组",
        "channel": "wecom", "url": hook("group"), "events": ["finding_to_correct"]}),
    )
    .await;
    subscribe(
        &app,
        &t.admin_b,
        json!({"scope": "school", "school_id": w.school_b, "name": "乙校",
        "channel": "wecom", "url": hook("other"), "events": ["finding_to_correct"]}),
    )
    .await;
    subscribe(
        &app,
        &t.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "只要周报",
        "channel": "wecom", "url": hook("digest-only"), "events": ["at_risk_digest"]}),
    )
    .await;
    let inspection = app
        .post(
            &t.admin_a,
            "/api/v1/inspections",
            json!({"school_id": w.school_a, "kind": "monthly", "inspected_on": "2026-11-19", "group_ids": [w.group_a]}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    app.post(
        &t.admin_a,
        &format!("/api/v1/inspections/{inspection}/findings"),
        json!({"teacher_id": w.teacher_a, "description": "教案缺少教学反思", "due_on": "2026-11-30"}),
    )
    .await
    .expect(201);
    for id in [school, group] {
        log_until(&app, &t.admin_a, id, |l| l.first().is_some_and(|d| d["outcome"] == "delivered")).await;
    }
    let got = receiver.received();
    let keys: BTreeSet<String> = got.iter().map(|r| r.query()[0].1.clone()).collect();
    assert_eq!(keys, BTreeSet::from(["group".to_string(), "school".to_string()]));
    let content = got[0].json()["markdown"]["content"].as_str().unwrap().to_string();
    assert!(content.contains("教案缺少教学反思") && content.contains("2026-11-30"), "{content}");
}

/// The scheduler: an activity summary due in two days and one three days overdue become one
/// "deadlines coming" and one "overdue" message for the school, each enqueued once however
/// many ticks run (every 30 ms: the overdue one, which appears later, proves later ticks ran).
async fn the_scheduler_enqueues_deadlines_and_overdue_summaries_once(app: TestApp) {
    let w = World::build(&app).await;
    let receiver = Receiver::start(Reply::Answer(200, String::new()));
    let school_activity = |title: &str, due: NaiveDate| activity::ActiveModel {
        school_id: Set(Some(w.school_a)),
        organiser_kind: Set(OrganiserKind::School),
        status: Set(ActivityStatus::Held),
        title: Set(title.into()),
        date: Set(Some(due - chrono::Duration::days(2))),
        summary_due_on: Set(Some(due)),
        ..activity_row(w.district, w.semester)
    };
    school_activity("《秋天的雨》课例研讨", day() + chrono::Duration::days(2)).insert(&app.db).await.unwrap();
    let id = subscribe(
        &app,
        &w.tokens.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "教导处",
        "channel": "webhook", "url": receiver.url("/tick"), "secret": SECRET,
        "events": ["deadlines_coming", "summary_overdue"]}),
    )
    .await;
    let first = receiver.wait_for(1, WAIT);
    let body = first[0].json();
    assert_eq!(body["event"], "deadlines_coming");
    assert!(
        body["text"].as_str().unwrap().contains("2026-11-21")
            && body["text"].as_str().unwrap().contains("《秋天的雨》课例研讨"),
        "{body}"
    );
    assert_eq!(body["id"], format!("deadlines_coming:2026-11-19/sub:{id}"));
    // The overdue summary appears later the same day: the next ticks send it, not the deadlines again.
    school_activity("十一月集体备课", day() - chrono::Duration::days(3)).insert(&app.db).await.unwrap();
    let got = receiver.wait_for(2, WAIT);
    let second = got[1].json();
    assert_eq!(second["event"], "summary_overdue");
    assert!(second["text"].as_str().unwrap().contains("十一月集体备课"), "{second}");
    log_until(&app, &w.tokens.admin_a, id, |l| l.len() == 2 && l.iter().all(|d| d["outcome"] == "delivered")).await;
    let events: Vec<String> =
        receiver.received().iter().map(|r| r.json()["event"].as_str().unwrap().to_string()).collect();
    assert_eq!(events, ["deadlines_coming", "summary_overdue"], "each enqueued once");
    assert_eq!(day().iso_week().week(), 47);
}

use entities::activity;

/// Every route of the area, by the roles that may not use it on school A's subscription: another
/// school's administrator, another district's (404; naming school A in a new subscription is a
/// reference to nothing, 422), a teacher and a group leader of the school (403); plus the URL and
/// secret checks.
async fn scope_and_validation(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let receiver = Receiver::start(Reply::Answer(200, String::new()));
    let id = subscribe(
        &app,
        &t.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "甲校",
        "channel": "webhook", "url": receiver.url("/a"), "secret": SECRET, "events": ["team_notice"]}),
    )
    .await;
    let item = format!("/api/v1/alert-subscriptions/{id}");
    let probes: Vec<(&str, &str, String, Option<Value>)> = vec![
        ("GET", "/api/v1/alert-subscriptions/{id}", item.clone(), None),
        ("PATCH", "/api/v1/alert-subscriptions/{id}", item.clone(), Some(json!({"active": false}))),
        ("DELETE", "/api/v1/alert-subscriptions/{id}", item.clone(), None),
        ("GET", "/api/v1/alert-subscriptions/{id}/deliveries", format!("{item}/deliveries"), None),
        ("POST", "/api/v1/alert-subscriptions/{id}/test", format!("{item}/test"), None),
    ];
    for (who, token, status) in [
        ("admin_b", &t.admin_b, 404),
        ("other district", &t.other_district_admin, 404),
        ("teacher_a", &t.teacher_a, 403),
        ("leader_a", &t.leader_a, 403),
    ] {
        for (method, _, path, body) in &probes {
            let resp = app.call(method, path, Some(token), body.clone()).await;
            assert_eq!(resp.status, status, "{who} {method} {path}: {}", resp.body);
            assert_eq!(resp.content_type(), "application/problem+json");
        }
        let listed = app.call("GET", "/api/v1/alert-subscriptions", Some(token), None).await;
        assert!(listed.status == 403 || !listed.ids().contains(&id), "{who} lists A's subscription");
        let create = json!({"scope": "school", "school_id": w.school_a, "name": "x", "channel": "webhook",
            "url": receiver.url("/x"), "secret": SECRET, "events": ["team_notice"]});
        let resp = app.post(token, "/api/v1/alert-subscriptions", create).await;
        // A school out of sight is a reference to nothing in the body: 422 on `school_id`.
        if status == 404 {
            assert_eq!(resp.status, 422, "{who} subscribes school A: {}", resp.body);
            assert_eq!(resp.error_fields(), ["school_id"]);
        } else {
            assert_eq!(resp.status, status, "{who} subscribes school A: {}", resp.body);
        }
    }
    // A school's administrator manages neither the district's subscriptions nor another group's.
    let district = json!({"scope": "district", "name": "县", "channel": "webhook", "url": receiver.url("/d"),
        "secret": SECRET, "events": ["team_notice"]});
    app.post(&t.admin_a, "/api/v1/alert-subscriptions", district.clone()).await.expect(403);
    let mut elsewhere = district.clone();
    elsewhere["district_id"] = json!(w.district);
    let resp = app.post(&t.other_district_admin, "/api/v1/alert-subscriptions", elsewhere).await.expect(422);
    assert_eq!(resp.error_fields(), ["district_id"]);
    let other_group = json!({"scope": "group", "group_id": w.group_b, "name": "乙组", "channel": "webhook",
        "url": receiver.url("/g"), "secret": SECRET, "events": ["team_notice"]});
    let resp = app.post(&t.admin_a, "/api/v1/alert-subscriptions", other_group).await.expect(422);
    assert_eq!(resp.error_fields(), ["group_id"]);
    let district_id = subscribe(&app, &t.district_admin, district).await;
    assert!(app.get(&t.district_admin, "/api/v1/alert-subscriptions").await.expect(200).ids().contains(&id));
    assert!(!app.get(&t.admin_a, "/api/v1/alert-subscriptions").await.expect(200).ids().contains(&district_id));
    app.get(&t.admin_a, &format!("/api/v1/alert-subscriptions/{district_id}")).await.expect(403);
    // URLs: HTTPS to a public host, the robots at their vendor's address; webhooks need a secret.
    let base = json!({"scope": "school", "school_id": w.school_a, "name": "x", "events": ["team_notice"]});
    for (channel, url, secret, field) in [
        ("webhook", "http://hooks.example.com/x", Some(SECRET), "url"),
        ("webhook", "https://10.1.2.3/x", Some(SECRET), "url"),
        ("webhook", "https://169.254.169.254/latest/meta-data", Some(SECRET), "url"),
        ("webhook", "https://localhost/x", Some(SECRET), "url"),
        ("webhook", "http://127.0.0.2:8080/x", Some(SECRET), "url"),
        ("webhook", "https://hooks.example.com/x", None, "secret"),
        ("webhook", "https://hooks.example.com/x", Some("short"), "secret"),
        ("wecom", "https://hooks.example.com/cgi-bin/webhook/send?key=k", None, "url"),
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", Some("x"), "secret"),
        ("dingtalk", "https://oapi.dingtalk.com/robot/send", None, "url"),
    ] {
        let mut body = base.clone();
        body["channel"] = json!(channel);
        body["url"] = json!(url);
        if let Some(secret) = secret {
            body["secret"] = json!(secret);
        }
        let resp = app.post(&t.admin_a, "/api/v1/alert-subscriptions", body).await.expect(422);
        assert_eq!(resp.error_fields(), [field], "{channel} {url}: {}", resp.body);
    }
    let mut body = base.clone();
    body["channel"] = json!("wecom");
    body["url"] = json!("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k");
    body["events"] = json!([]);
    assert_eq!(app.post(&t.admin_a, "/api/v1/alert-subscriptions", body).await.expect(422).error_fields(), ["events"]);
    // Removed: gone for everyone, and nothing more is sent to it.
    app.delete(&t.admin_a, &item).await.expect(204);
    app.get(&t.admin_a, &item).await.expect(404);

    // Every route of the area is probed here.
    let spec: Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    let covered: BTreeSet<&str> = probes.iter().map(|p| p.1).chain(["/api/v1/alert-subscriptions"]).collect();
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
    configure = fast;
    webhook_bodies_are_signed_and_a_500_is_retried,
    wecom_robots_get_markdown_and_the_key_stays_hidden,
    dingtalk_messages_are_signed_and_an_errcode_is_a_failure,
    a_message_dies_after_the_last_attempt,
    a_finding_reaches_the_school_and_the_group_not_another_school,
    scope_and_validation,
);

mod ticking {
    use super::*;
    on_both_backends!(configure = ticking; the_scheduler_enqueues_deadlines_and_overdue_summaries_once);
}

/// The demo district on its date (2026-11-20), the scheduler ticking.
fn demo_day(settings: &mut Settings) {
    fast(settings);
    settings.clock = Some(Clock::Fixed(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()));
    settings.alerts.tick_ms = 30;
}

/// The weekly digest of the flagship school: the quota check's own numbers (its counts by
/// status, and every short or at-risk result with its actual and required values).
async fn the_weekly_digest_has_the_checks_numbers(app: TestApp) {
    let demo = app.demo.clone().unwrap();
    let school = demo.district.flagship();
    let token = app.login("dahean-admin", jiaoyan_tests::DEMO_PASSWORD).await;
    let receiver = Receiver::start(ok_robot());
    let id = subscribe(
        &app,
        &token,
        json!({"scope": "school", "school_id": school.id, "name": "大河岸教导处",
        "channel": "wecom", "url": receiver.url("/cgi-bin/webhook/send?key=k"), "events": ["at_risk_digest"]}),
    )
    .await;
    let got = receiver.wait_for(1, WAIT);
    let content = got[0].json()["markdown"]["content"].as_str().unwrap().to_string();
    let check = app
        .get(&token, &format!("/api/v1/quota-checks?school_id={}&as_of=2026-11-20&limit=500", school.id))
        .await
        .expect(200)
        .body;
    let (short, at_risk) = (check["summary"]["short"].as_u64().unwrap(), check["summary"]["at_risk"].as_u64().unwrap());
    assert!(short + at_risk > 0, "the demo has teachers behind: {}", check["summary"]);
    assert!(content.contains(&format!("未达标 (short) **{short}** · 有风险 (at risk) **{at_risk}**")), "{content}");
    let behind: Vec<&Value> = check["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "short" || i["status"] == "at_risk")
        .collect();
    // Every result listed (up to the message's 40 lines) is one the check reports, with its numbers.
    let listed: Vec<&str> = content.lines().filter(|l| l.starts_with("- ") && !l.contains("……")).collect();
    assert_eq!(listed.len(), behind.len().min(40), "{content}");
    for line in listed {
        assert!(
            behind.iter().any(|i| {
                let numbers = format!("{} / {}", number(&i["actual"]), number(&i["required"]));
                line.contains(i["subject"]["name"].as_str().unwrap())
                    && line.contains(i["rule"]["name"].as_str().unwrap())
                    && line.contains(&numbers)
            }),
            "{line} is not a result of the check"
        );
    }
    let log = log_until(&app, &token, id, |l| l.first().is_some_and(|d| d["outcome"] == "delivered")).await;
    assert_eq!(log[0]["idempotency_key"], format!("at_risk_digest:2026-W47/sub:{id}"));
}

fn number(value: &Value) -> String {
    let v = value.as_f64().unwrap();
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

mod digest {
    use super::*;

    async fn spawn_demo_ticking(backend: jiaoyan_tests::Backend) -> TestApp {
        TestApp::spawn_demo_with(backend, demo_day).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_the_weekly_digest_has_the_checks_numbers() {
        the_weekly_digest_has_the_checks_numbers(spawn_demo_ticking(jiaoyan_tests::Backend::Sqlite).await).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_the_weekly_digest_has_the_checks_numbers() {
        the_weekly_digest_has_the_checks_numbers(spawn_demo_ticking(jiaoyan_tests::Backend::Postgres).await).await
    }
}

/// Mid-semester (the district team fixtures' date), delivery in milliseconds.
fn team_day(settings: &mut Settings) {
    fast(settings);
    settings.clock = Some(Clock::Fixed(jiaoyan_tests::fixtures::date(2026, 12, 10)));
}

/// The district team's notice (a member confirmed out) reaches the member's school's
/// subscription, written in the removal's transaction; the other school's hears nothing.
async fn the_team_notice_reaches_the_members_school(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let team = crate::district_teams::team(&app, &w).await;
    let receiver = Receiver::start(Reply::Answer(200, String::new()));
    let school_a = subscribe(
        &app,
        &t.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "甲校",
        "channel": "webhook", "url": receiver.url("/a"), "secret": SECRET, "events": ["team_notice"]}),
    )
    .await;
    let school_b = subscribe(
        &app,
        &t.admin_b,
        json!({"scope": "school", "school_id": w.school_b, "name": "乙校",
        "channel": "webhook", "url": receiver.url("/b"), "secret": SECRET, "events": ["team_notice"]}),
    )
    .await;
    let confirm = json!({"membership_id": team.wang, "semester_id": w.semester, "note": "经核实"});
    app.post(&t.district_admin, "/api/v1/team-removals", confirm).await.expect(201);
    let notice = app.get(&t.admin_a, "/api/v1/notices").await.expect(200).body["items"][0].clone();
    let got = receiver.wait_for(1, WAIT);
    assert_eq!(got[0].target, "/a");
    let body = got[0].json();
    assert_eq!(body["event"], "team_notice");
    assert_eq!(body["title"], notice["title"]);
    assert_eq!(body["text"], notice["body"]);
    assert_eq!(body["data"]["notice_id"], notice["id"]);
    assert_eq!(body["id"], format!("notice:{}/sub:{school_a}", notice["id"]));
    // School B's only message is the test sent now.
    send_test(&app, &t.admin_b, school_b).await;
    let log = log_until(&app, &t.admin_b, school_b, |l| l.first().is_some_and(|d| d["outcome"] == "delivered")).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["event"], "test");
}

mod team_notice {
    use super::*;
    on_both_backends!(configure = team_day; the_team_notice_reaches_the_members_school);
}

/// Workers claiming side by side (the service's own and two more on the same database, as
/// replicas would) never take the same message: 24 messages, 24 requests, each key once.
async fn workers_side_by_side_deliver_each_message_once(app: TestApp) {
    use api::alerts::outbox::{enqueue, Event};
    use api::alerts::rules::EventKind;
    let w = World::build(&app).await;
    let receiver = Receiver::start(Reply::Answer(200, String::new()));
    let id = subscribe(
        &app,
        &w.tokens.admin_a,
        json!({"scope": "school", "school_id": w.school_a, "name": "甲校",
        "channel": "webhook", "url": receiver.url("/many"), "secret": SECRET, "events": ["team_notice"]}),
    )
    .await;
    let mut settings = Settings::for_database("unused");
    fast(&mut settings);
    let others: Vec<_> = (0..2).map(|_| api::alerts::worker::Deliverer::new(&settings.alerts).unwrap()).collect();
    for n in 0..24 {
        let event = Event {
            kind: EventKind::TeamNotice,
            key: format!("many:{n}"),
            district_id: w.district,
            school_id: Some(w.school_a),
            teacher_id: None,
            title: format!("第{n}条"),
            body: String::new(),
            data: json!({}),
        };
        enqueue(&app.db, id, &event).await.unwrap();
    }
    let until = Instant::now() + WAIT;
    while receiver.received().len() < 24 {
        assert!(Instant::now() < until, "not all delivered");
        let run = api::alerts::worker::run_once;
        let (a, b) = tokio::join!(run(&app.db, &others[0]), run(&app.db, &others[1]));
        if a.unwrap() + b.unwrap() == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    log_until(&app, &w.tokens.admin_a, id, |l| l.len() == 24).await;
    let keys: BTreeSet<String> = receiver.received().iter().map(|r| r.header("idempotency-key")).collect();
    assert_eq!((keys.len(), receiver.received().len()), (24, 24));
}

mod side_by_side {
    use super::*;
    on_both_backends!(configure = fast; workers_side_by_side_deliver_each_message_once);
}
