//! What the tests that run the real `jiaoyan` binary share (`durability.rs`, `alert_restart.rs`,
//! `shutdown.rs`):
//! start it on a database with a known administrator, speak raw HTTP/1.1 to it, log in.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

pub const ADMIN_PASSWORD: &str = "Admin-Vb5kJ9-tests";

/// One request on a fresh connection: the status and body, or `None` when the service is gone.
pub fn request(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    read_answer(&mut stream)
}

/// The status and body of the answer on `stream`, read to its end; `None` when there is none.
pub fn read_answer(stream: &mut TcpStream) -> Option<(u16, String)> {
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

/// Starts the binary on `database_url` (with the settings `env` adds) and waits until it listens;
/// the service's log lines that follow "listening on" come through the receiver.
pub fn start(database_url: &str, env: &[(&str, &str)]) -> (Child, u16, Receiver<String>) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
        .env("DATABASE_URL", database_url)
        .env("JIAOYAN_ADDR", format!("127.0.0.1:{port}"))
        .env("JIAOYAN_BOOTSTRAP_ADMIN", format!("admin:{ADMIN_PASSWORD}"))
        .env("JIAOYAN_JWT_SECRET", "a-test-secret-of-at-least-32-bytes!!")
        .env("JIAOYAN_LOG", "info")
        .envs(env.iter().copied())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    loop {
        let line = received.recv_timeout(Duration::from_secs(60)).expect("the service says it listens");
        if line.contains("listening on") {
            break;
        }
    }
    (child, port, received)
}

/// The administrator's access token.
pub fn login(port: u16) -> String {
    let body = format!(r#"{{"username": "admin", "password": "{ADMIN_PASSWORD}"}}"#);
    let (status, body) = request(port, "POST", "/api/v1/auth/login", None, &body).expect("the service answers");
    assert_eq!(status, 200, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    body["access_token"].as_str().unwrap().to_string()
}
