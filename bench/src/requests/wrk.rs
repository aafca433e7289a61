//! Running `wrk` (2 threads × 64 connections by default) with one of the `bench/wrk/*.lua`
//! scripts and reading the JSON line their shared `done` prints.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

/// The load every round puts on its target.
#[derive(Debug, Clone, Serialize)]
pub struct Load {
    pub threads: u32,
    pub connections: u32,
    pub seconds: f64,
    /// The directory of the lua scripts (`bench/wrk`).
    #[serde(skip)]
    pub scripts: PathBuf,
}

/// What `report.lua` prints (microseconds).
#[derive(Debug, Clone, Deserialize)]
struct Raw {
    requests: u64,
    duration_us: u64,
    errors_connect: u64,
    errors_read: u64,
    errors_write: u64,
    errors_status: u64,
    errors_timeout: u64,
    p50_us: f64,
    p90_us: f64,
    p99_us: f64,
    max_us: f64,
    mean_us: f64,
}

/// One round against one target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Round {
    pub target: String,
    pub requests: u64,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
    /// Non-2xx/3xx answers, plus connect, read, write and timeout errors.
    pub errors: u64,
}

/// The rounds of one target, summarised: mean throughput, mean p50, the worst p99.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub rounds: Vec<Round>,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

impl Summary {
    pub fn of(rounds: Vec<Round>) -> Summary {
        let n = rounds.len().max(1) as f64;
        Summary {
            per_second: rounds.iter().map(|r| r.per_second).sum::<f64>() / n,
            p50_ms: rounds.iter().map(|r| r.p50_ms).sum::<f64>() / n,
            p99_ms: rounds.iter().map(|r| r.p99_ms).fold(0.0, f64::max),
            errors: rounds.iter().map(|r| r.errors).sum(),
            rounds,
        }
    }
}

/// `wrk -t T -c C -d Ns --latency -s SCRIPT URL -- ARGS...`, one round.
pub fn round(load: &Load, target: &str, base_url: &str, script: &str, args: &[String]) -> anyhow::Result<Round> {
    let script_path = load.scripts.join(script);
    let out = Command::new("wrk")
        .arg("-t")
        .arg(load.threads.to_string())
        .arg("-c")
        .arg(load.connections.to_string())
        .arg("-d")
        .arg(format!("{}s", load.seconds.max(1.0).round() as u64))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(&script_path)
        .arg(base_url)
        .arg("--")
        .args(args)
        .output()
        .context("running wrk (apt-get install -y wrk)")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed on {target}: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    }
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("WRK_JSON "))
        .with_context(|| format!("no WRK_JSON line in wrk's output:\n{stdout}"))?;
    let raw: Raw = serde_json::from_str(line).with_context(|| line.to_string())?;
    let seconds = raw.duration_us as f64 / 1e6;
    let r = Round {
        target: target.to_string(),
        requests: raw.requests,
        seconds,
        per_second: raw.requests as f64 / seconds.max(1e-9),
        p50_ms: raw.p50_us / 1000.0,
        p90_ms: raw.p90_us / 1000.0,
        p99_ms: raw.p99_us / 1000.0,
        max_ms: raw.max_us / 1000.0,
        mean_ms: raw.mean_us / 1000.0,
        errors: raw.errors_connect + raw.errors_read + raw.errors_write + raw.errors_status + raw.errors_timeout,
    };
    eprintln!(
        "[requests]   {target:<10} {:>9.0} req/s  p50 {:>6.1} ms  p99 {:>6.1} ms  errors {}",
        r.per_second, r.p50_ms, r.p99_ms, r.errors
    );
    Ok(r)
}

/// Rounds alternated over the targets (A B A B, or A B C A B C), `rounds` of each.
pub fn alternate(
    load: &Load,
    targets: &[(&str, &str, Vec<String>)],
    script: &str,
    rounds: usize,
) -> anyhow::Result<Vec<Summary>> {
    let mut per: Vec<Vec<Round>> = vec![Vec::new(); targets.len()];
    for _ in 0..rounds {
        for (i, (name, url, args)) in targets.iter().enumerate() {
            per[i].push(round(load, name, url, script, args)?);
        }
    }
    Ok(per.into_iter().map(Summary::of).collect())
}

/// `bench/wrk` next to this crate when run from the repository.
pub fn default_scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("wrk")
}
