//! A local HTTP receiver for the alert tests: a `std::net::TcpListener` on 127.0.0.1 (never
//! another address) that records every request and answers as the test scripts it — a status
//! and body, or holding the request without answering (a hung receiver) until released.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> String {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// The query's pairs, decoded.
    pub fn query(&self) -> Vec<(String, String)> {
        let query = self.target.split_once('?').map(|(_, q)| q).unwrap_or("");
        reqwest::Url::parse(&format!("http://x/?{query}"))
            .unwrap()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
}

/// How the receiver answers a request.
#[derive(Debug, Clone)]
pub enum Reply {
    Answer(u16, String),
    /// Keep the request open without answering until [`Receiver::release`].
    Hang,
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    script: VecDeque<Reply>,
    default: Option<Reply>,
    released: bool,
}

/// The running receiver (its thread lives as long as the test process).
#[derive(Clone)]
pub struct Receiver {
    pub port: u16,
    state: Arc<(Mutex<Inner>, Condvar)>,
}

impl Receiver {
    /// Starts a receiver answering `default` unless scripted otherwise.
    pub fn start(default: Reply) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new((Mutex::new(Inner { default: Some(default), ..Default::default() }), Condvar::new()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let shared = shared.clone();
                std::thread::spawn(move || serve(stream, shared));
            }
        });
        Receiver { port, state }
    }

    /// `http://127.0.0.1:PORT` and `path_and_query`.
    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://127.0.0.1:{}{path_and_query}", self.port)
    }

    /// Answers the next requests with these, in order, then with the default.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state.0.lock().unwrap().script.extend(replies);
    }

    pub fn set_default(&self, reply: Reply) {
        self.state.0.lock().unwrap().default = Some(reply);
    }

    /// Lets every held request go (they are then answered with the default).
    pub fn release(&self) {
        self.state.0.lock().unwrap().released = true;
        self.state.1.notify_all();
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.0.lock().unwrap().received.clone()
    }

    /// Waits until `n` requests were received (at most `deadline`), and returns them all.
    pub fn wait_for(&self, n: usize, deadline: Duration) -> Vec<Received> {
        let until = Instant::now() + deadline;
        let (lock, changed) = &*self.state;
        let mut inner = lock.lock().unwrap();
        while inner.received.len() < n {
            let left = until.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "{} requests received, {n} expected within {deadline:?}", inner.received.len());
            inner = changed.wait_timeout(inner, left).unwrap().0;
        }
        inner.received.clone()
    }
}

fn serve(stream: TcpStream, state: Arc<(Mutex<Inner>, Condvar)>) {
    let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (lock, changed) = &*state;
    let mut inner = lock.lock().unwrap();
    inner.received.push(Received { method, target, headers, body });
    changed.notify_all();
    let mut reply = inner.script.pop_front().or(inner.default.clone()).unwrap_or(Reply::Answer(200, "{}".into()));
    while matches!(reply, Reply::Hang) {
        if inner.released {
            reply =
                inner.default.clone().filter(|r| !matches!(r, Reply::Hang)).unwrap_or(Reply::Answer(200, "{}".into()));
            break;
        }
        inner = changed.wait(inner).unwrap();
    }
    drop(inner);
    if let Reply::Answer(status, body) = reply {
        let mut stream = stream;
        let _ = write!(
            stream,
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.flush();
    }
}
