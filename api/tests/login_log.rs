//! The served binary's log of refused credentials: who, from where and why, on SQLite and on
//! PostgreSQL; never the password, client secret or refresh token that was tried.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database};

const PASSWORD_TRIED: &str = "Guess-Pw-7731-zz";
const SECRET_TRIED: &str = "Client-secret-9931";
const REFRESH_TRIED: &str = "feedface-refresh-0001";

/// Sends one request and answers its status.
fn post(port: u16, path: &str, content_type: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the service accepts");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {answer}"))
}

/// Serves `database_url`, refuses a login, a refresh and a client token, and answers the log.
fn log_of_refusals(database_url: &str) -> String {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
        .env("DATABASE_URL", database_url)
        .env("JIAOYAN_ADDR", format!("127.0.0.1:{port}"))
        .env("JIAOYAN_BOOTSTRAP_ADMIN", "admin:Admin-Vb5kJ9-tests")
        .env("JIAOYAN_JWT_SECRET", "a-test-secret-of-at-least-32-bytes!!")
        .env("JIAOYAN_LOG", "info")
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
    assert_eq!(post(port, "/api/v1/auth/login", json, &login("admin")), 401);
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
}

#[test]
fn refused_credentials_are_logged_without_secrets_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("jiaoyan-login-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = log_of_refusals(&format!("sqlite://{}/log.db?mode=rwc", dir.display()));
    std::fs::remove_dir_all(dir).unwrap();
    check(&log);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_are_logged_without_secrets_on_postgres() {
    let admin_url =
        std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("jiaoyan_login_log_{}", std::process::id());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL answers");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let log = tokio::task::spawn_blocking(move || std::panic::catch_unwind(|| log_of_refusals(&url))).await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    match log {
        Ok(log) => check(&log),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
