//! The outermost middleware: gives every request its id (the caller's sane `X-Request-Id`, else
//! a new one) and returns it in `X-Request-Id` on every answer, counts the request in the
//! application's metrics by method, route template and status, and runs it with those metrics
//! in scope for the code below ([`crate::telemetry`]). docs/OPERATIONS.md.

use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};

use crate::logging::{RequestId, UNMATCHED};
use crate::state::AppState;
use crate::telemetry::{self, Metrics};

/// The header a request id comes in and goes out with.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The middleware (see the module comment).
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let header = req.headers().get(&REQUEST_ID_HEADER).and_then(|v| v.to_str().ok());
    let request_id = RequestId::from_header(header);
    let (id, arrived) = (request_id.id.clone(), request_id.arrived);
    req.extensions_mut().insert(request_id);
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| UNMATCHED.to_string());
    let metrics = req.app_data::<web::Data<AppState>>().map(|s| s.service::<Arc<Metrics>>().clone());
    let outcome = match &metrics {
        Some(metrics) => telemetry::scope(metrics.clone(), next.call(req)).await,
        None => next.call(req).await,
    };
    let status = match &outcome {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    if let Some(metrics) = metrics {
        metrics.http_request(&method, &route, status.as_u16(), arrived.elapsed());
    }
    // Handlers' and extractors' errors are responses by now; an `Err` would come from a
    // middleware below, and none returns one (actix-web renders it without this layer's header).
    let mut response = outcome?.map_into_boxed_body();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}
