//! The service's metrics (docs/OPERATIONS.md, "Metrics"): one Prometheus registry per application,
//! never installed as the process's global recorder, so that the many services a test process
//! runs each count only their own requests.
//!
//! The edge ([`crate::observe`]) counts every HTTP request and runs the request in
//! [`scope`], so that code deep in a request (the quota cache, the login throttle, the sync) records
//! into its application's registry through the functions below, without a handle passed down —
//! the way the audit context and the clock reach the write path. Outside a request (start,
//! background purges) they record nothing.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

/// HTTP requests answered, by method, route template and status.
pub const HTTP_REQUESTS: &str = "jiaoyan_http_requests_total";
/// Seconds from a request's arrival to its response's head, by method, route template and status.
pub const HTTP_DURATION: &str = "jiaoyan_http_request_duration_seconds";
/// Connections open in a database pool, by pool.
pub const POOL_CONNECTIONS: &str = "jiaoyan_db_pool_connections";
/// Idle connections in a database pool, by pool.
pub const POOL_IDLE: &str = "jiaoyan_db_pool_idle_connections";
/// The most connections a database pool opens, by pool.
pub const POOL_MAX: &str = "jiaoyan_db_pool_max_connections";
/// Seconds a quota check took to compute (a kept result missed), by the part of the district.
pub const QUOTA_COMPUTE: &str = "jiaoyan_quota_check_compute_seconds";
/// Quota checks asked for, by whether a kept result held them (`hit`) or not (`miss`).
pub const QUOTA_KEPT: &str = "jiaoyan_quota_check_kept_results_total";
/// Credential attempts refused before any password work, by why.
pub const LOGIN_REFUSALS: &str = "jiaoyan_login_refusals_total";
/// Account locks started by repeated failed logins.
pub const LOGIN_LOCKOUTS: &str = "jiaoyan_login_lockouts_total";
/// Records in one sync request, by resource.
pub const SYNC_BATCH: &str = "jiaoyan_sync_batch_records";
/// Always 1, with the service's version.
pub const BUILD_INFO: &str = "jiaoyan_build_info";

const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
const COMPUTE_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
const BATCH_BUCKETS: &[f64] = &[1.0, 10.0, 100.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0];

/// Why a credential attempt was refused before its credentials were looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    /// The client address ran out of attempts (`JIAOYAN_LOGIN_PER_ADDRESS_PER_MINUTE`).
    AddressThrottle,
    /// The account ran out of attempts (`JIAOYAN_LOGIN_PER_ACCOUNT_PER_MINUTE`).
    AccountThrottle,
    /// The account is locked after repeated failures (`JIAOYAN_LOCKOUT_THRESHOLD`).
    Locked,
}

impl LoginRefusal {
    fn label(self) -> &'static str {
        match self {
            LoginRefusal::AddressThrottle => "address_throttle",
            LoginRefusal::AccountThrottle => "account_throttle",
            LoginRefusal::Locked => "locked",
        }
    }
}

/// One application's registry.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

tokio::task_local! {
    static CURRENT: Arc<Metrics>;
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        let full = |name: &str| Matcher::Full(name.to_string());
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(full(HTTP_DURATION), LATENCY_BUCKETS)
            .and_then(|b| b.set_buckets_for_metric(full(QUOTA_COMPUTE), COMPUTE_BUCKETS))
            .and_then(|b| b.set_buckets_for_metric(full(SYNC_BATCH), BATCH_BUCKETS))
            .expect("the buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        let metrics = Metrics { recorder, handle };
        metrics.record(|| metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0));
        Arc::new(metrics)
    }

    /// Runs `f` with this registry as the recorder of the `metrics` macros.
    fn record(&self, f: impl FnOnce()) {
        metrics::with_local_recorder(&self.recorder, f);
    }

    /// One HTTP request answered; `route` is the route template (`/api/v1/teachers/{id}`).
    pub fn http_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let labels = [("method", method.to_string()), ("route", route.to_string()), ("status", status.to_string())];
        self.record(|| {
            metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
            metrics::histogram!(HTTP_DURATION, &labels).record(elapsed.as_secs_f64());
        });
    }

    /// The usage of a database pool now (set when the metrics are read).
    pub fn pool(&self, pool: &'static str, size: u32, idle: usize, max: u32) {
        self.record(|| {
            metrics::gauge!(POOL_CONNECTIONS, "pool" => pool).set(f64::from(size));
            metrics::gauge!(POOL_IDLE, "pool" => pool).set(idle as f64);
            metrics::gauge!(POOL_MAX, "pool" => pool).set(f64::from(max));
        });
    }

    /// Every series in Prometheus' text exposition format.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// Drains the histograms' samples into their buckets every few seconds, so that a service
    /// nobody scrapes does not keep its samples; stopped with the server.
    pub fn spawn_upkeep(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let metrics = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(5));
            loop {
                tick.tick().await;
                match metrics.upgrade() {
                    Some(metrics) => metrics.handle.run_upkeep(),
                    None => return,
                }
            }
        })
    }
}

/// Runs `future` (a request) with `metrics` as the registry the functions below record into.
pub async fn scope<F: Future>(metrics: Arc<Metrics>, future: F) -> F::Output {
    CURRENT.scope(metrics, future).await
}

/// Records into the current request's registry, if any.
fn in_request(f: impl FnOnce()) {
    let _ = CURRENT.try_with(|metrics| metrics.record(f));
}

/// A quota check asked for: held by a kept result or not.
pub fn quota_check_kept(hit: bool) {
    in_request(|| metrics::counter!(QUOTA_KEPT, "result" => if hit { "hit" } else { "miss" }).increment(1));
}

/// A quota check computed for `within` (`district`, `zone`, `school`) in `elapsed`.
pub fn quota_check_computed(within: &'static str, elapsed: Duration) {
    in_request(|| metrics::histogram!(QUOTA_COMPUTE, "within" => within).record(elapsed.as_secs_f64()));
}

/// A credential attempt refused by a throttle or a lock.
pub fn login_refused(reason: LoginRefusal) {
    in_request(|| metrics::counter!(LOGIN_REFUSALS, "reason" => reason.label()).increment(1));
}

/// An account lock started.
pub fn lockout_started() {
    in_request(|| metrics::counter!(LOGIN_LOCKOUTS).increment(1));
}

/// A sync request carrying `records` records of `resource` (`teachers`, `groups` ...).
pub fn sync_batch(resource: &'static str, records: usize) {
    in_request(|| metrics::histogram!(SYNC_BATCH, "resource" => resource).record(records as f64));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_registry_counts_only_what_was_recorded_in_its_scope() {
        let (a, b) = (Metrics::new(), Metrics::new());
        scope(a.clone(), async { quota_check_kept(true) }).await;
        scope(b.clone(), async { login_refused(LoginRefusal::Locked) }).await;
        lockout_started(); // outside any request: nowhere
        a.http_request("GET", "/api/v1/teachers/{id}", 200, Duration::from_millis(3));
        let (a, b) = (a.render(), b.render());
        assert!(a.contains(r#"jiaoyan_quota_check_kept_results_total{result="hit"} 1"#), "{a}");
        assert!(
            a.contains(r#"route="/api/v1/teachers/{id}""#)
                && a.contains("jiaoyan_http_request_duration_seconds_bucket")
        );
        assert!(!a.contains(LOGIN_REFUSALS) && !a.contains(LOGIN_LOCKOUTS), "{a}");
        assert!(b.contains(r#"jiaoyan_login_refusals_total{reason="locked"} 1"#), "{b}");
        assert!(!b.contains(QUOTA_KEPT) && !b.contains(LOGIN_LOCKOUTS), "{b}");
    }
}
