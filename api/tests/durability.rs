//! An acknowledged write survives a kill of the process (SQLite, `synchronous=NORMAL` in WAL):
//! the real binary serves a SQLite file, many clients write at once, the process is killed
//! (SIGKILL) while they are still writing, and a new process on the same file has every write
//! that was answered with a 2xx.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const ADMIN_PASSWORD: &str = "Admin-Vb5kJ9-tests";
const WRITERS: usize = 16;
/// Writes acknowledged before the kill.
const ACKNOWLEDGED_BEFORE_KILL: usize = 400;

/// One request on a fresh connection: the status and body, or `None` when the service is gone.
fn request(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

/// Starts the binary on `database_url` and waits until it listens.
fn start(database_url: &str) -> (Child, u16) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaoyan"))
        .env("DATABASE_URL", database_url)
        .env("JIAOYAN_ADDR", format!("127.0.0.1:{port}"))
        .env("JIAOYAN_BOOTSTRAP_ADMIN", format!("admin:{ADMIN_PASSWORD}"))
        .env("JIAOYAN_JWT_SECRET", "a-test-secret-of-at-least-32-bytes!!")
        .env("JIAOYAN_LOG", "info")
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
    (child, port)
}

fn login(port: u16) -> String {
    let body = format!(r#"{{"username": "admin", "password": "{ADMIN_PASSWORD}"}}"#);
    let (status, body) = request(port, "POST", "/api/v1/auth/login", None, &body).expect("the service answers");
    assert_eq!(status, 200, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

#[test]
fn every_acknowledged_write_survives_a_kill_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("jiaoyan-durability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/durability.db?mode=rwc", dir.display());

    let (mut child, port) = start(&url);
    let token = login(port);
    // Each writer creates districts one after the other until the service is gone, and reports
    // every one acknowledged (201) with its id.
    let (acks, acknowledged) = mpsc::channel::<(i64, String)>();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (acks, token) = (acks.clone(), token.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    let name = format!("县{w}-{i}");
                    let body = format!(r#"{{"name": "{name}"}}"#);
                    let Some((status, body)) = request(port, "POST", "/api/v1/districts", Some(&token), &body) else {
                        return;
                    };
                    if status == 201 {
                        let id = serde_json::from_str::<serde_json::Value>(&body).ok().and_then(|b| b["id"].as_i64());
                        let _ = acks.send((id.expect("a created district has an id"), name));
                    } else {
                        assert!(status < 500, "a write failed with {status}: {body}");
                    }
                }
            })
        })
        .collect();
    drop(acks);
    let mut written = Vec::new();
    while written.len() < ACKNOWLEDGED_BEFORE_KILL {
        written.push(acknowledged.recv_timeout(Duration::from_secs(120)).expect("writes are acknowledged"));
    }
    // Killed mid-stream: every writer has a request in flight.
    child.kill().unwrap();
    child.wait().unwrap();
    for writer in writers {
        writer.join().expect("no write failed with a server error");
    }
    written.extend(acknowledged.try_iter());

    let (mut child, port) = start(&url);
    let token = login(port);
    let missing: Vec<_> = written
        .iter()
        .filter(|(id, name)| match request(port, "GET", &format!("/api/v1/districts/{id}"), Some(&token), "") {
            Some((200, body)) => !body.contains(name.as_str()),
            _ => true,
        })
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(missing.is_empty(), "{} of {} acknowledged writes were lost: {missing:?}", missing.len(), written.len());
}
