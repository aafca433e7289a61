//! The ETag middleware: for a request whose path names one tracked resource
//! ([`super::resources::resource_of_path`]),
//! - `GET`/`HEAD` answering 200 get `ETag: "<change_version>"`, read *before* the handler runs
//!   (so the tag is never newer than the body: a write in between makes the tag stale, which
//!   costs the client a 412 and a re-read, never a lost update), and `If-None-Match` with that
//!   tag turns the 200 into a 304 — after the handler, so scope is checked first. The hot reads
//!   ([`READS_OWN_VERSION`]) read the version in the same statement as the resource and hand it
//!   over with [`read_with`]: one statement less, and the tag is exactly the body's;
//! - `PATCH`/`DELETE`/`PUT` with `If-Match` state the precondition for the handler's writing
//!   transaction ([`super::precondition`]). A handler that answers success without opening one
//!   (archiving something already archived) wrote nothing, so the condition is checked
//!   afterwards and a mismatch still becomes a 412. Successful writes carry the new `ETag`.

use std::cell::Cell;
use std::rc::Rc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse, ResponseError};

use super::precondition::{etag_of, failed, IfMatch, Precondition, CURRENT};
use super::resources::resource_of_path;
use super::version_of;
use crate::state::AppState;

/// The resource types whose single-resource GET handler reads its own version (in the statement
/// that reads the resource) and hands it over with [`read_with`]; the middleware then does not
/// read it. Such a handler must call [`read_with`] on every 200.
pub const READS_OWN_VERSION: &[&str] = &["teachers", "observations", "records"];

tokio::task_local! {
    /// The version a [`READS_OWN_VERSION`] handler read, for the middleware.
    static READ_VERSION: Rc<Cell<Option<i64>>>;
}

/// Hands the version read with the resource to the middleware (`None`: never written, no tag).
/// Outside a GET of a [`READS_OWN_VERSION`] type it does nothing.
pub fn read_with(version: Option<i64>) {
    let _ = READ_VERSION.try_with(|slot| slot.set(version));
}

pub async fn etags(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (Some((kind, id)), Some(state)) =
        (resource_of_path(req.path()), req.app_data::<web::Data<AppState>>().cloned())
    else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let header_value =
        |name: header::HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok()).map(IfMatch::parse);
    let method = req.method().clone();
    if method == Method::GET || method == Method::HEAD {
        let if_none_match = header_value(header::IF_NONE_MATCH);
        let (version, res) = if READS_OWN_VERSION.contains(&kind) {
            let slot = Rc::new(Cell::new(None));
            let res = READ_VERSION.scope(slot.clone(), next.call(req)).await?;
            (slot.get(), res.map_into_boxed_body())
        } else {
            let version = version_of(&state.db, kind, id).await?;
            (version, next.call(req).await?.map_into_boxed_body())
        };
        let Some(version) = version.filter(|_| res.status() == StatusCode::OK) else {
            return Ok(res);
        };
        if if_none_match.is_some_and(|tags| tags.matches(Some(version))) {
            let (request, _) = res.into_parts();
            let not_modified = HttpResponse::NotModified().insert_header((header::ETAG, etag_of(version))).finish();
            return Ok(ServiceResponse::new(request, not_modified));
        }
        return Ok(with_etag(res, version));
    }
    if !(method == Method::PATCH || method == Method::DELETE || method == Method::PUT) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let res = match header_value(header::IF_MATCH) {
        None => next.call(req).await?.map_into_boxed_body(),
        Some(if_match) => {
            let precondition = Rc::new(Precondition { kind, id, if_match, checked: Cell::new(false) });
            let res = CURRENT.scope(precondition.clone(), next.call(req)).await?.map_into_boxed_body();
            if res.status().is_success() && !precondition.checked.get() {
                let version = version_of(&state.db, kind, id).await?;
                if !precondition.if_match.matches(version) {
                    let (request, _) = res.into_parts();
                    return Ok(ServiceResponse::new(request, failed(kind, id).error_response()));
                }
            }
            res
        }
    };
    if res.status() != StatusCode::OK {
        return Ok(res);
    }
    match version_of(&state.db, kind, id).await {
        Ok(Some(version)) => Ok(with_etag(res, version)),
        _ => Ok(res),
    }
}

fn with_etag(mut res: ServiceResponse<BoxBody>, version: i64) -> ServiceResponse<BoxBody> {
    if let Ok(value) = header::HeaderValue::from_str(&etag_of(version)) {
        res.headers_mut().insert(header::ETAG, value);
    }
    res
}
