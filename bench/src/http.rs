//! Measurements of the running service over HTTP: logging in, adopting the catalogue, walking
//! every page of a list, re-reading pages, the service's memory, and the XLSX report.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde::Serialize;
use serde_json::{json, Value};

pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    pub fn new(base_url: &str, token: Option<String>) -> anyhow::Result<Client> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(3600)).build()?;
        Ok(Client { http, base: base_url.trim_end_matches('/').to_string(), token })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn auth(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    /// `GET path`, the body's bytes; anything but 200 is an error.
    pub async fn get_bytes(&self, path: &str) -> anyhow::Result<Vec<u8>> {
        let resp = self.auth(self.http.get(self.url(path))).send().await.with_context(|| format!("GET {path}"))?;
        let status = resp.status();
        let body = resp.bytes().await?;
        if status != reqwest::StatusCode::OK {
            bail!("GET {path} answered {status}: {}", String::from_utf8_lossy(&body[..body.len().min(500)]));
        }
        Ok(body.to_vec())
    }

    /// `POST path` with a JSON body; anything but 2xx is an error.
    pub async fn post(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        let resp = self
            .auth(self.http.post(self.url(path)))
            .json(body)
            .send()
            .await
            .with_context(|| format!("POST {path}"))?;
        let status = resp.status();
        let bytes = resp.bytes().await?;
        if !status.is_success() {
            bail!("POST {path} answered {status}: {}", String::from_utf8_lossy(&bytes[..bytes.len().min(500)]));
        }
        Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// Logs in; later requests carry the token.
    pub async fn login(&mut self, username: &str, password: &str) -> anyhow::Result<String> {
        let answer = self.post("/api/v1/auth/login", &json!({"username": username, "password": password})).await?;
        let token = answer["access_token"].as_str().context("no access_token in the login answer")?.to_string();
        self.token = Some(token.clone());
        Ok(token)
    }

    /// Waits until `GET /health` answers 200.
    pub async fn wait_healthy(&self, timeout: Duration) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            if let Ok(resp) = self.http.get(self.url("/health")).send().await {
                if resp.status() == reqwest::StatusCode::OK {
                    return Ok(());
                }
            }
            if started.elapsed() > timeout {
                bail!("the service at {} did not answer /health within {timeout:?}", self.base);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Adopts every catalogue template as a rule of the district; answers how many.
    pub async fn adopt_all(&self, district_id: i64) -> anyhow::Result<usize> {
        let catalogue: Value = serde_json::from_slice(&self.get_bytes("/api/v1/quota-rule-templates").await?)?;
        let items = catalogue["items"].as_array().context("no items in the catalogue")?;
        for t in items {
            let id = t["id"].as_str().context("a template without id")?;
            self.post("/api/v1/quota-rules", &json!({"template_id": id, "district_id": district_id})).await?;
        }
        Ok(items.len())
    }

    /// Reads every page of `path` (a list with `total`), `limit` at a time, sequentially; at most
    /// `max_pages` when given (the rest is then extrapolated from the pages after the first).
    pub async fn walk(&self, path: &str, limit: u64, max_pages: Option<u64>) -> anyhow::Result<Walk> {
        let started = Instant::now();
        let first = self.get_bytes(&page(path, limit, 0)).await?;
        let first_page_seconds = started.elapsed().as_secs_f64();
        let v: Value = serde_json::from_slice(&first)?;
        let total = v["total"].as_u64().context("no total in the first page")?;
        let pages_total = total.div_ceil(limit).max(1);
        let mut bytes = first.len() as u64;
        let mut pages_read = 1;
        let mut offset = limit;
        while offset < total && max_pages.is_none_or(|m| pages_read < m) {
            bytes += self.get_bytes(&page(path, limit, offset)).await?.len() as u64;
            pages_read += 1;
            offset += limit;
        }
        let read_seconds = started.elapsed().as_secs_f64();
        let walk_seconds = if pages_read == pages_total {
            read_seconds
        } else if pages_read > 1 {
            first_page_seconds
                + (read_seconds - first_page_seconds) / (pages_read - 1) as f64 * (pages_total - 1) as f64
        } else {
            first_page_seconds * pages_total as f64
        };
        Ok(Walk {
            total,
            limit,
            pages_total,
            pages_read,
            bytes,
            first_page_seconds,
            read_seconds,
            walk_seconds,
            extrapolated: pages_read < pages_total,
        })
    }

    /// Re-reads `n` pages spread over a list of `total` items; answers each page's time.
    pub async fn sample(&self, path: &str, limit: u64, total: u64, n: u64) -> anyhow::Result<Vec<f64>> {
        let pages = total.div_ceil(limit).max(1);
        let mut times = Vec::new();
        for k in 0..n {
            let p = if n <= 1 { 0 } else { k * (pages - 1) / (n - 1) };
            let started = Instant::now();
            self.get_bytes(&page(path, limit, p * limit)).await?;
            times.push(started.elapsed().as_secs_f64());
        }
        Ok(times)
    }
}

fn page(path: &str, limit: u64, offset: u64) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}limit={limit}&offset={offset}")
}

/// A walk over every page of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Walk {
    pub total: u64,
    pub limit: u64,
    pub pages_total: u64,
    pub pages_read: u64,
    pub bytes: u64,
    pub first_page_seconds: f64,
    /// Time spent reading the pages read.
    pub read_seconds: f64,
    /// Time to read every page: measured, or extrapolated when fewer were read.
    pub walk_seconds: f64,
    pub extrapolated: bool,
}

pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// A `Vm…` figure of `/proc/<pid>/status`, in bytes.
pub fn proc_status_bytes(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).with_context(|| format!("process {pid}"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .with_context(|| format!("no {field} in /proc/{pid}/status"))?;
    let kb: u64 = line.split_whitespace().nth(1).context("a number")?.parse()?;
    Ok(kb * 1024)
}
