//! Machine clients, as a district system gets them: registered by a district administrator, then
//! a client-credentials token from `/oauth/token`.

use serde_json::{json, Value};

use crate::TestApp;

/// A registered client: its id in the API, and its credentials.
pub struct Registered {
    pub id: i64,
    pub client_id: String,
    pub secret: String,
}

/// Registers a machine client as `admin` (`school_ids`: limited to those schools).
pub async fn register(
    app: &TestApp,
    admin: &str,
    name: &str,
    scopes: &[&str],
    school_ids: Option<Vec<i64>>,
) -> Registered {
    let mut body = json!({"name": name, "scopes": scopes});
    if let Some(ids) = school_ids {
        body["school_ids"] = json!(ids);
    }
    let created = app.post(admin, "/api/v1/api-clients", body).await.expect(201);
    Registered {
        id: created.body["client"]["id"].as_i64().unwrap(),
        client_id: created.body["client"]["client_id"].as_str().unwrap().to_string(),
        secret: created.body["client_secret"].as_str().unwrap().to_string(),
    }
}

/// A client-credentials token carrying every scope of the client.
pub async fn token_for(app: &TestApp, client: &Registered) -> String {
    let response = app
        .client
        .post(format!("{}/api/v1/oauth/token", app.base_url))
        .basic_auth(&client.client_id, Some(&client.secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let token: Value = response.json().await.unwrap();
    token["access_token"].as_str().unwrap().to_string()
}

/// Registers a machine client as `admin` and returns a token for it.
pub async fn client_token(
    app: &TestApp,
    admin: &str,
    name: &str,
    scopes: &[&str],
    school_ids: Option<Vec<i64>>,
) -> String {
    token_for(app, &register(app, admin, name, scopes, school_ids).await).await
}

/// `PUT` with a JSON body (the sync endpoints).
pub async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> crate::Resp {
    app.call("PUT", path, Some(token), Some(body)).await
}
