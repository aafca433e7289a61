//! A stop lets the requests in flight finish: the real binary is stopped (SIGTERM, or SIGINT)
//! while a POST is half sent; it refuses new connections at once, still answers the POST when
//! the rest of its body arrives, exits 0 well within the grace period, and the write is there
//! after a restart. On SQLite the closed database leaves no WAL behind.
//!
//! No timing is guessed: the request is known to be in the service's hands when it has
//! answered `Expect: 100-continue` (the service then reads the body), and every wait polls for
//! its condition under a deadline.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};
use support::{login, read_answer, request};

/// The grace period the service is given: far longer than the test needs, so that an exit
/// within it shows that the service did not wait for it to run out.
const GRACE_SECONDS: u64 = 60;
const DEADLINE: Duration = Duration::from_secs(60);

/// A started service, killed if a failed test leaves it running.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts the binary on `database_url` with the test's grace period and waits until it
/// listens; its log lines keep coming through the receiver.
fn start(database_url: &str) -> (Service, u16, std::sync::mpsc::Receiver<String>) {
    let grace = GRACE_SECONDS.to_string();
    let (child, port, log) = support::start(database_url, &[("JIAOYAN_SHUTDOWN_GRACE_SECONDS", &grace)]);
    (Service(child), port, log)
}

fn signal(service: &Service, signal: libc::c_int) {
    // SAFETY: kill(2) on the pid of a child this test started and has not yet reaped.
    let sent = unsafe { libc::kill(service.0.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0, "the signal is sent");
}

/// Polls until a connection to `port` is refused.
fn wait_until_refused(port: u16) {
    let deadline = Instant::now() + DEADLINE;
    while TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(Instant::now() < deadline, "the stopping service still accepts connections");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Polls until the process exits.
fn wait_for_exit(service: &mut Service) -> ExitStatus {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(status) = service.0.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the service did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends the head of `POST /api/v1/districts` and half its body, once the service has taken the
/// request (its `100 Continue`); returns the connection and the rest of the body.
fn half_sent_create(port: u16, token: &str, body: &'static str) -> (TcpStream, &'static [u8]) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        stream,
        "POST /api/v1/districts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut interim = Vec::new();
    while !interim.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8];
        stream.read_exact(&mut byte).expect("the service answers the head");
        interim.push(byte[0]);
    }
    assert!(interim.starts_with(b"HTTP/1.1 100 Continue"), "{}", String::from_utf8_lossy(&interim));
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    stream.write_all(first).unwrap();
    stream.flush().unwrap();
    (stream, rest)
}

fn an_in_flight_request_completes_across_a_stop(database_url: &str, stop: libc::c_int) {
    let (mut child, port, log) = start(database_url);
    let token = login(port);
    let name = "停机县";
    let (mut stream, rest) = half_sent_create(port, &token, r#"{"name": "停机县"}"#);

    signal(&child, stop);
    let stopped = Instant::now();
    wait_until_refused(port);
    stream.write_all(rest).unwrap();
    let (status, body) = read_answer(&mut stream).expect("the service answers");
    assert_eq!(status, 201, "the request in flight is answered: {body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"].as_i64().expect("an id");

    let exit = wait_for_exit(&mut child);
    assert!(exit.success(), "the stopped service exits 0, not {exit:?}");
    assert!(stopped.elapsed() < Duration::from_secs(GRACE_SECONDS), "the service waited out its grace period");
    let said: Vec<String> = log.try_iter().collect();
    for expected in ["shutting down", "every request in flight finished", "shutdown complete"] {
        assert!(said.iter().any(|l| l.contains(expected)), "the log lacks {expected:?}: {said:#?}");
    }

    let (mut child, port, _log) = start(database_url);
    let token = login(port);
    let (status, body) =
        request(port, "GET", &format!("/api/v1/districts/{id}"), Some(&token), "").expect("the service answers");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(name), "{body}");
    signal(&child, libc::SIGTERM);
    assert!(wait_for_exit(&mut child).success());
}

fn on_sqlite(test: &str, stop: libc::c_int) {
    let dir = std::env::temp_dir().join(format!("jiaoyan-shutdown-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("shutdown.db");
    an_in_flight_request_completes_across_a_stop(&format!("sqlite://{}?mode=rwc", file.display()), stop);
    // Closed last, the database checkpointed its WAL into the file: the file alone is the data.
    let wal = dir.join("shutdown.db-wal");
    assert!(std::fs::metadata(&wal).map_or(true, |m| m.len() == 0), "the WAL was not checkpointed");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_in_flight_request_completes_across_sigterm_on_sqlite() {
    on_sqlite("term", libc::SIGTERM);
}

#[test]
fn an_in_flight_request_completes_across_sigint_on_sqlite() {
    on_sqlite("int", libc::SIGINT);
}

#[test]
fn an_in_flight_request_completes_across_sigterm_on_postgres() {
    let admin_url =
        std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("jiaoyan_shutdown_{}", std::process::id());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let admin = runtime.block_on(Database::connect(&admin_url)).expect("PostgreSQL answers");
    let run = |sql: String| runtime.block_on(admin.execute_unprepared(&sql)).unwrap();
    run(format!("DROP DATABASE IF EXISTS {name}"));
    run(format!("CREATE DATABASE {name}"));
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let result = std::panic::catch_unwind(|| an_in_flight_request_completes_across_a_stop(&url, libc::SIGTERM));
    run(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
