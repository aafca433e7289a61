//! Logging in, tokens, refresh and revocation, the first-start administrator, CORS.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Backend, TestApp, PASSWORD, ROOT_PASSWORD};

async fn login_returns_a_bearer_token_pair(app: TestApp) {
    let resp = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "root", "password": ROOT_PASSWORD})))
        .await;
    let body = resp.expect(200).body;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["access_token"].as_str().unwrap().split('.').count() == 3, "a JWT");
    assert_eq!(body["refresh_token"].as_str().unwrap().len(), 64);
    let me = app.get(body["access_token"].as_str().unwrap(), "/api/v1/me").await.expect(200);
    assert_eq!(me.body["username"], "root");
    assert_eq!(me.body["role"], "district_admin");
    assert!(me.body["password_hash"].is_null(), "the hash never leaves the server");
}

async fn wrong_credentials_are_401_without_saying_which(app: TestApp) {
    let wrong_password =
        app.call("POST", "/api/v1/auth/login", None, Some(json!({"username": "root", "password": "nope-nope"}))).await;
    let unknown_user =
        app.call("POST", "/api/v1/auth/login", None, Some(json!({"username": "ghost", "password": "nope-nope"}))).await;
    for resp in [&wrong_password, &unknown_user] {
        assert_eq!(resp.status, 401);
        assert_eq!(resp.content_type(), "application/problem+json");
    }
    assert_eq!(wrong_password.body["detail"], unknown_user.body["detail"]);
}

async fn requests_without_a_valid_token_are_401(app: TestApp) {
    let none = app.call("GET", "/api/v1/me", None, None).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.headers.get("www-authenticate").unwrap(), "Bearer");
    assert_eq!(none.body["type"], "/problems/unauthorized");
    let garbage = app.call("GET", "/api/v1/teachers", Some("not.a.jwt"), None).await;
    assert_eq!(garbage.status, 401);
}

async fn refresh_rotates_and_detects_reuse(app: TestApp) {
    let login = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "root", "password": ROOT_PASSWORD})))
        .await
        .expect(200)
        .body;
    let first_refresh = login["refresh_token"].as_str().unwrap().to_string();
    let refreshed = app
        .call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": first_refresh})))
        .await
        .expect(200)
        .body;
    let second_refresh = refreshed["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(first_refresh, second_refresh);
    app.get(refreshed["access_token"].as_str().unwrap(), "/api/v1/me").await.expect(200);

    // The first token was used: presenting it again means it was copied, so every session ends.
    let reuse = app.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": first_refresh}))).await;
    assert_eq!(reuse.status, 401);
    let after = app.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": second_refresh}))).await;
    assert_eq!(after.status, 401, "the reuse revoked the newer token too");
}

async fn logout_revokes_the_refresh_token(app: TestApp) {
    let login = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "root", "password": ROOT_PASSWORD})))
        .await
        .body;
    let (access, refresh) = (login["access_token"].as_str().unwrap(), login["refresh_token"].as_str().unwrap());
    app.call("POST", "/api/v1/auth/logout", Some(access), Some(json!({"refresh_token": refresh}))).await.expect(204);
    let resp = app.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh}))).await;
    assert_eq!(resp.status, 401);
}

async fn disabling_an_account_stops_its_tokens_at_once(app: TestApp) {
    let w = World::build(&app).await;
    let me = app.get(&w.tokens.teacher_a, "/api/v1/me").await.expect(200);
    let id = me.body["id"].as_i64().unwrap();
    app.patch(&w.tokens.admin_a, &format!("/api/v1/users/{id}"), json!({"disabled": true})).await.expect(200);
    assert_eq!(app.get(&w.tokens.teacher_a, "/api/v1/me").await.status, 401);
    let login = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "teacher_a", "password": PASSWORD})))
        .await;
    assert_eq!(login.status, 401);
}

async fn first_start_without_configuration_creates_admin_with_random_password(app: TestApp) {
    use sea_orm::{ConnectionTrait, EntityTrait};
    entities::user::Entity::delete_many().exec(&app.db).await.unwrap();
    let outcome = api::auth::bootstrap::ensure_admin(&app.db, None).await.unwrap();
    let api::auth::bootstrap::Bootstrap::Created { username, generated_password: Some(password) } = outcome else {
        panic!("expected a generated administrator, got {outcome:?}");
    };
    assert_eq!(username, "admin");
    assert!(password.len() >= 16);
    let token = app.login("admin", &password).await;
    assert_eq!(app.get(&token, "/api/v1/me").await.body["role"], "district_admin");
    // A second start leaves the table alone.
    let again = api::auth::bootstrap::ensure_admin(&app.db, Some("other:Other-6^cloud-harbour")).await.unwrap();
    assert_eq!(again, api::auth::bootstrap::Bootstrap::AlreadyHasUsers);
    let _ = app.db.execute_unprepared("SELECT 1").await;
}

async fn cors_allows_only_configured_origins(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.cors_origins = vec!["https://front.example".into()]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/api/v1/teachers", app.base_url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .send()
    };
    let allowed = preflight("https://front.example").await.unwrap();
    assert_eq!(allowed.headers().get("access-control-allow-origin").unwrap(), "https://front.example");
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
}

async fn cors_allows_only_configured_origins_on(app: TestApp) {
    let backend = app.backend;
    drop(app);
    cors_allows_only_configured_origins(backend).await;
}

on_both_backends!(
    login_returns_a_bearer_token_pair,
    wrong_credentials_are_401_without_saying_which,
    requests_without_a_valid_token_are_401,
    refresh_rotates_and_detects_reuse,
    logout_revokes_the_refresh_token,
    disabling_an_account_stops_its_tokens_at_once,
    first_start_without_configuration_creates_admin_with_random_password,
    cors_allows_only_configured_origins_on,
);
