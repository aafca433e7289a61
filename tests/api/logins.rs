//! Logins (docs/LOGINS.md): throttling per account and per client address (429 with `Retry-After`),
//! the lockout after repeated failures and its lift by an administrator, and the password policy.
//! Each test starts a service of its own with the tight limits it is about (the other tests run
//! without throttling).

use api::config::LoginSettings;
use jiaoyan_tests::clients::register;
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, Backend, Resp, TestApp, PASSWORD, ROOT_PASSWORD};

/// Runs each `async fn(Backend)` on SQLite and on PostgreSQL.
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { super::$name(jiaoyan_tests::Backend::Sqlite).await } )+
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { super::$name(jiaoyan_tests::Backend::Postgres).await } )+
        }
    };
}

async fn spawn(backend: Backend, logins: LoginSettings) -> TestApp {
    TestApp::spawn_with(backend, move |s| s.logins = logins).await
}

const UNLIMITED: LoginSettings = LoginSettings {
    per_address_per_minute: 1_000_000,
    per_account_per_minute: 1_000_000,
    lockout_threshold: 0,
    lockout_minutes: 15,
};

async fn login(app: &TestApp, username: &str, password: &str) -> Resp {
    app.call("POST", "/api/v1/auth/login", None, Some(json!({"username": username, "password": password}))).await
}

async fn client_token(app: &TestApp, client_id: &str, secret: &str) -> Resp {
    let body = format!("grant_type=client_credentials&client_id={client_id}&client_secret={secret}");
    app.call_raw("POST", "/api/v1/oauth/token", None, "application/x-www-form-urlencoded", body.into_bytes()).await
}

/// A 429 problem with a whole number of seconds in `Retry-After`, within `range`; its detail.
#[track_caller]
fn too_many(resp: Resp, range: std::ops::RangeInclusive<u64>) -> String {
    assert_eq!(resp.status, 429, "expected 429, got {}: {}", resp.status, resp.body);
    let retry_after: u64 = resp.header("retry-after").parse().expect("Retry-After is whole seconds");
    assert!(range.contains(&retry_after), "Retry-After {retry_after} not in {range:?}");
    assert!(resp.content_type().starts_with("application/problem+json"), "{}", resp.content_type());
    assert_eq!(resp.body["status"], 429);
    assert_eq!(resp.body["type"], "/problems/too-many-requests");
    resp.body["detail"].as_str().unwrap().to_string()
}

async fn an_account_is_throttled_with_retry_after(backend: Backend) {
    let app = spawn(backend, LoginSettings { per_account_per_minute: 4, ..UNLIMITED }).await;
    let root = app.root().await; // the first of root's four attempts a minute
    for _ in 0..3 {
        login(&app, "root", "Wrong-guess-4711").await.expect(401);
    }
    // The fifth attempt within the minute is refused, even with the right password.
    let detail = too_many(login(&app, "root", ROOT_PASSWORD).await, 1..=15);
    assert!(detail.contains("for this account"), "{detail}");
    // The bucket is the name's, whatever its case; other accounts are not affected.
    too_many(login(&app, "ROOT", ROOT_PASSWORD).await, 1..=15);
    app.post(&root, "/api/v1/users", json!({"username": "deputy", "password": PASSWORD, "role": "district_admin"}))
        .await
        .expect(201);
    login(&app, "deputy", PASSWORD).await.expect(200);
}

async fn an_address_is_throttled_across_the_credential_endpoints(backend: Backend) {
    let app = spawn(backend, LoginSettings { per_address_per_minute: 4, ..UNLIMITED }).await;
    for name in ["ghost-1", "ghost-2", "ghost-3"] {
        login(&app, name, "Wrong-guess-4711").await.expect(401);
    }
    app.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": "0123abcd"}))).await.expect(401);
    // The address has spent its four attempts: every credential endpoint answers 429 now.
    let detail = too_many(login(&app, "root", ROOT_PASSWORD).await, 1..=15);
    assert!(detail.contains("from this address"), "{detail}");
    too_many(client_token(&app, "jyc_nobody", "nothing").await, 1..=15);
    too_many(app.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": "x"}))).await, 1..=15);
    // Other endpoints are not throttled.
    app.call("GET", "/health", None, None).await.expect(200);
}

async fn a_client_id_is_throttled(backend: Backend) {
    let app = spawn(backend, LoginSettings { per_account_per_minute: 2, ..UNLIMITED }).await;
    let w = World::build(&app).await;
    let client = register(&app, &w.tokens.district_admin, "县教师管理系统", &["roster.read"], None).await;
    client_token(&app, &client.client_id, &client.secret).await.expect(200);
    client_token(&app, &client.client_id, "a-wrong-secret").await.expect(401);
    too_many(client_token(&app, &client.client_id, &client.secret).await, 1..=30);
    let other = register(&app, &w.tokens.district_admin, "省平台", &["roster.read"], None).await;
    client_token(&app, &other.client_id, &other.secret).await.expect(200);
}

/// The id of the account behind a token.
async fn own_id(app: &TestApp, token: &str) -> i64 {
    app.get(token, "/api/v1/me").await.expect(200).body["id"].as_i64().unwrap()
}

async fn repeated_failures_lock_the_account_until_an_administrator_lifts_it(backend: Backend) {
    let app = spawn(backend, LoginSettings { lockout_threshold: 3, lockout_minutes: 15, ..UNLIMITED }).await;
    let w = World::build(&app).await;
    let teacher_a = own_id(&app, &w.tokens.teacher_a).await;
    let path = format!("/api/v1/users/{teacher_a}/unlock");

    // A success forgets the failures before it.
    for _ in 0..2 {
        login(&app, "teacher_a", "Wrong-guess-4711").await.expect(401);
    }
    login(&app, "teacher_a", PASSWORD).await.expect(200);
    for _ in 0..3 {
        login(&app, "teacher_a", "Wrong-guess-4711").await.expect(401);
    }
    // Locked: even the right password is refused, for the lock's 15 minutes.
    let detail = too_many(login(&app, "teacher_a", PASSWORD).await, 890..=900);
    assert!(detail.contains("locked"), "{detail}");

    // Nobody outside the account's school lifts it; its owner neither.
    for token in [&w.tokens.admin_b, &w.tokens.other_district_admin, &w.tokens.teacher_b] {
        app.call("POST", &path, Some(token), None).await.expect(404);
    }
    app.call("POST", &path, Some(&w.tokens.leader_a), None).await.expect(404);
    app.call("POST", &path, Some(&w.tokens.teacher_a), None).await.expect(403);
    too_many(login(&app, "teacher_a", PASSWORD).await, 1..=900);
    // The school's administrator does (and may again: idempotent).
    app.call("POST", &path, Some(&w.tokens.admin_a), None).await.expect(204);
    app.call("POST", &path, Some(&w.tokens.admin_a), None).await.expect(204);
    login(&app, "teacher_a", PASSWORD).await.expect(200);
    app.call("POST", "/api/v1/users/999999/unlock", Some(&w.tokens.admin_a), None).await.expect(404);

    // A name without an account locks the same way: a lock never tells that a username exists.
    for _ in 0..3 {
        login(&app, "nobody-here", "Wrong-guess-4711").await.expect(401);
    }
    too_many(login(&app, "nobody-here", "Wrong-guess-4711").await, 890..=900);
}

async fn a_second_lock_lasts_twice_as_long(backend: Backend) {
    let app = spawn(backend, LoginSettings { lockout_threshold: 2, lockout_minutes: 10, ..UNLIMITED }).await;
    for _ in 0..2 {
        login(&app, "root", "Wrong-guess-4711").await.expect(401);
    }
    too_many(login(&app, "root", ROOT_PASSWORD).await, 590..=600);
    // The lock runs out (here: moved into the past), and two more failures lock for 20 minutes.
    use entities::login_lockout::{Column, Entity};
    use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    let moved =
        Entity::update_many().col_expr(Column::LockedUntil, Expr::value(past)).filter(Column::Account.eq("user:root"));
    assert_eq!(moved.exec(&app.db).await.unwrap().rows_affected, 1);
    for _ in 0..2 {
        login(&app, "root", "Wrong-guess-4711").await.expect(401);
    }
    too_many(login(&app, "root", ROOT_PASSWORD).await, 1190..=1200);
}

async fn weak_passwords_are_refused_with_the_reason(backend: Backend) {
    let app = spawn(backend, UNLIMITED).await;
    let w = World::build(&app).await;
    let school_a = app.get(&w.tokens.admin_a, &format!("/api/v1/schools/{}", w.school_a)).await.expect(200);
    let school_name = school_a.body["name"].as_str().unwrap().to_string();
    let new_user = |username: &str, password: &str| {
        json!({"username": username, "password": password, "role": "teacher", "school_id": w.school_a,
            "teacher_id": w.teacher_a, "display_name": "王芳"})
    };
    let weak = [
        ("password123", "too short"),
        ("12345678", "too short"),
        ("aaaaaaaa", "too short"),
        ("        ", "too short"),
        ("Kp7#xq2!a", "nine characters"),
        ("password1234", "common"),
        ("wangfang-jia-2026", "the username"),
        ("qwertyuiop", "a keyboard row"),
    ];
    for (password, what) in weak {
        let resp = app.post(&w.tokens.admin_a, "/api/v1/users", new_user("wangfang-jia-2026", password)).await;
        assert_eq!(resp.status, 422, "{what} ({password:?}) accepted: {}", resp.body);
        assert_eq!(resp.error_fields(), vec!["password"], "{what}");
        let message = resp.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.len() > 10, "{what}: {message}");
        assert_eq!(resp.body["detail"], format!("password: {message}"), "the detail says why");
    }
    let short = app.post(&w.tokens.admin_a, "/api/v1/users", new_user("wangfang-jia-2026", "12345678")).await;
    assert_eq!(short.body["errors"][0]["message"], "must be at least 10 characters");
    let guessable = app.post(&w.tokens.admin_a, "/api/v1/users", new_user("wangfang-jia-2026", "password1234")).await;
    assert!(guessable.body["errors"][0]["message"].as_str().unwrap().starts_with("is too easy to guess: "));
    // The school's name is counted against it too.
    let school = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            new_user("wangfang-jia-2026", &format!("{school_name}{school_name}{school_name}1")),
        )
        .await;
    assert_eq!(school.expect(422).error_fields(), vec!["password"]);

    // A strong one is taken, and logs in.
    let strong = "Wutong-5#tree-lantern";
    app.post(&w.tokens.admin_a, "/api/v1/users", new_user("wangfang-jia-2026", strong)).await.expect(201);
    login(&app, "wangfang-jia-2026", strong).await.expect(200);

    // Changing one's own password, and an administrator's reset, follow the same rule.
    let me = own_id(&app, &w.tokens.teacher_a).await;
    let own = app
        .patch(
            &w.tokens.teacher_a,
            &format!("/api/v1/users/{me}"),
            json!({"password": "teacher_a1", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(own.expect(422).error_fields(), vec!["password"]);
    let reset = app.patch(&w.tokens.admin_a, &format!("/api/v1/users/{me}"), json!({"password": "iloveyou2026"})).await;
    assert_eq!(reset.expect(422).error_fields(), vec!["password"]);
    login(&app, "teacher_a", PASSWORD).await.expect(200);
}

async fn weak_configured_passwords_stop_the_start(backend: Backend) {
    let app = spawn(backend, UNLIMITED).await;
    let error = api::auth::bootstrap::ensure_admin(&app.db, Some("admin:password123")).await.unwrap_err();
    assert!(error.to_string().starts_with("JIAOYAN_BOOTSTRAP_ADMIN is refused: the password "), "{error}");
    let error = api::auth::bootstrap::ensure_admin(&app.db, Some("zhangsan-admin:zhangsan-admin")).await.unwrap_err();
    assert!(error.to_string().contains("must not be your name, username or school"), "{error}");
    let error = api::demo::seed(&app.db, Some("demo-password")).await.unwrap_err();
    assert!(error.to_string().starts_with("JIAOYAN_DEMO_PASSWORD is refused: the demo password "), "{error}");
    let error = api::demo::seed_if_empty(&app.db, Some("1234567890")).await.unwrap_err();
    assert!(error.to_string().contains("JIAOYAN_DEMO_PASSWORD"), "{error}");
}

on_both!(
    an_account_is_throttled_with_retry_after,
    an_address_is_throttled_across_the_credential_endpoints,
    a_client_id_is_throttled,
    repeated_failures_lock_the_account_until_an_administrator_lifts_it,
    a_second_lock_lasts_twice_as_long,
    weak_passwords_are_refused_with_the_reason,
    weak_configured_passwords_stop_the_start,
);
