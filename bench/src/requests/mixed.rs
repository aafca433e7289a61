//! The two mixed scenarios, driven from Rust (reqwest) rather than wrk, because what matters is
//! the latency of one kind of request *while* another kind runs:
//! - 100 concurrent logins (distinct accounts) while 64 clients read teachers;
//! - a 10,000-teacher sync (one `PUT /api/v1/sync/teachers`) while other clients write
//!   observations.
//!
//! Latencies are kept per request with the instant it started; the figures are over the requests
//! that started inside the background work's window (and, for comparison, before it).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use serde_json::{json, Value};

/// Latencies of a set of requests.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub max_ms: Option<f64>,
}

fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

impl Stats {
    fn of(samples: &[Sample]) -> Stats {
        let mut ms: Vec<f64> = samples.iter().map(|s| s.ms).collect();
        ms.sort_by(f64::total_cmp);
        Stats {
            requests: samples.len(),
            errors: samples.iter().filter(|s| !s.ok).count(),
            p50_ms: percentile(&ms, 50.0),
            p99_ms: percentile(&ms, 99.0),
            max_ms: ms.last().copied(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    started: Instant,
    ms: f64,
    ok: bool,
}

/// Runs `clients` closed-loop workers of `work` until `stop`; every request's sample is kept.
fn spawn_workers<F, Fut>(clients: usize, stop: Arc<AtomicBool>, work: F) -> Vec<tokio::task::JoinHandle<Vec<Sample>>>
where
    F: Fn(u64) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let counter = Arc::new(AtomicU64::new(0));
    (0..clients)
        .map(|_| {
            let (stop, work, counter) = (stop.clone(), work.clone(), counter.clone());
            tokio::spawn(async move {
                let mut samples = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    let started = Instant::now();
                    let ok = work(n).await;
                    samples.push(Sample { started, ms: started.elapsed().as_secs_f64() * 1000.0, ok });
                }
                samples
            })
        })
        .collect()
}

async fn collect(handles: Vec<tokio::task::JoinHandle<Vec<Sample>>>) -> anyhow::Result<Vec<Sample>> {
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await?);
    }
    Ok(all)
}

/// The figures of a mixed scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Mixed {
    /// The foreground requests that started before the background work.
    pub before: Stats,
    /// The foreground requests that started while the background work ran.
    pub during: Stats,
    /// How long the background work took and how it ended.
    pub background_seconds: f64,
    pub background: Value,
}

fn http() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().pool_max_idle_per_host(256).timeout(Duration::from_secs(600)).build()?)
}

/// Creates `n` teacher accounts `bench-login-<i>` of `school_id`, each linked to one of its
/// teachers `ids` (ignoring accounts that exist).
pub async fn create_accounts(
    base: &str,
    token: &str,
    school_id: i64,
    ids: &[i64],
    n: usize,
    password: &str,
) -> anyhow::Result<()> {
    let client = http()?;
    for i in 0..n {
        let resp = client
            .post(format!("{base}/api/v1/users"))
            .bearer_auth(token)
            .json(&json!({"username": format!("bench-login-{i}"), "password": password, "role": "teacher",
                          "school_id": school_id, "teacher_id": ids[i % ids.len()]}))
            .send()
            .await?;
        let status = resp.status();
        if !status.is_success() && status != reqwest::StatusCode::CONFLICT {
            anyhow::bail!("creating bench-login-{i} answered {status}: {}", resp.text().await?);
        }
    }
    Ok(())
}

/// 100 (`logins`) concurrent logins of distinct accounts while `clients` read teachers.
pub async fn logins_while_reading(
    base: &str,
    token: &str,
    ids: &[i64],
    clients: usize,
    logins: usize,
    password: &str,
    warmup: Duration,
) -> anyhow::Result<Mixed> {
    let client = http()?;
    let stop = Arc::new(AtomicBool::new(false));
    let (b, t, ids) = (base.to_string(), token.to_string(), Arc::new(ids.to_vec()));
    let reader = {
        let client = client.clone();
        move |n: u64| {
            let url = format!("{b}/api/v1/teachers/{}", ids[n as usize % ids.len()]);
            answers(client.get(url).bearer_auth(&t), reqwest::StatusCode::OK)
        }
    };
    let readers = spawn_workers(clients, stop.clone(), reader);
    tokio::time::sleep(warmup).await;
    let window_start = Instant::now();
    let mut logins_done = Vec::new();
    for i in 0..logins {
        let req = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": format!("bench-login-{i}"), "password": password}));
        logins_done.push(tokio::spawn(async move {
            let started = Instant::now();
            let status = req.send().await.map(|r| r.status().as_u16()).unwrap_or(0);
            (status, started.elapsed().as_secs_f64() * 1000.0)
        }));
    }
    let mut statuses = Vec::new();
    for h in logins_done {
        statuses.push(h.await?);
    }
    let window_end = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let samples = collect(readers).await?;
    let ok = statuses.iter().filter(|(s, _)| *s == 200).count();
    let mut login_ms: Vec<f64> = statuses.iter().map(|(_, ms)| *ms).collect();
    login_ms.sort_by(f64::total_cmp);
    Ok(split(
        &samples,
        window_start,
        window_end,
        json!({"logins": logins, "ok": ok, "errors": logins - ok,
               "statuses": statuses.iter().map(|(s, _)| *s).filter(|s| *s != 200).collect::<Vec<_>>(),
               "login_p50_ms": percentile(&login_ms, 50.0), "login_max_ms": login_ms.last()}),
    ))
}

/// Whether `req` is answered `expected`, with its whole body read (one worker's request).
async fn answers(req: reqwest::RequestBuilder, expected: reqwest::StatusCode) -> bool {
    match req.send().await {
        Ok(r) => r.status() == expected && r.bytes().await.is_ok(),
        Err(_) => false,
    }
}

fn split(samples: &[Sample], start: Instant, end: Instant, background: Value) -> Mixed {
    let before: Vec<Sample> = samples.iter().copied().filter(|s| s.started < start).collect();
    let during: Vec<Sample> = samples.iter().copied().filter(|s| s.started >= start && s.started <= end).collect();
    Mixed {
        before: Stats::of(&before),
        during: Stats::of(&during),
        background_seconds: end.duration_since(start).as_secs_f64(),
        background,
    }
}

/// A machine client with roster.write for `district_id`, and its token.
async fn roster_client(base: &str, token: &str, district_id: i64) -> anyhow::Result<String> {
    let client = http()?;
    let name = format!("bench-sync-{}", chrono::Utc::now().timestamp_millis());
    let resp = client
        .post(format!("{base}/api/v1/api-clients"))
        .bearer_auth(token)
        .json(&json!({"name": name, "scopes": ["roster.read", "roster.write"], "district_id": district_id}))
        .send()
        .await?;
    let status = resp.status();
    let created: Value = resp.json().await?;
    anyhow::ensure!(status.is_success(), "registering a client answered {status}: {created}");
    let id = created["client"]["client_id"].as_str().context("client_id")?;
    let secret = created["client_secret"].as_str().context("client_secret")?;
    let resp = client
        .post(format!("{base}/api/v1/oauth/token"))
        .basic_auth(id, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await?;
    let answer: Value = resp.json().await?;
    Ok(answer["access_token"].as_str().with_context(|| format!("no token: {answer}"))?.to_string())
}

/// One observation body of the writers (distinct for every `n`).
pub fn observation(ids: &[i64], n: u64, first_day: chrono::NaiveDate, days: u64) -> Value {
    let len = ids.len() as u64;
    let observer = ids[(n % len) as usize];
    let mut observed = ids[((n + 1 + (n / len) % (len - 1)) % len) as usize];
    if observed == observer {
        observed = ids[((n + 1) % len) as usize];
    }
    let day = first_day + chrono::Days::new(n % days);
    json!({"observer_teacher_id": observer, "observed_teacher_id": observed, "observed_on": day,
           "subject": "语文", "lesson_kind": "ordinary", "period": n % 8 + 1, "grade": n % 6 + 1,
           "lesson_title": format!("bench sync {n}")})
}

/// A sync of `teachers` new teachers (into 10 new schools) while `clients` write observations.
#[allow(clippy::too_many_arguments)]
pub async fn sync_while_writing(
    base: &str,
    token: &str,
    district_id: i64,
    ids: &[i64],
    clients: usize,
    teachers: usize,
    first_day: chrono::NaiveDate,
    warmup: Duration,
) -> anyhow::Result<Mixed> {
    let client = http()?;
    let machine = roster_client(base, token, district_id).await?;
    let tag = chrono::Utc::now().timestamp_millis();
    let schools: Vec<Value> = (0..10)
        .map(|i| json!({"sourced_id": format!("bench-{tag}-sch-{i}"), "name": format!("压测{tag}第{i}小学"), "tier": "village"}))
        .collect();
    let resp = client
        .put(format!("{base}/api/v1/sync/schools"))
        .bearer_auth(&machine)
        .json(&json!({ "records": schools }))
        .send()
        .await?;
    let status = resp.status();
    anyhow::ensure!(status.is_success(), "the schools' sync answered {status}: {}", resp.text().await?);
    let records: Vec<Value> = (0..teachers)
        .map(|i| {
            json!({"sourced_id": format!("bench-{tag}-T-{i:05}"), "school_sourced_id": format!("bench-{tag}-sch-{}", i % 10),
                   "name": format!("教师{i}"), "gender": if i % 2 == 0 { "female" } else { "male" },
                   "birth_date": "1988-03-04", "teaching_start_year": 2010, "degree": "bachelor",
                   "subjects": ["语文", "数学"], "grades": [i % 6 + 1], "posts": ["prep_group_leader"],
                   "honours": [{"title": "backbone_teacher", "level": "county", "year": 2022}]})
        })
        .collect();
    let body = serde_json::to_vec(&json!({ "records": records }))?;

    let stop = Arc::new(AtomicBool::new(false));
    let (b, t, ids) = (base.to_string(), token.to_string(), Arc::new(ids.to_vec()));
    let writer = {
        let client = client.clone();
        move |n: u64| {
            let body = observation(&ids, n + 1_000_000, first_day, 80);
            answers(
                client.post(format!("{b}/api/v1/observations")).bearer_auth(&t).json(&body),
                reqwest::StatusCode::CREATED,
            )
        }
    };
    let writers = spawn_workers(clients, stop.clone(), writer);
    tokio::time::sleep(warmup).await;
    let window_start = Instant::now();
    let resp = client
        .put(format!("{base}/api/v1/sync/teachers"))
        .bearer_auth(&machine)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = resp.status();
    let answer: Value = resp.json().await.unwrap_or(Value::Null);
    let window_end = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let samples = collect(writers).await?;
    anyhow::ensure!(status.is_success(), "the teachers' sync answered {status}: {answer}");
    Ok(split(
        &samples,
        window_start,
        window_end,
        json!({"teachers": teachers, "status": status.as_u16(), "created": answer["created"]}),
    ))
}

/// Keeps the sync answer's shape visible to the report even when a mixed scenario is skipped.
pub fn skipped(reason: &str) -> Value {
    json!({ "skipped": reason })
}
