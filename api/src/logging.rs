//! The request log: one span per request whose target has its secrets redacted, and one line
//! when the request ends (method, route template, redacted target, status, latency in
//! milliseconds, client address, request id). The request id is the caller's `X-Request-Id` when
//! it is sane ([`RequestId::from_header`]), else generated ([`crate::observe`] assigns it and
//! returns it on every response); docs/OPERATIONS.md, "Logs".
//!
//! `tracing_actix_web`'s default span records the raw path and query, so a calendar feed's
//! `?token=...` reached the log with every event of the request (a failing feed request logged
//! it at `warn`). Here every query parameter whose name says it is a secret
//! ([`crate::text::is_secret_key`]: `token`, `access_token`, `refresh_token`, `client_secret`,
//! `password` ...) is logged as `[redacted]`. Bodies and headers (`Authorization`) are never
//! logged.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::field::Empty;
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

/// What replaces a secret in the log.
pub const REDACTED: &str = "[redacted]";

/// The route of a request no route matched, in the log and in the metrics (so that scanners'
/// paths do not each become a series).
pub const UNMATCHED: &str = "unmatched";

/// The longest `X-Request-Id` taken from a caller (the audit trail keeps 64 characters).
pub const MAX_REQUEST_ID: usize = 64;

/// A request's id and arrival, in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId {
    pub id: String,
    pub arrived: Instant,
}

impl RequestId {
    /// The caller's id when it is sane: 1 to [`MAX_REQUEST_ID`] ASCII letters, digits and
    /// `-_.:` (nothing that could forge a log field or a header); else a new UUID.
    pub fn from_header(header: Option<&str>) -> RequestId {
        let sane = |id: &&str| {
            (1..=MAX_REQUEST_ID).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        };
        let id = header.map(str::trim).filter(sane).map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
        RequestId { id, arrived: Instant::now() }
    }

    /// The id of a request, once [`crate::observe`] has assigned it.
    pub fn of(request: &impl HttpMessage) -> Option<String> {
        request.extensions().get::<RequestId>().map(|r| r.id.clone())
    }
}

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
        let request_id = RequestId::of(request).unwrap_or_default();
        let client = request.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %request.match_pattern().unwrap_or_else(|| UNMATCHED.into()),
            http.target = %redacted_target(request.path(), request.query_string()),
            http.client_ip = %client,
            http.status_code = Empty,
            request_id = %request_id,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, arrived) = match outcome {
            Ok(response) => (response.status(), response.request().extensions().get::<RequestId>().map(|r| r.arrived)),
            Err(error) => (error.as_response_error().status_code(), None),
        };
        span.record("http.status_code", status.as_u16());
        // Milliseconds with microseconds (the line is read by people and by log pipelines).
        let latency_ms = arrived.map(|a| (a.elapsed().as_micros() as f64) / 1000.0).unwrap_or(-1.0);
        let status = status.as_u16();
        if status >= 500 {
            tracing::error!(status, latency_ms, "request failed");
        } else if status >= 400 {
            tracing::warn!(status, latency_ms, "request refused");
        } else {
            tracing::info!(status, latency_ms, "request served");
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

    #[test]
    fn a_sane_request_id_is_kept_and_any_other_replaced() {
        assert_eq!(RequestId::from_header(Some("req-42.a_b:c")).id, "req-42.a_b:c");
        assert_eq!(RequestId::from_header(Some(" trace-1 ")).id, "trace-1");
        let generated = |header: Option<&str>| {
            let id = RequestId::from_header(header).id;
            assert!(uuid::Uuid::parse_str(&id).is_ok() && Some(id.as_str()) != header, "{header:?} gave {id}");
        };
        generated(None);
        generated(Some(""));
        generated(Some("a b"));
        generated(Some("x\" forged=\"y"));
        generated(Some("中文"));
        generated(Some(&"a".repeat(MAX_REQUEST_ID + 1)));
        assert_eq!(RequestId::from_header(Some(&"a".repeat(MAX_REQUEST_ID))).id.len(), MAX_REQUEST_ID);
    }
}
