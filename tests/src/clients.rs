//! Machine clients, as a district system gets them: registered by a district administrator, then
//! a client-credentials token from `/oauth/token`.

use serde_json::{json, Value};

use crate::TestApp;

/// Registers a machine client as `admin` (`school_ids`: limited to those schools) and returns a
/// client-credentials token carrying every scope of the client.
pub async fn client_token(
    app: &TestApp,
    admin: &str,
    name: &str,
    scopes: &[&str],
    school_ids: Option<Vec<i64>>,
) -> String {
    let mut body = json!({"name": name, "scopes": scopes});
    if let Some(ids) = school_ids {
        body["school_ids"] = json!(ids);
    }
    let created = app.post(admin, "/api/v1/api-clients", body).await.expect(201);
    let client_id = created.body["client"]["client_id"].as_str().unwrap().to_string();
    let secret = created.body["client_secret"].as_str().unwrap().to_string();
    let response = app
        .client
        .post(format!("{}/api/v1/oauth/token", app.base_url))
        .basic_auth(client_id, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let token: Value = response.json().await.unwrap();
    token["access_token"].as_str().unwrap().to_string()
}

/// `PUT` with a JSON body (the sync endpoints).
pub async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> crate::Resp {
    app.call("PUT", path, Some(token), Some(body)).await
}
