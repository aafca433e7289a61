//! An acknowledged write survives a kill of the process (SQLite, `synchronous=NORMAL` in WAL):
//! the real binary serves a SQLite file, many clients write at once, the process is killed
//! (SIGKILL) while they are still writing, and a new process on the same file has every write
//! that was answered with a 2xx.

mod support;

use std::sync::mpsc;
use std::time::Duration;

use support::{login, request, start};

const WRITERS: usize = 16;
/// Writes acknowledged before the kill.
const ACKNOWLEDGED_BEFORE_KILL: usize = 400;

#[test]
fn every_acknowledged_write_survives_a_kill_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("jiaoyan-durability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/durability.db?mode=rwc", dir.display());

    let (mut child, port, _log) = start(&url, &[]);
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

    let (mut child, port, _log) = start(&url, &[]);
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
