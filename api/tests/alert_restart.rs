//! No alert is lost across a crash (docs/ALERTS.md, "Delivery guarantees"): the real binary
//! delivers to a local receiver (127.0.0.1 only) that holds the request without answering; the
//! service is killed (SIGKILL) while that delivery is in flight and started again on the same
//! database, and the message is delivered with the same idempotency key; once a receiver has
//! answered 2xx the message is never sent again, across a further restart. On SQLite and on
//! PostgreSQL (`JIAOYAN_TEST_PG_URL`).

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Child;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use support::{login, request, start};

const WAIT: Duration = Duration::from_secs(60);

fn call(port: u16, method: &str, path: &str, token: &str, body: &str, expected: u16) -> serde_json::Value {
    let (status, answer) = request(port, method, path, Some(token), body).expect("the service answers");
    assert_eq!(status, expected, "{method} {path}: {answer}");
    serde_json::from_str(&answer).unwrap_or(serde_json::Value::Null)
}

/// The receiver: records the `X-Jiaoyan-Delivery` of every request; holds each one unanswered
/// while `hold` is set.
#[derive(Default)]
struct Inbox {
    keys: Vec<String>,
    hold: bool,
}

fn receiver(hold: bool) -> (u16, Arc<(Mutex<Inbox>, Condvar)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new((Mutex::new(Inbox { keys: Vec::new(), hold }), Condvar::new()));
    let shared = inbox.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let (mut key, mut length) = (String::new(), 0usize);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("x-jiaoyan-delivery:") {
                        key = line[line.len() - v.len()..].trim().to_string();
                    }
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let (lock, changed) = &*shared;
                let mut inbox = lock.lock().unwrap();
                inbox.keys.push(key);
                changed.notify_all();
                while inbox.hold {
                    inbox = changed.wait(inbox).unwrap();
                }
                drop(inbox);
                let mut stream = stream;
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            });
        }
    });
    (port, inbox)
}

fn wait_for_keys(inbox: &Arc<(Mutex<Inbox>, Condvar)>, n: usize) -> Vec<String> {
    let until = Instant::now() + WAIT;
    let (lock, changed) = &**inbox;
    let mut inner = lock.lock().unwrap();
    while inner.keys.len() < n {
        let left = until.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "{} deliveries received, {n} expected: {:?}", inner.keys.len(), inner.keys);
        inner = changed.wait_timeout(inner, left).unwrap().0;
    }
    inner.keys.clone()
}

/// Starts the binary on `database_url` and waits until it listens.
/// The alert settings of these tests: local receivers, a quick worker, no scheduler.
const ALERTS: [(&str, &str); 5] = [
    ("JIAOYAN_ALERTS_ALLOW_HTTP_LOCALHOST", "true"),
    ("JIAOYAN_ALERTS_POLL_MS", "20"),
    ("JIAOYAN_ALERTS_BACKOFF_BASE_MS", "50"),
    ("JIAOYAN_ALERTS_TIMEOUT_MS", "4000"),
    ("JIAOYAN_ALERTS_TICK_MS", "0"),
];

fn kill(mut child: Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

fn send_test(port: u16, token: &str, subscription: i64) -> String {
    let queued = call(port, "POST", &format!("/api/v1/alert-subscriptions/{subscription}/test"), token, "", 202);
    queued["idempotency_key"].as_str().unwrap().to_string()
}

/// Waits until the delivery log's newest entry says the message of `key` was delivered.
fn delivered(port: u16, token: &str, subscription: i64, key: &str) {
    let until = Instant::now() + WAIT;
    loop {
        let log = call(port, "GET", &format!("/api/v1/alert-subscriptions/{subscription}/deliveries"), token, "", 200);
        if log["items"][0]["outcome"] == "delivered" && log["items"][0]["idempotency_key"] == key {
            return;
        }
        assert!(Instant::now() < until, "never delivered: {log}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn a_delivery_in_flight_survives_a_kill(database_url: &str) {
    let (receiver_port, inbox) = receiver(true);
    let (child, port, _log) = start(database_url, &ALERTS);
    let token = login(port);
    let district =
        call(port, "POST", "/api/v1/districts", &token, r#"{"name": "重启县"}"#, 201)["id"].as_i64().unwrap();
    let body = format!(
        r#"{{"scope": "district", "district_id": {district}, "name": "教研室", "channel": "webhook",
             "url": "http://127.0.0.1:{receiver_port}/hook", "secret": "restart-test-secret-0123", "events": ["team_notice"]}}"#
    );
    let subscription = call(port, "POST", "/api/v1/alert-subscriptions", &token, &body, 201)["id"].as_i64().unwrap();
    let first = send_test(port, &token, subscription);
    // The receiver holds the request: the delivery is in flight when the process dies.
    assert_eq!(wait_for_keys(&inbox, 1), std::slice::from_ref(&first));
    kill(child);
    {
        let (lock, changed) = &*inbox;
        lock.lock().unwrap().hold = false;
        changed.notify_all();
    }

    let (child, port, _log) = start(database_url, &ALERTS);
    let token = login(port);
    assert_eq!(wait_for_keys(&inbox, 2), [first.clone(), first.clone()], "sent again, with the same key");
    delivered(port, &token, subscription, &first);
    // A later message goes out; the delivered one is not sent again, before or after a restart.
    let second = send_test(port, &token, subscription);
    wait_for_keys(&inbox, 3);
    kill(child);
    let (child, port, _log) = start(database_url, &ALERTS);
    let token = login(port);
    let third = send_test(port, &token, subscription);
    let keys = wait_for_keys(&inbox, 4);
    assert_eq!(keys, [first.clone(), first, second, third.clone()]);
    delivered(port, &token, subscription, &third);
    kill(child);
}

#[test]
fn an_alert_in_flight_survives_a_kill_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("jiaoyan-alert-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    a_delivery_in_flight_survives_a_kill(&format!("sqlite://{}/alerts.db?mode=rwc", dir.display()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_in_flight_survives_a_kill_on_postgres() {
    use sea_orm::ConnectionTrait;
    let admin_url =
        std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("jiaoyan_alert_restart_{}", std::process::id());
    let admin = sea_orm::Database::connect(&admin_url).await.expect("PostgreSQL answers at JIAOYAN_TEST_PG_URL");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    let url = format!("{base}/{name}");
    tokio::task::spawn_blocking(move || a_delivery_in_flight_survives_a_kill(&url)).await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
}
