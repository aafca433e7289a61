//! The delivery worker: a background task of the served application that claims due outbox rows,
//! POSTs each to its subscription's URL and records the outcome.
//!
//! A claim sets the row's lease (`lease_until_ms`: now + the delivery timeout + a margin) and
//! counts the attempt, in one statement; on PostgreSQL its `FOR UPDATE SKIP LOCKED` lets
//! several replicas claim side by side without taking the same row, and SQLite serves one
//! process. The outcome is written only while the lease is still this worker's. A process killed
//! mid-delivery leaves the row pending with its lease: when the lease runs out any worker claims
//! it again and sends it with the same idempotency key. A message is therefore delivered at
//! least once and never dropped; after a 2xx (and for robots `errcode` 0) it is marked
//! delivered and never sent again. Failures are retried with exponential backoff and jitter
//! ([`super::rules::backoff_ms`]) until `JIAOYAN_ALERTS_MAX_ATTEMPTS`, then the row is dead.

use std::sync::Arc;
use std::time::{Duration, Instant};

use entities::{alert_delivery, alert_outbox, alert_subscription};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set, Statement,
};

use super::channels::{judge, outgoing, Message, Target};
use super::outbox::{now_ms, DEAD, DELIVERED, PENDING};
use super::rules::{backoff_ms, check_url, AlertChannel, MessageType};
use crate::config::AlertSettings;
use crate::domain::DomainResult;

/// Rows claimed at once.
const BATCH: i64 = 16;
/// What a lease adds to the delivery timeout.
const LEASE_MARGIN_MS: i64 = 1000;

/// The worker's HTTP client and settings.
#[derive(Clone)]
pub struct Deliverer {
    client: reqwest::Client,
    settings: AlertSettings,
}

impl Deliverer {
    pub fn new(settings: &AlertSettings) -> anyhow::Result<Deliverer> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.timeout_ms))
            .connect_timeout(Duration::from_millis(settings.timeout_ms))
            // A redirect could lead anywhere, a private address included: never followed.
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(super::resolve::PublicOnly))
            .user_agent(concat!("Jiaoyan-Alerts/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Deliverer { client, settings: settings.clone() })
    }

    fn lease_ms(&self) -> i64 {
        self.settings.timeout_ms as i64 + LEASE_MARGIN_MS
    }
}

/// Runs the worker until the application stops: claim, deliver, and when nothing was due wait
/// `JIAOYAN_ALERTS_POLL_MS`.
pub fn spawn(db: DatabaseConnection, settings: &AlertSettings) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let deliverer = Deliverer::new(settings)?;
    let poll = Duration::from_millis(settings.poll_ms);
    Ok(tokio::spawn(async move {
        loop {
            match run_once(&db, &deliverer).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "alerts: the delivery worker failed a round"),
            }
            tokio::time::sleep(poll).await;
        }
    }))
}

/// Claims the due rows and delivers them side by side; returns how many were claimed.
pub async fn run_once(db: &DatabaseConnection, deliverer: &Deliverer) -> DomainResult<usize> {
    let claimed = claim(db, now_ms(), deliverer.lease_ms()).await?;
    let count = claimed.len();
    let deliveries = claimed.into_iter().map(|row| deliver(db, deliverer, row));
    for result in futures_util::future::join_all(deliveries).await {
        if let Err(e) = result {
            tracing::warn!(error = %e, "alerts: recording a delivery failed");
        }
    }
    Ok(count)
}

/// Claims up to [`BATCH`] due rows whose lease (if any) has run out: leases them until
/// `now + lease_ms` and counts the attempt.
async fn claim(db: &DatabaseConnection, now: i64, lease_ms: i64) -> DomainResult<Vec<alert_outbox::Model>> {
    use alert_outbox::Column as C;
    // A read first: an idle outbox costs no write transaction (SQLite's one writer stays free).
    let due = alert_outbox::Entity::find()
        .filter(C::Status.eq(PENDING))
        .filter(C::DueAtMs.lte(now))
        .filter(sea_orm::Condition::any().add(C::LeaseUntilMs.is_null()).add(C::LeaseUntilMs.lte(now)))
        .count(db)
        .await?;
    if due == 0 {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let (p, lock) = match backend {
        DatabaseBackend::Postgres => (["$1", "$2", "$3"], " FOR UPDATE SKIP LOCKED"),
        _ => (["?1", "?2", "?3"], ""),
    };
    let sql = format!(
        "UPDATE alert_outbox SET lease_until_ms = {lease}, attempts = attempts + 1 \
          WHERE id IN (SELECT id FROM alert_outbox WHERE status = '{PENDING}' AND due_at_ms <= {now} \
                         AND (lease_until_ms IS NULL OR lease_until_ms <= {now}) \
                       ORDER BY due_at_ms, id LIMIT {limit}{lock}) \
          RETURNING *",
        lease = p[0],
        now = p[1],
        limit = p[2],
    );
    let txn = crate::db::begin_write(db).await?;
    let statement = Statement::from_sql_and_values(backend, sql, [(now + lease_ms).into(), now.into(), BATCH.into()]);
    let rows = alert_outbox::Entity::find().from_raw_sql(statement).all(&txn).await?;
    txn.commit().await?;
    Ok(rows)
}

/// What one attempt came to.
struct Attempt {
    /// No retry can help (the subscription was removed): the message dies now.
    hopeless: bool,
    http_status: Option<i32>,
    result: Result<(), String>,
    duration_ms: i64,
}

async fn deliver(db: &DatabaseConnection, deliverer: &Deliverer, row: alert_outbox::Model) -> DomainResult<()> {
    let subscription = alert_subscription::Entity::find_by_id(row.subscription_id).one(db).await?;
    let attempt = match subscription.filter(|s| s.archived_at.is_none()) {
        None => Attempt {
            hopeless: true,
            http_status: None,
            result: Err("the subscription was removed".into()),
            duration_ms: 0,
        },
        Some(s) => send(deliverer, &s, &row).await,
    };
    record(db, deliverer, &row, attempt).await
}

/// POSTs the message to the subscription's URL.
async fn send(deliverer: &Deliverer, s: &alert_subscription::Model, row: &alert_outbox::Model) -> Attempt {
    let started = Instant::now();
    let elapsed = |started: Instant| started.elapsed().as_millis() as i64;
    let channel = AlertChannel::parse(&s.channel).unwrap_or(AlertChannel::Webhook);
    if let Err(e) = check_url(&s.url, channel, deliverer.settings.allow_http_localhost) {
        let result = Err(format!("url {}", e.message));
        return Attempt { hopeless: false, http_status: None, result, duration_ms: 0 };
    }
    let target =
        Target { channel, message_type: MessageType::parse(&s.message_type), url: &s.url, secret: s.secret.as_deref() };
    let data = serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null);
    let message =
        Message { key: &row.idempotency_key, kind: &row.event_kind, title: &row.title, body: &row.body, data };
    let request = outgoing(&target, &message, now_ms());
    let mut builder = deliverer.client.post(&request.url).body(request.body);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    match builder.send().await {
        Err(e) => {
            Attempt { hopeless: false, http_status: None, result: Err(describe(&e)), duration_ms: elapsed(started) }
        }
        Ok(response) => {
            let status = response.status().as_u16();
            let body = response.bytes().await.map(|b| b.to_vec());
            let result = match body {
                Ok(body) => judge(channel, status, &body),
                Err(e) => Err(describe(&e)),
            };
            Attempt { hopeless: false, http_status: Some(i32::from(status)), result, duration_ms: elapsed(started) }
        }
    }
}

/// An error of the HTTP client, without the URL (which holds a robot's key).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_redirect() {
        "redirected (not followed)"
    } else {
        "request failed"
    };
    let source = std::error::Error::source(e).map(|s| format!(": {s}")).unwrap_or_default();
    format!("{what}{source}").chars().take(300).collect()
}

/// Writes the attempt to the log and the row's new state, if the lease is still ours.
async fn record(
    db: &DatabaseConnection,
    deliverer: &Deliverer,
    row: &alert_outbox::Model,
    attempt: Attempt,
) -> DomainResult<()> {
    use alert_outbox::Column as C;
    let at = chrono::Utc::now();
    let (outcome, status) = match &attempt.result {
        Ok(()) => (DELIVERED, DELIVERED),
        Err(_) if attempt.hopeless || row.attempts >= deliverer.settings.max_attempts as i32 => (DEAD, DEAD),
        Err(_) => ("failed", PENDING),
    };
    let error = attempt.result.as_ref().err().cloned();
    let jitter: f64 = rand::random();
    let retry_at = now_ms() + backoff_ms(deliverer.settings.backoff_base_ms, row.attempts.max(1) as u32, jitter) as i64;
    let txn = crate::db::begin_write(db).await?;
    let updated = alert_outbox::Entity::update_many()
        .col_expr(C::Status, status.into())
        .col_expr(C::LeaseUntilMs, Option::<i64>::None.into())
        .col_expr(C::DueAtMs, if status == PENDING { retry_at } else { row.due_at_ms }.into())
        .col_expr(C::LastError, error.clone().into())
        .col_expr(C::DeliveredAt, (status == DELIVERED).then_some(at).into())
        .col_expr(C::UpdatedAt, at.into())
        .filter(C::Id.eq(row.id))
        .filter(C::LeaseUntilMs.eq(row.lease_until_ms))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 1 {
        alert_delivery::Entity::insert(alert_delivery::ActiveModel {
            outbox_id: Set(row.id),
            subscription_id: Set(row.subscription_id),
            attempt: Set(row.attempts),
            outcome: Set(outcome.to_string()),
            http_status: Set(attempt.http_status),
            error: Set(error),
            duration_ms: Set(attempt.duration_ms),
            at: Set(at),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
