//! The black-box test harness: [`TestApp`] starts the real service on a fresh database (SQLite
//! file or PostgreSQL database) on a free port, and drives it over HTTP. [`fixtures`] builds a
//! small world (a district with two schools and an account per role) straight in the database.
//!
//! Every test runs on both engines through [`on_both_backends!`]. PostgreSQL comes from
//! `JIAOYAN_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`); when it does not
//! answer, the PostgreSQL tests fail, they are never skipped.
//!
//! The test process hashes passwords with argon2's minimum parameters
//! (`JIAOYAN_TEST_CHEAP_HASHING`, read by `api::auth::password`); the services' logs are printed
//! only when `TEST_LOG` is set ([`logs`]). A test that needs a given day or time starts its
//! service on a [`Clock`] of its own ([`TestApp::spawn_with`], `on_both_backends!(configure =
//! ...)`) and keeps it in [`TestApp::clock`].

pub mod clients;
pub mod fixtures;
pub mod logs;
pub mod receiver;
mod templates;

use std::path::PathBuf;

use api::app::{prepare_database, Application};
pub use api::clock::Clock;
use api::config::Settings;
use reqwest::Method;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;

pub use serde_json::json;

/// The password of the installation-wide administrator every test app starts with.
pub const ROOT_PASSWORD: &str = "Root-Tq7#mZ2!vR9x-tests";
/// The password of every account the fixtures create.
pub const PASSWORD: &str = "Fixture-Kp7#xq2!-tests";
/// The password of the demo accounts in [`TestApp::spawn_demo`]'s database.
pub const DEMO_PASSWORD: &str = "Demo-Lq4$wN8@pe-1234";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running service on its own database.
pub struct TestApp {
    pub base_url: String,
    pub client: reqwest::Client,
    /// A connection to the same database, for fixtures and for asserting what was stored.
    pub db: DatabaseConnection,
    pub backend: Backend,
    /// The service's clock (the system's unless the test's settings chose another).
    pub clock: Clock,
    /// What seeding the demo district created, when the app was started by [`TestApp::spawn_demo`].
    pub demo: Option<api::demo::DemoSummary>,
    root_token: std::sync::OnceLock<String>,
    handle: actix_web::dev::ServerHandle,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

/// What a call returned.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    /// The body as JSON (`Value::Null` when empty, a string when not JSON).
    pub body: Value,
}

impl Resp {
    /// A response header as text (empty when absent).
    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }

    pub fn content_type(&self) -> String {
        self.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }

    /// The `errors[].field` names of a problem body.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e["field"].as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// Panics with the body unless the status is `expected`.
    #[track_caller]
    pub fn expect(self, expected: u16) -> Resp {
        assert_eq!(self.status, expected, "unexpected status; body: {}", self.body);
        self
    }

    /// The ids of a list response's items.
    pub fn ids(&self) -> Vec<i64> {
        self.body["items"]
            .as_array()
            .map(|items| items.iter().filter_map(|i| i["id"].as_i64()).collect())
            .unwrap_or_default()
    }
}

fn pg_admin_url() -> String {
    std::env::var("JIAOYAN_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Test databases are named `jiaoyan_t_<pid>_<random>`, so that leftovers of a killed run can
/// be told from the databases of a run still going (see `templates`).
pub(crate) const TEST_DATABASE_PREFIX: &str = "jiaoyan_t_";

fn unique_name() -> String {
    use rand::Rng;
    format!("{TEST_DATABASE_PREFIX}{}_{:08x}", std::process::id(), rand::rng().random::<u32>())
}

/// Once per test process, before the first service starts: cheap password hashing (see the
/// module comment), and the log printed when `TEST_LOG` is set.
fn prepare_process() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::env::set_var("JIAOYAN_TEST_CHEAP_HASHING", "1");
        if logs::printing() {
            logs::capture();
        }
    });
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with settings changed by `configure` first.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        Self::start(backend, false, configure).await
    }

    /// Like [`TestApp::spawn`], on a copy of a database with the demo district seeded (by
    /// `api::demo::seed`, accounts with [`DEMO_PASSWORD`]); [`TestApp::demo`] says what is there.
    pub async fn spawn_demo(backend: Backend) -> TestApp {
        Self::start(backend, true, |_| {}).await
    }

    /// Like [`TestApp::spawn_demo`], with settings changed by `configure` first.
    pub async fn spawn_demo_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        Self::start(backend, true, configure).await
    }

    async fn start(backend: Backend, demo: bool, configure: impl FnOnce(&mut Settings)) -> TestApp {
        prepare_process();
        let name = unique_name();
        let mut seeded = None;
        let (database_url, cleanup) = match backend {
            Backend::Sqlite => {
                let template = match demo {
                    false => templates::sqlite().await,
                    true => {
                        let (path, summary) = templates::sqlite_demo().await;
                        seeded = Some(summary.clone());
                        path.as_path()
                    }
                };
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).expect("temp dir");
                std::fs::copy(template, dir.join("test.db")).expect("copy the template");
                (format!("sqlite://{}/test.db?mode=rwc", dir.display()), Cleanup::SqliteDir(dir))
            }
            Backend::Postgres => {
                let admin_url = pg_admin_url();
                let template = match demo {
                    false => templates::postgres(&admin_url).await,
                    true => {
                        let (template, summary) = templates::postgres_demo(&admin_url).await;
                        seeded = Some(summary.clone());
                        template.as_str()
                    }
                };
                templates::create_postgres_database(&admin_url, &name, template).await;
                let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
                (format!("{base}/{name}"), Cleanup::PostgresDatabase { admin_url, name })
            }
        };
        let mut settings = Settings::for_database(&database_url);
        settings.jwt_secret = Some("a-test-secret-of-at-least-32-bytes!!".into());
        settings.bootstrap_admin = Some(format!("root:{ROOT_PASSWORD}"));
        // Tests log in very often from 127.0.0.1: no throttling or lockout unless a test (in
        // `logins.rs`) asks for tight limits.
        settings.logins.per_address_per_minute = 1_000_000;
        settings.logins.per_account_per_minute = 1_000_000;
        settings.logins.lockout_threshold = 0;
        configure(&mut settings);
        let clock = settings.clock();
        let db = prepare_database(&settings).await.expect("database prepared");
        let app = Application::build(settings, db.clone()).await.expect("server built");
        let port = app.port();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base_url: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
            db,
            backend,
            clock,
            demo: seeded,
            root_token: std::sync::OnceLock::new(),
            handle,
            cleanup,
        }
    }

    /// Sends a request; `body` is sent as JSON.
    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        let mut request =
            self.client.request(Method::from_bytes(method.as_bytes()).unwrap(), format!("{}{}", self.base_url, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        Self::read(response).await
    }

    /// Sends a request with extra headers (`If-Match`, `If-None-Match` ...); `body` as JSON.
    pub async fn call_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut request =
            self.client.request(Method::from_bytes(method.as_bytes()).unwrap(), format!("{}{}", self.base_url, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        Self::read(request.send().await.expect("request sent")).await
    }

    /// Sends raw bytes with a content type (for malformed and oversized bodies).
    pub async fn call_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Resp {
        let mut request = self
            .client
            .request(Method::from_bytes(method.as_bytes()).unwrap(), format!("{}{}", self.base_url, path))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::read(request.send().await.expect("request sent")).await
    }

    /// Every response of every test passes through here: none may be a 5xx, whatever the input.
    async fn read(response: reqwest::Response) -> Resp {
        let status = response.status().as_u16();
        let url = response.url().to_string();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body read");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        assert!(status < 500, "{url} answered {status}: {body}");
        Resp { status, headers, body }
    }

    pub async fn get(&self, token: &str, path: &str) -> Resp {
        self.call("GET", path, Some(token), None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> Resp {
        self.call("POST", path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: Value) -> Resp {
        self.call("PATCH", path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Resp {
        self.call("DELETE", path, Some(token), None).await
    }

    /// Logs in and returns the access token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let resp = self
            .call("POST", "/api/v1/auth/login", None, Some(json!({"username": username, "password": password})))
            .await;
        assert_eq!(resp.status, 200, "login of {username} failed: {}", resp.body);
        resp.body["access_token"].as_str().expect("access_token").to_string()
    }

    /// A token of the installation-wide administrator `root`.
    pub async fn root(&self) -> String {
        if let Some(token) = self.root_token.get() {
            return token.clone();
        }
        let token = self.login("root", ROOT_PASSWORD).await;
        self.root_token.get_or_init(|| token).clone()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command now; the future only waits for it.
        drop(self.handle.stop(false));
        api::db::forget(&self.db);
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime: do the async cleanup on a thread of its own.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    runtime.block_on(async move {
                        if let Ok(admin) = Database::connect(&admin_url).await {
                            let _ =
                                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Runs each named `async fn(TestApp)` as two tests, `sqlite::NAME` and `postgres::NAME`, each
/// on a fresh service and database. `on_both_backends!(configure = f; ...)` starts each service
/// with its settings changed by `fn f(&mut Settings)` first (a clock of the test's own, say);
/// `on_both_backends!(spawn = spawn_demo; ...)` starts it with another `TestApp` constructor.
#[macro_export]
macro_rules! on_both_backends {
    (spawn = $spawn:ident; $($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::$spawn($crate::Backend::Sqlite).await).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::$spawn($crate::Backend::Postgres).await).await
                }
            )+
        }
    };
    (configure = $configure:ident; $($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::spawn_with($crate::Backend::Sqlite, super::$configure).await).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::spawn_with($crate::Backend::Postgres, super::$configure).await).await
                }
            )+
        }
    };
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::spawn($crate::Backend::Sqlite).await).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::spawn($crate::Backend::Postgres).await).await
                }
            )+
        }
    };
}
