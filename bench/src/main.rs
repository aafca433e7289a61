//! `jiaoyan-bench`: generate a county, run the reference aggregates, measure the service, serve the
//! request-path references and drive the request scenarios. `bench/run.sh` drives it; see
//! `bench/README.md`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use jiaoyan_bench::gen::{generate, GenOptions};
use jiaoyan_bench::http::{median, proc_status_bytes, Client};
use jiaoyan_bench::{reference, report};
use serde_json::{json, Value};

#[derive(Debug, Parser)]
#[command(
    name = "jiaoyan-bench",
    about = "The district-scale benchmark of the quota checks and the request-path benchmark"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Db {
    /// `sqlite://FILE?mode=rwc` or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
}

#[derive(Debug, Args)]
struct Service {
    /// The running service, e.g. `http://127.0.0.1:8080`.
    #[arg(long)]
    base_url: String,
    /// A bearer token (see `login`).
    #[arg(long, env = "JIAOYAN_BENCH_TOKEN")]
    token: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate an empty database and fill it with a generated county and its autumn semester.
    Gen {
        #[command(flatten)]
        db: Db,
        #[arg(long, default_value_t = 100)]
        schools: usize,
        #[arg(long, default_value_t = 60)]
        teachers_per_school: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Multiplies the observations, records and activities (the roster stays the same).
        #[arg(long, default_value_t = 1.0)]
        work_scale: f64,
        /// Nothing is dated later (activities after it are scheduled); default the semester's end.
        #[arg(long)]
        until: Option<NaiveDate>,
        /// Also write the summary (counts, ids, seconds) as JSON to this file.
        #[arg(long)]
        summary_out: Option<PathBuf>,
    },
    /// Run the hand-written reference aggregates directly on the database (best of `runs`).
    Reference {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        semester_id: i64,
        #[arg(long, default_value = "2027-01-15")]
        as_of: NaiveDate,
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Log in and print the access token.
    Login {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
    },
    /// Adopt every catalogue template as a rule of the district.
    Adopt {
        #[command(flatten)]
        service: Service,
        #[arg(long, default_value_t = 1)]
        district_id: i64,
    },
    /// Read every page of a list sequentially and print pages, bytes and times.
    Walk {
        #[command(flatten)]
        service: Service,
        /// e.g. `/api/v1/quota-checks?semester_id=1&as_of=2027-01-15`
        #[arg(long)]
        path: String,
        #[arg(long, default_value_t = 500)]
        limit: u64,
        /// Read at most this many pages and extrapolate the rest.
        #[arg(long)]
        max_pages: Option<u64>,
    },
    /// Print a free TCP port of 127.0.0.1 (for the service bench/run.sh starts).
    FreePort,
    /// Wait until the service answers `GET /health` (at most `--seconds`).
    Wait {
        #[arg(long)]
        base_url: String,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// Every measurement of one engine against a running service on a generated database, in
    /// the order of bench/README.md; writes the figures as JSON.
    Measure(Measure),
    /// Serve the floor (raw sqlx) or the ceiling (from memory) of the request-path benchmark.
    Baseline(jiaoyan_bench::baseline::BaselineArgs),
    /// The request-path scenarios against a running Jiaoyan, floor and ceiling; writes JSON.
    Requests(jiaoyan_bench::requests::RequestsArgs),
    /// Print the results table of one or more engines' measurements and write results.json.
    Report {
        /// `ENGINE=FILE`, a measurement written by `measure`; in column order.
        #[arg(long = "engine")]
        engines: Vec<String>,
        /// `ENGINE=FILE`, a measurement written by `requests`; in column order.
        #[arg(long = "requests")]
        requests: Vec<String>,
        /// JSON object of the run's parameters, copied into results.json.
        #[arg(long, default_value = "{}")]
        parameters: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct Measure {
    #[command(flatten)]
    db: Db,
    #[arg(long)]
    base_url: String,
    /// The service's process id (its memory is read from /proc).
    #[arg(long)]
    pid: u32,
    #[arg(long, default_value = "bench")]
    username: String,
    #[arg(long, default_value = "Bench-Hy6cV3tu-county")]
    password: String,
    #[arg(long, default_value_t = 1)]
    district_id: i64,
    #[arg(long, default_value_t = 1)]
    semester_id: i64,
    #[arg(long, default_value_t = 1)]
    school_id: i64,
    #[arg(long, default_value = "2027-01-15")]
    as_of: NaiveDate,
    #[arg(long, default_value_t = 500)]
    limit: u64,
    /// Read at most this many pages of the district walk and extrapolate (for an engine that
    /// recomputes the whole check on every page).
    #[arg(long)]
    max_pages: Option<u64>,
    /// Pages re-read for "a further page once computed".
    #[arg(long, default_value_t = 10)]
    samples: u64,
    /// The generation summary (`gen --summary-out`), copied into the measurement.
    #[arg(long)]
    gen_summary: Option<PathBuf>,
    /// Where to keep the XLSX report.
    #[arg(long)]
    xlsx_out: Option<PathBuf>,
    #[arg(long)]
    out: PathBuf,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Gen { db, schools, teachers_per_school, seed, work_scale, until, summary_out } => {
            let opts = GenOptions { schools, teachers_per_school, seed, work_scale, until };
            gen(&db, &opts, summary_out).await?;
        }
        Command::Reference { db, semester_id, as_of, runs } => {
            let conn = api::db::connect(&db.database_url).await?;
            let r = reference::run(&conn, semester_id, as_of, runs).await?;
            for q in &r.queries {
                println!("{:>8.3} s {:>8} rows  {}", q.seconds, q.rows, q.name);
            }
            println!("best of {runs}: {:.3} s", r.best_total_seconds);
        }
        Command::Login { base_url, username, password } => {
            let mut client = Client::new(&base_url, None)?;
            println!("{}", client.login(&username, &password).await?);
        }
        Command::Adopt { service, district_id } => {
            let client = Client::new(&service.base_url, service.token)?;
            println!("adopted {} templates", client.adopt_all(district_id).await?);
        }
        Command::Walk { service, path, limit, max_pages } => {
            let client = Client::new(&service.base_url, service.token)?;
            let w = client.walk(&path, limit, max_pages).await?;
            println!(
                "{} items, {} of {} pages read, {} bytes, first page {:.3} s, read {:.3} s, every page {:.3} s{}",
                w.total,
                w.pages_read,
                w.pages_total,
                w.bytes,
                w.first_page_seconds,
                w.read_seconds,
                w.walk_seconds,
                if w.extrapolated { " (extrapolated)" } else { "" }
            );
        }
        Command::FreePort => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            println!("{}", listener.local_addr()?.port());
        }
        Command::Wait { base_url, seconds } => {
            Client::new(&base_url, None)?.wait_healthy(Duration::from_secs(seconds)).await?;
        }
        Command::Measure(m) => measure(m).await?,
        Command::Baseline(args) => jiaoyan_bench::baseline::serve(args).await?,
        Command::Requests(args) => jiaoyan_bench::requests::run(args).await?,
        Command::Report { engines, requests, parameters, out } => print_report(&engines, &requests, &parameters, out)?,
    }
    Ok(())
}

/// Migrates the database and generates the county into it.
async fn gen(db: &Db, opts: &GenOptions, summary_out: Option<PathBuf>) -> anyhow::Result<()> {
    let started = Instant::now();
    let conn = api::db::connect(&db.database_url).await?;
    api::db::migrate(&conn).await?;
    let migrated = started.elapsed().as_secs_f64();
    let summary = generate(&conn, opts).await?;
    for (table, n) in &summary.counts {
        println!("{table:>24} {n:>9}");
    }
    println!("{:>24} {:>9}", "live memberships", summary.live_memberships_at_start);
    println!("migrated in {migrated:.1} s, generated in {:.1} s", summary.seconds);
    if let Some(path) = summary_out {
        std::fs::write(&path, serde_json::to_vec_pretty(&summary)?)?;
    }
    Ok(())
}

/// Prints the tables of the engines' measurements and writes the results to `out`.
fn print_report(engines: &[String], requests: &[String], parameters: &str, out: Option<PathBuf>) -> anyhow::Result<()> {
    let list = read_measurements(engines)?;
    let request_list = read_measurements(requests)?;
    if !list.is_empty() {
        print!("{}", report::table(&list));
    }
    if !request_list.is_empty() {
        if !list.is_empty() {
            println!();
        }
        print!("{}", jiaoyan_bench::requests::report::table(&request_list));
    }
    if let Some(out) = out {
        let parameters: Value = serde_json::from_str(parameters).context("--parameters is JSON")?;
        let mut results = report::results(parameters, &list);
        if !request_list.is_empty() {
            results["requests"] = jiaoyan_bench::requests::report::results(&request_list);
        }
        std::fs::write(&out, serde_json::to_vec_pretty(&results)?)?;
        println!("written {}", out.display());
    }
    Ok(())
}

/// `ENGINE=FILE` pairs, each file's JSON read.
fn read_measurements(pairs: &[String]) -> anyhow::Result<Vec<(String, Value)>> {
    let mut list = Vec::new();
    for e in pairs {
        let (name, file) = e.split_once('=').context("ENGINE=FILE")?;
        let v: Value = serde_json::from_slice(&std::fs::read(file).with_context(|| file.to_string())?)?;
        list.push((name.to_string(), v));
    }
    Ok(list)
}

async fn measure(m: Measure) -> anyhow::Result<()> {
    let say = |what: &str| eprintln!("[measure] {what}");
    let mut client = Client::new(&m.base_url, None)?;
    client.wait_healthy(Duration::from_secs(60)).await?;
    client.login(&m.username, &m.password).await?;
    let adopted = client.adopt_all(m.district_id).await?;
    say(&format!("adopted {adopted} templates as district rules"));

    let conn = api::db::connect(&m.db.database_url).await?;
    let reference = reference::run(&conn, m.semester_id, m.as_of, 3).await?;
    conn.close().await?;
    say(&format!("reference aggregates: {:.3} s (best of 3)", reference.best_total_seconds));

    let base = format!("/api/v1/quota-checks?semester_id={}&as_of={}", m.semester_id, m.as_of);
    let one_school = client.walk(&format!("{base}&school_id={}", m.school_id), m.limit, None).await?;
    say(&format!("one school: {} results, {:.3} s", one_school.total, one_school.walk_seconds));

    let rss_before = proc_status_bytes(m.pid, "VmRSS")?;
    let district = client.walk(&base, m.limit, m.max_pages).await?;
    say(&format!(
        "district: {} results, first page {:.3} s, {} of {} pages read in {:.3} s, every page {:.3} s",
        district.total,
        district.first_page_seconds,
        district.pages_read,
        district.pages_total,
        district.read_seconds,
        district.walk_seconds
    ));
    let samples = client.sample(&base, m.limit, district.total, m.samples).await?;
    let further = median(&samples);
    say(&format!("further page: median {:.1} ms of {}", further * 1000.0, samples.len()));
    let peak_rss = proc_status_bytes(m.pid, "VmHWM")?;
    let rss_after = proc_status_bytes(m.pid, "VmRSS")?;

    // Any write changes the database's change version: the report is computed afresh.
    let zone = format!("bench-{}", chrono::Utc::now().timestamp_millis());
    client.post("/api/v1/zones", &json!({"district_id": m.district_id, "name": zone})).await?;
    let started = Instant::now();
    let xlsx = client
        .get_bytes(&format!("/api/v1/reports/compliance?semester_id={}&as_of={}&format=xlsx", m.semester_id, m.as_of))
        .await?;
    let xlsx_seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &m.xlsx_out {
        std::fs::write(path, &xlsx)?;
    }
    say(&format!("compliance XLSX: {:.3} s, {} bytes", xlsx_seconds, xlsx.len()));
    let peak_rss_after_xlsx = proc_status_bytes(m.pid, "VmHWM")?;

    let generation: Value = match &m.gen_summary {
        Some(p) => serde_json::from_slice(&std::fs::read(p).with_context(|| p.display().to_string())?)?,
        None => Value::Null,
    };
    let out = json!({
        "generation": generation,
        "rules_adopted": adopted,
        "as_of": m.as_of,
        "reference": reference,
        "one_school": one_school,
        "district": district,
        "further_page": {"samples_seconds": samples, "median_seconds": further},
        "rss_before_district_bytes": rss_before,
        "peak_rss_bytes": peak_rss,
        "rss_after_walk_bytes": rss_after,
        "xlsx": {"seconds": xlsx_seconds, "bytes": xlsx.len()},
        "peak_rss_after_xlsx_bytes": peak_rss_after_xlsx,
    });
    std::fs::write(&m.out, serde_json::to_vec_pretty(&out)?)?;
    Ok(())
}
