//! The request-path benchmark (bench/README.md, "The request-path benchmark"): Jiaoyan against its floor and ceiling
//! ([`crate::baseline`]) under wrk, rounds alternated, plus writes, logins under reads and a sync
//! under writes ([`mixed`]). `jiaoyan-bench requests` runs it against running services and
//! writes one JSON measurement; [`report`] turns it into figures beside their goals.

pub mod mixed;
pub mod report;
pub mod wrk;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use chrono::{NaiveDate, NaiveTime};
use serde_json::{json, Value};

use crate::http::Client;
use wrk::{alternate, Load, Summary};

/// The scenarios' parameters (`jiaoyan-bench requests --help`).
#[derive(Debug, Clone, clap::Args)]
pub struct RequestsArgs {
    /// Jiaoyan, e.g. `http://127.0.0.1:8080`.
    #[arg(long)]
    pub base_url: String,
    /// The floor baseline (`jiaoyan-bench baseline --mode floor`).
    #[arg(long)]
    pub floor_url: String,
    /// The ceiling baseline (`jiaoyan-bench baseline --mode ceiling`).
    #[arg(long)]
    pub ceiling_url: String,
    #[arg(long, default_value = "bench")]
    pub username: String,
    #[arg(long, default_value = "Bench-Hy6cV3tu-county")]
    pub password: String,
    #[arg(long, default_value_t = 1)]
    pub district_id: i64,
    /// The school whose teachers are read, listed and observed.
    #[arg(long, default_value_t = 1)]
    pub school_id: i64,
    /// Seconds of each wrk round.
    #[arg(long, default_value_t = 15.0)]
    pub request_seconds: f64,
    /// Rounds of each target (alternated: A B A B).
    #[arg(long, default_value_t = 2)]
    pub rounds: usize,
    #[arg(long, default_value_t = 2)]
    pub threads: u32,
    #[arg(long, default_value_t = 64)]
    pub connections: u32,
    /// Concurrent logins of distinct accounts in the logins scenario (0: skip it).
    #[arg(long, default_value_t = 100)]
    pub logins: usize,
    /// Teachers of the sync in the sync scenario (0: skip it).
    #[arg(long, default_value_t = 0)]
    pub sync_teachers: usize,
    /// Clients writing observations while the sync runs.
    #[arg(long, default_value_t = 4)]
    pub sync_writers: usize,
    /// The first day observations are dated (inside the generated autumn semester, not after today).
    #[arg(long, default_value = "2026-09-01")]
    pub first_day: NaiveDate,
    /// Days over which the observations' dates vary.
    #[arg(long, default_value_t = 80)]
    pub days: u64,
    /// The directory of the wrk scripts.
    #[arg(long)]
    pub scripts: Option<PathBuf>,
    #[arg(long)]
    pub out: PathBuf,
}

fn say(what: &str) {
    eprintln!("[requests] {what}");
}

/// One answer as compared: status, content type, ETag and body.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: u16,
    content_type: Option<String>,
    etag: Option<String>,
    body: Vec<u8>,
}

async fn answer(http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<Answer> {
    let resp = http.get(url).bearer_auth(token).send().await.with_context(|| format!("GET {url}"))?;
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (content_type, etag) = (header("content-type"), header("etag"));
    Ok(Answer { status: resp.status().as_u16(), content_type, etag, body: resp.bytes().await?.to_vec() })
}

/// Fails loudly unless the floor and the ceiling answer `path` exactly as Jiaoyan does.
async fn check_identical(a: &RequestsArgs, token: &str, path: &str) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let jiaoyan = answer(&http, &format!("{}{path}", a.base_url), token).await?;
    if jiaoyan.status != 200 {
        bail!("Jiaoyan answered {} to GET {path}: {}", jiaoyan.status, String::from_utf8_lossy(&jiaoyan.body));
    }
    for (name, base) in [("floor", &a.floor_url), ("ceiling", &a.ceiling_url)] {
        let other = answer(&http, &format!("{base}{path}"), token).await?;
        if other != jiaoyan {
            let first_difference = jiaoyan.body.iter().zip(&other.body).position(|(x, y)| x != y).unwrap_or(0);
            let around = |b: &[u8]| {
                String::from_utf8_lossy(&b[first_difference.saturating_sub(80)..(first_difference + 80).min(b.len())])
                    .to_string()
            };
            bail!(
                "the {name} does not answer GET {path} as Jiaoyan does:\n  Jiaoyan: {} {:?} ETag {:?}, {} bytes\n  {name}: {} {:?} ETag {:?}, {} bytes\n  first difference at byte {first_difference}:\n  Jiaoyan: …{}…\n  {name}: …{}…",
                jiaoyan.status,
                jiaoyan.content_type,
                jiaoyan.etag,
                jiaoyan.body.len(),
                other.status,
                other.content_type,
                other.etag,
                other.body.len(),
                around(&jiaoyan.body),
                around(&other.body)
            );
        }
    }
    Ok(())
}

fn ids_arg(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Runs every scenario and writes the measurement to `a.out`.
pub async fn run(a: RequestsArgs) -> anyhow::Result<()> {
    let load = Load {
        threads: a.threads,
        connections: a.connections,
        seconds: a.request_seconds,
        scripts: a.scripts.clone().unwrap_or_else(wrk::default_scripts),
    };
    let (client, token) = connect(&a).await?;
    let list_path = format!("/api/v1/teachers?school_id={}&limit=50", a.school_id);
    let ids = school_teachers(&client, a.school_id).await?;
    for id in ids.iter().take(5) {
        check_identical(&a, &token, &format!("/api/v1/teachers/{id}")).await?;
    }
    check_identical(&a, &token, &list_path).await?;
    say("the floor and the ceiling answer byte for byte as Jiaoyan (5 teachers and the list of 50)");

    let ids_list = ids_arg(&ids);
    say("single read: Jiaoyan, floor, ceiling");
    let read = against_all(&load, &a, &token, &ids_list, "get_teacher.lua")?;
    say("list of 50: Jiaoyan, floor, ceiling");
    let list = against_all(&load, &a, &token, &list_path, "get_path.lua")?;
    say("observation writes");
    let first_day_epoch = a.first_day.and_time(NaiveTime::MIN).and_utc().timestamp();
    let write = alternate(
        &load,
        &[(
            "jiaoyan",
            &a.base_url,
            vec![token.clone(), ids_list.clone(), first_day_epoch.to_string(), a.days.to_string()],
        )],
        "post_observation.lua",
        a.rounds,
    )?;
    let logins = logins(&a, &token, &ids).await?;
    let sync = sync(&a, &token, &ids).await?;

    let named = |s: Vec<Summary>, names: &[&str]| -> Value {
        Value::Object(names.iter().zip(s).map(|(n, s)| (n.to_string(), json!(s))).collect())
    };
    let out = json!({
        "load": load,
        "rounds": a.rounds,
        "school_id": a.school_id,
        "teachers_read": ids.len(),
        "identical": true,
        "read": named(read, &["jiaoyan", "floor", "ceiling"]),
        "list": named(list, &["jiaoyan", "floor", "ceiling"]),
        "write": named(write, &["jiaoyan"]),
        "logins": logins,
        "sync": sync,
    });
    std::fs::write(&a.out, serde_json::to_vec_pretty(&out)?)?;
    Ok(())
}

/// Waits for the three services and logs in to Jiaoyan.
async fn connect(a: &RequestsArgs) -> anyhow::Result<(Client, String)> {
    for url in [&a.floor_url, &a.ceiling_url] {
        Client::new(url, None)?.wait_healthy(Duration::from_secs(120)).await?;
    }
    let mut client = Client::new(&a.base_url, None)?;
    client.wait_healthy(Duration::from_secs(60)).await?;
    // A kept-alive connection the server closed in the meantime fails the first request: retry.
    let mut token = client.login(&a.username, &a.password).await;
    for _ in 0..2 {
        if token.is_ok() {
            break;
        }
        token = client.login(&a.username, &a.password).await;
    }
    Ok((client, token?))
}

/// The ids of the teachers of `school_id` (at least 3).
async fn school_teachers(client: &Client, school_id: i64) -> anyhow::Result<Vec<i64>> {
    let all: Value =
        serde_json::from_slice(&client.get_bytes(&format!("/api/v1/teachers?school_id={school_id}&limit=500")).await?)?;
    let ids: Vec<i64> = all["items"].as_array().context("items")?.iter().filter_map(|t| t["id"].as_i64()).collect();
    if ids.len() < 3 {
        bail!("school {school_id} has {} teachers; the scenarios need at least 3", ids.len());
    }
    say(&format!("school {school_id}: {} teachers", ids.len()));
    Ok(ids)
}

/// `script` with argument `arg` against Jiaoyan, the floor and the ceiling (which needs no
/// token), rounds alternated.
fn against_all(load: &Load, a: &RequestsArgs, token: &str, arg: &str, script: &str) -> anyhow::Result<Vec<Summary>> {
    alternate(
        load,
        &[
            ("jiaoyan", &a.base_url, vec![token.to_string(), arg.to_string()]),
            ("floor", &a.floor_url, vec![token.to_string(), arg.to_string()]),
            ("ceiling", &a.ceiling_url, vec!["-".into(), arg.to_string()]),
        ],
        script,
        a.rounds,
    )
}

/// How long the mixed scenarios measure before and while their background work runs.
fn mixed_window(a: &RequestsArgs) -> Duration {
    Duration::from_secs_f64((a.request_seconds / 3.0).clamp(0.5, 3.0))
}

/// Concurrent logins of distinct accounts while clients read (skipped with `--logins 0`).
async fn logins(a: &RequestsArgs, token: &str, ids: &[i64]) -> anyhow::Result<Value> {
    if a.logins == 0 {
        return Ok(mixed::skipped("--logins 0"));
    }
    let password = "Bench-Login-7f3Kq9-county";
    say(&format!("creating {} accounts for the logins", a.logins));
    mixed::create_accounts(&a.base_url, token, a.school_id, ids, a.logins, password).await?;
    say(&format!("{} concurrent logins while {} clients read", a.logins, a.connections));
    let clients = a.connections as usize;
    let m = mixed::logins_while_reading(&a.base_url, token, ids, clients, a.logins, password, mixed_window(a)).await?;
    say(&format!(
        "reads during the logins: {} requests, p99 {:?} ms (before: p99 {:?} ms); logins took {:.2} s",
        m.during.requests, m.during.p99_ms, m.before.p99_ms, m.background_seconds
    ));
    Ok(serde_json::to_value(m)?)
}

/// A sync while clients write observations (skipped with `--sync-teachers 0`).
async fn sync(a: &RequestsArgs, token: &str, ids: &[i64]) -> anyhow::Result<Value> {
    if a.sync_teachers == 0 {
        return Ok(mixed::skipped("--sync-teachers 0"));
    }
    say(&format!("a {}-teacher sync while {} clients write observations", a.sync_teachers, a.sync_writers));
    let m = mixed::sync_while_writing(
        &a.base_url,
        token,
        a.district_id,
        ids,
        a.sync_writers,
        a.sync_teachers,
        a.first_day,
        mixed_window(a),
    )
    .await?;
    say(&format!(
        "writes during the sync: {} requests, {} errors, p99 {:?} ms (before: p99 {:?} ms); the sync took {:.2} s",
        m.during.requests, m.during.errors, m.during.p99_ms, m.before.p99_ms, m.background_seconds
    ));
    Ok(serde_json::to_value(m)?)
}
