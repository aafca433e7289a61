//! The served binary's log of refused credentials: who, from where and why, on SQLite and on
//! PostgreSQL; never the password, client secret or refresh token that was tried. Each request's
//! line carries its method, route template, status, latency and request id, as text and as JSON
//! lines (`JIAOYAN_LOG_FORMAT=json`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database};

const PASSWORD_TRIED: &str = "Guess-Pw-7731-zz";
const SECRET_TRIED: &str = "Client-secret-9931";
const REFRESH_TRIED: &str = "feedface-refresh-0001";
/// The `X-Request-Id` of the first login.
const REQUEST_ID: &str = "log-trace-0001";

/// Sends one request and answers its status.
fn post(port: u16, path: &str, content_type: &str, body: &str) -> u16 {
    post_with_id(port, path, content_type, body, None)
}

fn post_with_id(port: u16, path: &str, content_type: &str, body: &str, request_id: Option<&str>) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the service accepts");
    let id = request_id.map(|id| format!("X-Request-Id: {id}\r\n")).unwrap_or_default();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{id}Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {answer}"))
}

/// Serves `database_url` logging in `format` (`text`, `json`), refuses a login, a refresh and a
/// client token, and answers the log.
fn log_of_refusals(database_url: &str, format: &str) -> String {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
        .env("DATABASE_URL", database_url)
        .env("JIAOYAN_ADDR", format!("127.0.0.1:{port}"))
        .env("JIAOYAN_BOOTSTRAP_ADMIN", "admin:Admin-Vb5kJ9-tests")
        .env("JIAOYAN_JWT_SECRET", "a-test-secret-of-at-least-32-bytes!!")
        .env("JIAOYAN_LOG", "info")
        .env("JIAOYAN_LOG_FORMAT", format)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let (lines, received) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut log = Vec::new();
    loop {
        let line = received.recv_timeout(Duration::from_secs(60)).expect("the service says it listens");
        let listening = line.contains("listening on");
        log.push(line);
        if listening {
            break;
        }
    }
    let json = "application/json";
    let login = |name: &str| format!(r#"{{"username": "{name}", "password": "{PASSWORD_TRIED}"}}"#);
    assert_eq!(post_with_id(port, "/api/v1/auth/login", json, &login("admin"), Some(REQUEST_ID)), 401);
    // A control character in a name is refused before any credential work (input hygiene) ...
    assert_eq!(post(port, "/api/v1/auth/login", json, &login("nobody\\u001b[31m")), 422);
    // ... and a quote is escaped in the log line.
    assert_eq!(post(port, "/api/v1/auth/login", json, &login(r#"nobody\" forged=\"x"#)), 401);
    let refresh = format!(r#"{{"refresh_token": "{REFRESH_TRIED}"}}"#);
    assert_eq!(post(port, "/api/v1/auth/refresh", json, &refresh), 401);
    let form = format!("grant_type=client_credentials&client_id=jyc_nobody&client_secret={SECRET_TRIED}");
    assert_eq!(post(port, "/api/v1/oauth/token", "application/x-www-form-urlencoded", &form), 401);
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap();
    log.extend(received.try_iter());
    log.join("\n")
}

fn check(log: &str) {
    for secret in [PASSWORD_TRIED, SECRET_TRIED, REFRESH_TRIED] {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
    let refused = |what: &str, reason: &str| log.lines().any(|l| l.contains(what) && l.contains(reason));
    assert!(refused("login refused", "wrong password") && log.contains("\"admin\""), "{log}");
    assert!(refused("login refused", "unknown username"), "{log}");
    // A quote in the name is escaped, so it cannot forge a field of the line.
    assert!(log.contains(r#""nobody\" forged=\"x""#), "{log}");
    assert!(!log.contains("nobody\u{1b}"), "{log}");
    assert!(refused("refresh refused", "unknown refresh token"), "{log}");
    assert!(refused("client token refused", "jyc_nobody"), "{log}");
    assert!(log.lines().filter(|l| l.contains(" refused")).all(|l| l.contains("127.0.0.1")), "{log}");
    // The request's line: method, route template, status, latency and the caller's request id.
    let request = log.lines().find(|l| l.contains("request refused") && l.contains(REQUEST_ID)).expect("the line");
    for field in ["http.method=POST", "http.route=/api/v1/auth/login", "status=401", "latency_ms=", "request_id="] {
        assert!(request.contains(field), "{field} is not in {request}");
    }
}

fn check_json(log: &str) {
    for secret in [PASSWORD_TRIED, SECRET_TRIED, REFRESH_TRIED] {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
    let lines: Vec<serde_json::Value> =
        log.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"))).collect();
    let request = lines
        .iter()
        .find(|l| l["message"] == "request refused" && l["span"]["request_id"] == REQUEST_ID)
        .unwrap_or_else(|| panic!("no request line with the request id:\n{log}"));
    assert_eq!(request["span"]["http.method"], "POST", "{request}");
    assert_eq!(request["span"]["http.route"], "/api/v1/auth/login", "{request}");
    assert_eq!(request["status"], 401, "{request}");
    assert!(request["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{request}");
    assert_eq!(request["level"], "WARN");
    let refused =
        |message: &str, reason: &str| lines.iter().any(|l| l["message"] == message && l.to_string().contains(reason));
    assert!(refused("login refused", "wrong password") && refused("login refused", "unknown username"), "{log}");
    assert!(refused("refresh refused", "unknown refresh token") && refused("client token refused", "jyc_nobody"));
    // A quote in the name stays inside its field.
    assert!(lines.iter().any(|l| l["username"] == r#""nobody\" forged=\"x""#), "{log}");
    assert!(lines.iter().all(|l| l.get("forged").is_none()), "{log}");
    // Every other request's line has its own generated id.
    let ids: Vec<&str> = lines
        .iter()
        .filter(|l| l["message"] == "request refused")
        .filter_map(|l| l["span"]["request_id"].as_str())
        .collect();
    assert_eq!(ids.len(), 5, "{log}");
    assert!(ids.iter().skip(1).all(|id| id.len() == 36 && *id != REQUEST_ID), "{ids:?}");
}

fn on_sqlite(format: &str) -> String {
    let dir = std::env::temp_dir().join(format!("jiaoyan-login-log-{format}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = log_of_refusals(&format!("sqlite://{}/log.db?mode=rwc", dir.display()), format);
    std::fs::remove_dir_all(dir).unwrap();
    log
}

#[test]
fn refused_credentials_are_logged_without_secrets_on_sqlite() {
    check(&on_sqlite("text"));
}

#[test]
fn json_log_lines_carry_the_request_fields_without_secrets_on_sqlite() {
    check_json(&on_sqlite("json"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_are_logged_without_secrets_on_postgres() {
    check(&on_postgres("text").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_log_lines_carry_the_request_fields_without_secrets_on_postgres() {
    check_json(&on_postgres("json").await);
}

async fn on_postgres(format: &'static str) -> String {
    let admin_url =
        std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("jiaoyan_login_log_{format}_{}", std::process::id());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL answers");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let log =
        tokio::task::spawn_blocking(move || std::panic::catch_unwind(|| log_of_refusals(&url, format))).await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    match log {
        Ok(log) => log,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
