//! The request log: one span per request whose target has its secrets redacted, and one line
//! when the request ends (method, route, redacted target, status, client address, request id).
//!
//! `tracing_actix_web`'s default span records the raw path and query, so a calendar feed's
//! `?token=...` reached the log with every event of the request (a failing feed request logged
//! it at `warn`). Here every query parameter whose name says it is a secret
//! ([`crate::text::is_secret_key`]: `token`, `access_token`, `refresh_token`, `client_secret`,
//! `password` ...) is logged as `[redacted]`. Bodies and headers (`Authorization`) are never
//! logged.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::field::Empty;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

/// What replaces a secret in the log.
pub const REDACTED: &str = "[redacted]";

/// `path?query` with the values of secret parameters replaced by [`REDACTED`].
pub fn redacted_target(path: &str, query: &str) -> String {
    if query.is_empty() {
        return path.to_string();
    }
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_name(name) => format!("{name}={REDACTED}"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

fn is_secret_name(raw: &str) -> bool {
    let name: String = form_urlencoded::parse(raw.as_bytes()).map(|(k, _)| k.to_ascii_lowercase()).collect();
    crate::text::is_secret_key(&name) || name == "key" || name == "api_key" || name == "code"
}

/// The [`RootSpanBuilder`] of the service's `TracingLogger`.
pub struct RedactedRequestSpan;

impl RootSpanBuilder for RedactedRequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        let client = request.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %request.match_pattern().unwrap_or_else(|| "default".into()),
            http.target = %redacted_target(request.path(), request.query_string()),
            http.client_ip = %client,
            http.status_code = Empty,
            request_id = %request_id,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("http.status_code", status.as_u16());
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), "request failed");
        } else if status.is_client_error() {
            tracing::warn!(status = status.as_u16(), "request refused");
        } else {
            tracing::info!(status = status.as_u16(), "request served");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_parameters_are_redacted_and_the_rest_kept() {
        assert_eq!(
            redacted_target("/api/v1/calendar/teachers/3.ics", "token=abc123&from=2026-09-01"),
            "/api/v1/calendar/teachers/3.ics?token=[redacted]&from=2026-09-01"
        );
        assert_eq!(
            redacted_target("/x", "access_token=a&Client_Secret=b&refresh%5Ftoken=c&password=d&q=token"),
            "/x?access_token=[redacted]&Client_Secret=[redacted]&refresh%5Ftoken=[redacted]&password=[redacted]&q=token"
        );
        assert_eq!(redacted_target("/api/v1/teachers", ""), "/api/v1/teachers");
        assert_eq!(redacted_target("/x", "token"), "/x?token", "a bare name has no value to hide");
    }
}
