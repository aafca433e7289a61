//! Command line and environment: every setting has a flag and an environment variable, and is
//! checked before anything listens: one value by its clap `value_parser` ([`checks`]), settings
//! that depend on each other by [`Settings::check`]. [`show`] parses the command line so that an
//! error names the environment variable, and prints the effective configuration
//! (`jiaoyan config`) with secrets masked. docs/DEPLOYMENT.md lists every setting.

use clap::{Args, Parser, Subcommand};

use crate::clock::Clock;

pub mod checks;
pub mod show;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://jiaoyan.db?mode=rwc";

#[derive(Debug, Parser)]
#[command(name = "jiaoyan", version, about = "Jiaoyan (教研): school-based teaching research, as a REST API")]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    /// When the database has no district yet, load the demo district before serving.
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document and exit (no database needed).
    Openapi,
    /// Load the demo district (seeds 000, 001, 004) into the database and print one login per role.
    SeedDemo,
    /// Purge change-feed tombstones older than the retention period and exit (the served
    /// application also does it every hour).
    PruneChanges,
    /// Purge audit entries older than `JIAOYAN_AUDIT_RETENTION_DAYS` and exit (the served
    /// application also does it every hour).
    PruneAudit,
    /// Print the effective configuration (every setting, its value and where it came from:
    /// default, env or flag; secrets masked), then check it and exit.
    Config(show::ConfigArgs),
    /// Write the whole database of `DATABASE_URL` to FILE (gzip'd JSON lines), to move it to
    /// another engine; stop the service first (docs/MOVING.md).
    Export {
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
    /// Load FILE, written by `export`, into the empty database of `DATABASE_URL`, migrating it
    /// first; ids, change versions, the audit trail and the JWT secret are kept (docs/MOVING.md).
    Import {
        #[arg(long = "in", value_name = "FILE")]
        input: std::path::PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "JIAOYAN_ADDR", default_value = "127.0.0.1:8080", global = true, value_parser = checks::addr)]
    pub addr: String,
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true,
          value_parser = checks::database_url)]
    pub database_url: String,
    /// A PostgreSQL streaming replica of `DATABASE_URL` (`postgres://USER@REPLICA/DB`): quota
    /// checks, reports, the change feed and the OneRoster view read from it; everything else,
    /// and every write, uses `DATABASE_URL`. Unset: everything uses `DATABASE_URL`.
    #[arg(long, env = "JIAOYAN_READ_DATABASE_URL", hide_env_values = true, global = true,
          value_parser = parse_read_database_url)]
    pub read_database_url: Option<String>,
    /// Secret that signs access tokens; generated and kept beside the database when unset.
    #[arg(long, env = "JIAOYAN_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,
    /// `username:password` of the district administrator created on first start.
    #[arg(long, env = "JIAOYAN_BOOTSTRAP_ADMIN", hide_env_values = true, global = true)]
    pub bootstrap_admin: Option<String>,
    /// The service's public base URL (`https://jiaoyan.example.edu.cn`, with a path prefix if a
    /// proxy adds one): every absolute URL in an answer (OneRoster `href`s, calendar feed URLs)
    /// starts with it, never with the request's `Host`. Default: `http://` and the bound address.
    #[arg(long, env = "JIAOYAN_PUBLIC_URL", global = true, value_parser = checks::public_url)]
    pub public_url: Option<String>,
    /// Comma-separated browser origins allowed by CORS (`*` allows any).
    #[arg(long, env = "JIAOYAN_CORS_ORIGINS", value_delimiter = ',', global = true, value_parser = checks::cors_origin)]
    pub cors_origins: Vec<String>,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "JIAOYAN_MAX_BODY_BYTES", default_value_t = 1 << 20, global = true,
          value_parser = checks::positive::<usize>)]
    pub max_body_bytes: usize,
    /// Largest accepted body of a bulk sync request (`PUT /sync/...`, the CSV import), in bytes.
    #[arg(long, env = "JIAOYAN_MAX_SYNC_BODY_BYTES", default_value_t = 16 << 20, global = true,
          value_parser = checks::positive::<usize>)]
    pub max_sync_body_bytes: usize,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "JIAOYAN_ACCESS_TOKEN_TTL", default_value_t = 900, global = true,
          value_parser = checks::positive::<i64>)]
    pub access_token_ttl: i64,
    /// Lifetime of a refresh token, in seconds.
    #[arg(long, env = "JIAOYAN_REFRESH_TOKEN_TTL", default_value_t = 30 * 24 * 3600, global = true,
          value_parser = checks::positive::<i64>)]
    pub refresh_token_ttl: i64,
    /// Password of the demo accounts (random when unset; printed either way).
    #[arg(long, env = "JIAOYAN_DEMO_PASSWORD", hide_env_values = true, global = true)]
    pub demo_password: Option<String>,
    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "JIAOYAN_WORKERS", global = true, value_parser = checks::workers)]
    pub workers: Option<usize>,
    /// Log filter, in `tracing_subscriber::EnvFilter` syntax.
    #[arg(long, env = "JIAOYAN_LOG", default_value = "info", global = true, value_parser = checks::log_filter)]
    pub log: String,
    /// Days a change-feed tombstone (an archived or removed resource) is kept; a client that last
    /// read the feed longer ago must pull it whole again.
    #[arg(long, env = "JIAOYAN_CHANGE_RETENTION_DAYS", default_value_t = 90,
          value_parser = clap::value_parser!(u32).range(1..=36_500), global = true)]
    pub change_retention_days: u32,
    /// Memory for computed quota checks kept between requests, in MiB (a district of 6,000
    /// teachers under 42 rules takes about 20); 0 keeps none.
    #[arg(long, env = "JIAOYAN_CHECK_CACHE_MB", default_value_t = 128,
          value_parser = clap::value_parser!(u64).range(0..=65_536), global = true)]
    pub check_cache_mb: u64,
    /// Days an audit entry is kept (then purged hourly).
    #[arg(long, env = "JIAOYAN_AUDIT_RETENTION_DAYS", default_value_t = 1825,
          value_parser = clap::value_parser!(u32).range(1..=36_500), global = true)]
    pub audit_retention_days: u32,
    /// Answer every request with `X-Statement-Count`, the number of database statements it ran
    /// (for tests and benchmarks; see docs/PERFORMANCE.md).
    #[arg(long, env = "JIAOYAN_COUNT_STATEMENTS", global = true)]
    pub count_statements: bool,
    /// Run on this school date (`2026-03-16`) instead of the system's, at the system's time of
    /// day (for demos and tests; see docs/API-DESIGN.md, "The clock"). Unset: the system clock.
    #[arg(long = "today", env = "JIAOYAN_TODAY", value_name = "YYYY-MM-DD", value_parser = Clock::parse_today,
          global = true)]
    pub clock: Option<Clock>,
    #[command(flatten)]
    pub logins: LoginSettings,
    /// Seconds a stopping service (SIGTERM, SIGINT) gives the requests in flight to finish
    /// before it closes their connections (docs/DEPLOYMENT.md, "Shutdown").
    #[arg(long, env = "JIAOYAN_SHUTDOWN_GRACE_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(0..=3600), global = true)]
    pub shutdown_grace_seconds: u64,
    /// Log lines as human-readable text (`text`) or as JSON objects, one a line (`json`).
    #[arg(long, env = "JIAOYAN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// When set, `/metrics` answers only requests carrying `Authorization: Bearer <this token>`.
    #[arg(long, env = "JIAOYAN_METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,
    /// Comma-separated addresses and networks (`10.0.0.0/8`) whose requests `/metrics` answers;
    /// `0.0.0.0/0,::/0` for any (then set `JIAOYAN_METRICS_TOKEN`).
    #[arg(long, env = "JIAOYAN_METRICS_ALLOW", value_delimiter = ',', default_value = "127.0.0.1,::1",
          value_parser = parse_network, global = true)]
    pub metrics_allow: Vec<ipnet::IpNet>,
    #[command(flatten)]
    pub alerts: AlertSettings,
}

/// `JIAOYAN_LOG_FORMAT`: how log lines are written (docs/OPERATIONS.md, "Logs").
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line, for log pipelines.
    Json,
}

/// Throttling and lockout of the credential endpoints (`/auth/login`, `/auth/refresh`,
/// `/oauth/token`); see docs/LOGINS.md.
#[derive(Debug, Clone, Args)]
pub struct LoginSettings {
    /// Attempts per minute from one client address at the credential endpoints together (a
    /// burst of as many, refilled evenly over the minute).
    #[arg(long, env = "JIAOYAN_LOGIN_PER_ADDRESS_PER_MINUTE", default_value_t = 60,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub per_address_per_minute: u32,
    /// Attempts per minute for one account (a username, a client_id, a refresh token's user).
    #[arg(long, env = "JIAOYAN_LOGIN_PER_ACCOUNT_PER_MINUTE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub per_account_per_minute: u32,
    /// Consecutive failed logins that lock an account (0: never lock).
    #[arg(long, env = "JIAOYAN_LOCKOUT_THRESHOLD", default_value_t = 10, global = true)]
    pub lockout_threshold: u32,
    /// Minutes of the first lock; each further lock without a success in between lasts twice as
    /// long, up to a day.
    #[arg(long, env = "JIAOYAN_LOCKOUT_MINUTES", default_value_t = 15,
          value_parser = clap::value_parser!(u32).range(1..=1440), global = true)]
    pub lockout_minutes: u32,
}

/// Alerts to people: the delivery worker and the scheduler (docs/ALERTS.md).
#[derive(Debug, Clone, Args)]
pub struct AlertSettings {
    /// Allow `http://127.0.0.1:PORT/...` as an alert URL (for tests and local receivers); every
    /// other URL must be HTTPS to a public host.
    #[arg(long, env = "JIAOYAN_ALERTS_ALLOW_HTTP_LOCALHOST", global = true)]
    pub allow_http_localhost: bool,
    /// Milliseconds between the delivery worker's looks at the outbox when it found nothing.
    #[arg(long, env = "JIAOYAN_ALERTS_POLL_MS", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..=3_600_000), global = true)]
    pub poll_ms: u64,
    /// Milliseconds a delivery may take (connect, send, answer) before it counts as failed.
    #[arg(long, env = "JIAOYAN_ALERTS_TIMEOUT_MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..=600_000), global = true)]
    pub timeout_ms: u64,
    /// Milliseconds before the first retry; each further retry waits twice as long (with jitter),
    /// at most an hour.
    #[arg(long, env = "JIAOYAN_ALERTS_BACKOFF_BASE_MS", default_value_t = 30_000,
          value_parser = clap::value_parser!(u64).range(1..=3_600_000), global = true)]
    pub backoff_base_ms: u64,
    /// Attempts before a message is marked dead.
    #[arg(long, env = "JIAOYAN_ALERTS_MAX_ATTEMPTS", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=100), global = true)]
    pub max_attempts: u32,
    /// Milliseconds between the scheduler's ticks (the weekly digest, deadlines coming, overdue
    /// summaries); 0 runs no scheduler.
    #[arg(long, env = "JIAOYAN_ALERTS_TICK_MS", default_value_t = 300_000, global = true)]
    pub tick_ms: u64,
    /// Days ahead that "deadlines coming" looks (record tasks, preparation drafts, summaries).
    #[arg(long, env = "JIAOYAN_ALERTS_DEADLINE_DAYS", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=60), global = true)]
    pub deadline_days: u32,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            allow_http_localhost: false,
            poll_ms: 1000,
            timeout_ms: 10_000,
            backoff_base_ms: 30_000,
            max_attempts: 8,
            tick_ms: 300_000,
            deadline_days: 3,
        }
    }
}

impl Default for LoginSettings {
    fn default() -> Self {
        LoginSettings {
            per_address_per_minute: 60,
            per_account_per_minute: 10,
            lockout_threshold: 10,
            lockout_minutes: 15,
        }
    }
}

/// `JIAOYAN_READ_DATABASE_URL`: a PostgreSQL URL (a replica is PostgreSQL's; SQLite has none).
fn parse_read_database_url(url: &str) -> Result<String, String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(url.to_string())
    } else {
        Err("must be a PostgreSQL URL (postgres://USER@HOST/DB): read replicas are PostgreSQL's".into())
    }
}

/// `JIAOYAN_METRICS_ALLOW`'s entries: an address (`127.0.0.1`, `::1`) or a network
/// (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_network(entry: &str) -> Result<ipnet::IpNet, String> {
    let entry = entry.trim();
    entry
        .parse::<ipnet::IpNet>()
        .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{entry:?} is neither an IP address nor a network such as 10.0.0.0/8"))
}

impl Settings {
    /// Whether the settings agree with each other and the secrets are well formed (checked at
    /// start, before anything listens); the error lists every problem, one a line, each naming
    /// its environment variable and flag ([`checks::problems`]).
    pub fn check(&self) -> anyhow::Result<()> {
        let problems = checks::problems(self);
        anyhow::ensure!(problems.is_empty(), "{}", problems.join("\n"));
        Ok(())
    }

    /// The public base URL without a trailing `/`, as [`crate::links::resolve`] settled it when
    /// the server was built (empty before).
    pub fn public_base(&self) -> &str {
        self.public_url.as_deref().unwrap_or("")
    }

    /// The service's clock: the fixed date of `JIAOYAN_TODAY`, or the system's.
    pub fn clock(&self) -> Clock {
        self.clock.clone().unwrap_or_default()
    }

    /// Defaults for a given database, ignoring the environment (used by tests and tools).
    pub fn for_database(database_url: &str) -> Settings {
        Settings {
            addr: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            read_database_url: None,
            jwt_secret: None,
            bootstrap_admin: None,
            public_url: None,
            cors_origins: Vec::new(),
            max_body_bytes: 1 << 20,
            max_sync_body_bytes: 16 << 20,
            access_token_ttl: 900,
            refresh_token_ttl: 30 * 24 * 3600,
            demo_password: None,
            workers: Some(1),
            log: "warn".into(),
            change_retention_days: 90,
            check_cache_mb: 128,
            logins: LoginSettings::default(),
            audit_retention_days: 1825,
            count_statements: false,
            clock: None,
            shutdown_grace_seconds: 30,
            log_format: LogFormat::Text,
            metrics_token: None,
            metrics_allow: ["127.0.0.1", "::1"].iter().filter_map(|a| parse_network(a).ok()).collect(),
            alerts: AlertSettings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_database_is_a_postgresql_replica_of_a_postgresql_primary() {
        assert!(parse_read_database_url("postgres://u@replica/j").is_ok());
        assert!(parse_read_database_url("postgresql://u@replica/j").is_ok());
        assert!(parse_read_database_url("sqlite://j.db?mode=rwc").is_err());
        let mut settings = Settings::for_database("sqlite://j.db?mode=rwc");
        assert!(settings.check().is_ok());
        settings.read_database_url = Some("postgres://u@replica/j".into());
        assert!(settings.check().is_err(), "a SQLite primary has no replica");
        settings.database_url = "postgres://u@primary/j".into();
        assert!(settings.check().is_ok());
    }

    #[test]
    fn the_metrics_allow_list_takes_addresses_and_networks() {
        assert_eq!(parse_network("127.0.0.1").unwrap(), "127.0.0.1/32".parse::<ipnet::IpNet>().unwrap());
        assert_eq!(parse_network(" ::1 ").unwrap(), "::1/128".parse::<ipnet::IpNet>().unwrap());
        assert!(parse_network("10.0.0.0/8").is_ok());
        assert!(parse_network("localhost").is_err() && parse_network("10.0.0.0/33").is_err());
        assert_eq!(Settings::for_database("sqlite://j.db").metrics_allow.len(), 2, "loopback only by default");
    }
}
