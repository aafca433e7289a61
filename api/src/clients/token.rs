//! `POST /oauth/token`: the OAuth 2.0 client credentials grant (RFC 6749 §4.4).
//!
//! The client authenticates with HTTP Basic `client_id:client_secret` (or, as RFC 6749 §2.3.1
//! allows, `client_id` and `client_secret` in the form), sends
//! `grant_type=client_credentials` and optionally `scope` (a subset of its scopes), and gets a
//! bearer JWT carrying those scopes. Errors are problem+json bodies that also carry RFC 6749
//! §5.2's `error` and `error_description` members, so OAuth libraries understand them.

use actix_web::http::{header, StatusCode};
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::access::secret_generation;
use super::queries::{authenticated_client, mark_used};
use super::scopes::{parse_scope_string, to_scope_string};
use super::views::scopes_of;

use crate::caller::client_address;
use crate::domain::DomainError;
use crate::error::ApiResult;
use crate::state::State;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(token);
}

/// The token request (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"grant_type": "client_credentials", "scope": "roster.read roster.write"}))]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: Option<String>,
    /// Space-separated scopes, a subset of the client's; absent: all of them.
    pub scope: Option<String>,
    /// Only when not using HTTP Basic.
    pub client_id: Option<String>,
    /// Only when not using HTTP Basic.
    pub client_secret: Option<String>,
}

/// A machine client's bearer token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9...", "token_type": "Bearer", "expires_in": 900,
    "scope": "roster.read roster.write"}))]
pub struct ClientTokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: i64,
    /// The scopes the token carries, space-separated.
    pub scope: String,
}

/// An RFC 6749 §5.2 error as a problem+json body.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.content_type("application/problem+json").insert_header((header::CACHE_CONTROL, "no-store"));
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"jiaoyan\""));
    }
    response.json(serde_json::json!({
        "type": format!("/problems/oauth/{error}"),
        "title": "Token request refused",
        "status": status.as_u16(),
        "detail": description,
        "error": error,
        "error_description": description,
    }))
}

fn invalid_client() -> HttpResponse {
    oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed")
}

/// `client_id:client_secret` of an HTTP Basic header (each part form-urlencoded, RFC 6749 §2.3.1).
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((unescape(id)?, unescape(secret)?))
}

/// Get a machine client's bearer token (OAuth 2.0 client credentials).
#[utoipa::path(
    tag = "api-clients",
    security(()),
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A bearer token carrying the scopes", body = ClientTokenResponse),
        (status = 400, description = "`invalid_request`, `unsupported_grant_type` or `invalid_scope`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "`invalid_client`: unknown client, wrong secret, disabled or archived client", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address or for this client_id; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Whole seconds to wait before trying again")))
    )
)]
#[post("/oauth/token")]
async fn token(state: State, req: HttpRequest, body: web::Bytes) -> ApiResult<HttpResponse> {
    let address = client_address(&req);
    if let Err(throttled) = state.logins.address(address) {
        tracing::warn!(address = ?address, reason = "throttled: address", "client token refused");
        return Err(DomainError::from(throttled).into());
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let Ok(form) = serde_urlencoded::from_bytes::<TokenRequest>(&body) else {
        return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "the form cannot be read"));
    };
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        None => return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required")),
        Some(_) => {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only grant_type=client_credentials is supported",
            ))
        }
    }
    let credentials = match (basic_credentials(&req), form.client_id, form.client_secret) {
        (Some(basic), None, None) => basic,
        (None, Some(id), Some(secret)) => (id, secret),
        (Some(_), _, _) => {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "authenticate with HTTP Basic or with the form, not both",
            ))
        }
        _ => return Ok(invalid_client()),
    };
    let client_id = credentials.0.trim();
    let refused =
        |reason: &str| tracing::warn!(client_id = ?client_id, address = ?address, reason, "client token refused");
    if let Err(throttled) = state.logins.account(&format!("client:{client_id}")) {
        refused("throttled: client_id");
        return Err(DomainError::from(throttled).into());
    }
    let Some(client) = authenticated_client(&state.db, client_id, &credentials.1).await? else {
        refused("unknown client, wrong secret, disabled or archived");
        return Ok(invalid_client());
    };
    let granted = scopes_of(&client);
    let scopes = match form.scope.as_deref().map(parse_scope_string) {
        None => granted,
        Some(Ok(asked)) if !asked.is_empty() && asked.iter().all(|s| granted.contains(s)) => asked,
        Some(_) => {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                "scope must be a non-empty subset of the client's scopes",
            ))
        }
    };
    let scope = to_scope_string(&scopes);
    let ttl = state.settings.access_token_ttl;
    let access_token = state.keys.issue_client(client.id, &scope, &secret_generation(&client), ttl)?;
    mark_used(&state.db, client).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(ClientTokenResponse { access_token, token_type: "Bearer".into(), expires_in: ttl, scope }))
}
