//! Building and running the HTTP server.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{web, App, HttpResponse, HttpServer, ResponseError};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::auth::{bootstrap, secret, tokens::JwtKeys};
use crate::config::Settings;
use crate::error::ApiError;
use crate::extract::{path_config, BodyLimit, SyncBodyLimit};
use crate::quota::checks::cache::CheckCache;
use crate::state::{AppState, Services};
use crate::{db, openapi, routes};

/// Connects, migrates and makes sure there is someone who can log in.
///
/// On PostgreSQL it does so under a lock of the database ([`db::start_lock`]): service replicas
/// started at once on one database migrate and bootstrap one after the other.
pub async fn prepare_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    settings.check()?;
    let db = db::connect(&settings.database_url).await?;
    let lock = db::start_lock(&settings.database_url).await?;
    db::migrate(&db).await?;
    bootstrap::ensure_admin(&db, settings.bootstrap_admin.as_deref()).await?;
    db::release_start_lock(lock).await?;
    Ok(db)
}

/// A bound, not yet running server.
pub struct Application {
    server: Server,
    port: u16,
    /// The hourly purge of old change-feed tombstones, stopped with the server.
    retention: tokio::task::JoinHandle<()>,
    /// The hourly purge of old audit entries.
    audit_retention: tokio::task::JoinHandle<()>,
    /// `JIAOYAN_SHUTDOWN_GRACE_SECONDS`: how long a stop waits for the requests in flight.
    grace_seconds: u64,
    /// The upkeep of the metrics' histograms.
    metrics_upkeep: tokio::task::JoinHandle<()>,
    /// The alerts' delivery worker and scheduler (docs/ALERTS.md).
    alerts: Vec<tokio::task::JoinHandle<()>>,
}

/// How many HTTP worker threads to run: the configured number, else one per CPU core — but on
/// SQLite one fewer (at least one), because there the database's own work (parsing, B-trees,
/// the WAL) runs in this process, on the driver's threads, and a core kept for it serves more
/// than a third worker competing with it (docs/PERFORMANCE.md, "Worker threads").
pub fn http_workers(configured: Option<usize>, sqlite: bool) -> usize {
    if let Some(n) = configured {
        return n.max(1);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if sqlite {
        cores.saturating_sub(1).max(1)
    } else {
        cores
    }
}

impl Application {
    pub async fn build(mut settings: Settings, mut db: DatabaseConnection) -> anyhow::Result<Application> {
        settings.check()?;
        let count_statements = settings.count_statements;
        if count_statements {
            crate::statement_count::install(&mut db);
        }
        let secret = secret::resolve_shared(settings.jwt_secret.as_deref(), &settings.database_url, &db).await?;
        let read_db = db::connect_reads(&db, settings.read_database_url.as_deref()).await?;
        let listener = TcpListener::bind(&settings.addr)?;
        let port = listener.local_addr()?.port();
        settings.public_url = Some(crate::links::resolve(settings.public_url.as_deref(), listener.local_addr()?)?);
        let body_limit = web::Data::new(BodyLimit(settings.max_body_bytes));
        let sync_body_limit = web::Data::new(SyncBodyLimit(settings.max_sync_body_bytes));
        let cors_origins = settings.cors_origins.clone();
        let workers = settings.workers;
        let grace_seconds = settings.shutdown_grace_seconds;
        let clock = web::Data::new(settings.clock());
        let retention = crate::feed::retention::spawn_hourly(db.clone(), settings.change_retention_days);
        let audit_retention = crate::audit::retention::spawn_hourly(db.clone(), settings.audit_retention_days);
        let checks = CheckCache::new(settings.check_cache_mb);
        let logins = crate::auth::throttle::LoginGuard::new(&settings.logins);
        let metrics = crate::telemetry::Metrics::new();
        let metrics_upkeep = metrics.spawn_upkeep();
        let services = Services::default().with(checks).with(metrics);
        let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
        let state = web::Data::new(AppState { db, read_db, keys: JwtKeys::new(&secret), settings, services, logins });
        let alerts = crate::alerts::start(state.clone())?;
        // The document is served as the bytes it serialises to, made once: each worker would
        // otherwise keep a copy of the whole structure (about 15 MB) to serialise it per request.
        let spec = web::Bytes::from(serde_json::to_vec(&openapi::spec())?);
        let mut server = HttpServer::new(move || {
            let document = spec.clone();
            App::new()
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
                .app_data(state.clone())
                .app_data(body_limit.clone())
                .app_data(sync_body_limit.clone())
                .app_data(path_config())
                .app_data(clock.clone())
                .wrap(actix_web::middleware::from_fn(crate::conditional::etags))
                .wrap(actix_web::middleware::from_fn(crate::extract::utf8::refuse_invalid_utf8))
                .wrap(actix_web::middleware::from_fn(crate::audit::context::capture))
                .wrap(actix_web::middleware::Condition::new(
                    count_statements,
                    actix_web::middleware::from_fn(crate::statement_count::count),
                ))
                .wrap(cors(&cors_origins))
                .wrap(actix_web::middleware::from_fn(crate::clock::on_service_clock))
                .wrap(TracingLogger::<crate::logging::RedactedRequestSpan>::new())
                .wrap(actix_web::middleware::from_fn(crate::observe::observe))
                .service(SwaggerUi::new("/swagger-ui/{_:.*}").config(SwaggerConfig::new([openapi::DOCUMENT_PATH])))
                .route(openapi::DOCUMENT_PATH, web::get().to(move || std::future::ready(openapi::document(&document))))
                .route(
                    "/",
                    web::get().to(|| async {
                        HttpResponse::Found().insert_header((header::LOCATION, "/swagger-ui/")).finish()
                    }),
                )
                .default_service(web::to(|| async { ApiError::NotFound("no such route".into()).error_response() }))
        });
        // The service stops on its own signal handling (`run_until_signalled`): actix's would stop
        // at once on SIGINT, and would catch the signals of test processes serving in-process.
        server = server.workers(http_workers(workers, sqlite)).shutdown_timeout(grace_seconds).disable_signals();
        let server = server.listen(listener)?.run();
        Ok(Application { server, port, retention, audit_retention, metrics_upkeep, grace_seconds, alerts })
    }

    /// A handle to stop the server (tests stop theirs when they end).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the server is stopped through its [`handle`](Self::handle), then stops
    /// the background tasks (waiting for them to let go of the database).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let tasks = [self.retention, self.audit_retention, self.metrics_upkeep].into_iter().chain(self.alerts);
        for task in tasks {
            task.abort();
            let _ = task.await;
        }
        result
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: stops accepting connections
    /// at once, lets the requests in flight finish for up to the grace period (then closes
    /// their connections), and stops the background tasks. The caller closes the database.
    pub async fn run_until_signalled(self, mut signals: crate::shutdown::StopSignals) -> std::io::Result<()> {
        let handle = self.handle();
        let grace = std::time::Duration::from_secs(self.grace_seconds);
        let stopped_at = std::sync::Arc::new(std::sync::OnceLock::new());
        let stopping = stopped_at.clone();
        let watcher = tokio::spawn(async move {
            let signal = signals.next().await;
            let _ = stopping.set(std::time::Instant::now());
            tracing::info!(
                signal,
                grace_seconds = grace.as_secs(),
                "shutting down: no new connections; finishing the requests in flight"
            );
            drop(handle.stop(true));
            let again = signals.next().await;
            tracing::warn!(signal = again, "second stop signal: exiting without waiting");
            std::process::exit(1);
        });
        let result = self.run_until_stopped().await;
        watcher.abort();
        match stopped_at.get() {
            Some(at) if at.elapsed() >= grace => {
                tracing::warn!("the grace period ran out: the connections still open were closed")
            }
            _ => tracing::info!("every request in flight finished; background tasks stopped"),
        }
        result
    }
}

/// Browser front ends on other origins may call the API when their origin is configured.
fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            crate::observe::REQUEST_ID_HEADER,
        ])
        .expose_headers([
            header::LOCATION,
            header::ETAG,
            header::LINK,
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-total-count"),
            crate::observe::REQUEST_ID_HEADER,
        ])
        .max_age(3600);
    for origin in origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        cors = if origin == "*" { cors.allow_any_origin() } else { cors.allowed_origin(origin) };
    }
    cors
}

#[cfg(test)]
mod tests {
    use super::http_workers;

    #[test]
    fn a_configured_worker_count_wins_and_sqlite_leaves_a_core_to_its_driver() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(http_workers(Some(3), true), 3);
        assert_eq!(http_workers(Some(0), false), 1);
        assert_eq!(http_workers(None, false), cores);
        assert_eq!(http_workers(None, true), cores.saturating_sub(1).max(1));
    }
}
