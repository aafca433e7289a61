//! Who is calling, as the edge reads it from a request: the bearer token, and the [`Actor`]
//! extractor that turns it into the authenticated user ([`crate::auth::actor_of_token`]). The
//! areas take an `Actor` argument and never see the header; machine clients are read by
//! [`crate::clients::access`].

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use crate::auth::{actor_of_token, Actor};
use crate::error::ApiError;
use crate::state::AppState;

impl FromRequest for Actor {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Actor, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        with_bearer(req, |state, token| async move { Ok(actor_of_token(&state.keys, &state.db, &token).await?) })
    }
}

/// Runs `then` with the application state and the request's bearer token: the first steps of
/// every extractor of a caller. A request without a token is refused with 401.
pub fn with_bearer<T, F, Fut>(req: &HttpRequest, then: F) -> Pin<Box<dyn Future<Output = Result<T, ApiError>>>>
where
    F: FnOnce(web::Data<AppState>, String) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let bearer = bearer_token(req);
    Box::pin(async move {
        let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
        let token = bearer.ok_or_else(|| ApiError::Unauthorized("a bearer access token is required".into()))?;
        then(state, token).await
    })
}

/// The bearer token of a request, if it has one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_owned())
}

/// The address a request comes from: the TCP peer (never a header a client can write).
pub fn client_address(req: &HttpRequest) -> Option<IpAddr> {
    req.peer_addr().map(|a| a.ip())
}
