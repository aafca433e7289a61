//! Conditional requests (RFC 9110 §13), the ETag middleware: for a request whose path names one
//! tracked resource ([`resource_of_path`]),
//! - `GET`/`HEAD` answering 200 get `ETag: "<change_version>"`, read *before* the handler runs
//!   (so the tag is never newer than the body: a write in between makes the tag stale, which
//!   costs the client a 412 and a re-read, never a lost update), and `If-None-Match` with that
//!   tag turns the 200 into a 304 — after the handler, so scope is checked first. The hot reads
//!   ([`READS_OWN_VERSION`]) read the version in the same statement as the resource and hand it
//!   over ([`crate::changes::etag`]);
//! - `PATCH`/`DELETE`/`PUT` with `If-Match` state the precondition for the handler's writing
//!   transaction ([`crate::changes::precondition`]). A handler that answers success without
//!   opening one (archiving something already archived) wrote nothing, so the condition is
//!   checked afterwards and a mismatch still becomes a 412. Successful writes carry the new
//!   `ETag`.
//!
//! Both headers are parsed by actix-web ([`IfMatch`], [`IfNoneMatch`]) and compared strongly: a
//! weak tag never matches.

use std::cell::Cell;
use std::rc::Rc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, Header, IfMatch, IfNoneMatch};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse, ResponseError};

use crate::changes::etag::{reading_own_version, READS_OWN_VERSION};
use crate::changes::precondition::{failed, tag_of, version_of_tag, Accepted, Precondition, CURRENT};
use crate::changes::resources::resource_of_path;
use crate::changes::version_of;
use crate::error::ApiError;
use crate::state::AppState;

/// The versions the strong tags of a list name.
fn versions(tags: &[EntityTag]) -> Vec<i64> {
    tags.iter().filter(|t| !t.weak).filter_map(|t| version_of_tag(t.tag())).collect()
}

/// What an `If-Match` header accepts, if the request has one. A header that names no version
/// (`If-Match: 12`, unquoted) accepts none: the write is refused.
fn if_match(req: &ServiceRequest) -> Option<Accepted> {
    req.headers().get(header::IF_MATCH)?.to_str().ok()?;
    Some(match IfMatch::parse(req.request()) {
        Ok(IfMatch::Any) => Accepted::Any,
        Ok(IfMatch::Items(tags)) => Accepted::Versions(versions(&tags)),
        Err(_) => Accepted::Versions(Vec::new()),
    })
}

/// What an `If-None-Match` header names, if the request has one (compared strongly, like
/// `If-Match`).
fn if_none_match(req: &ServiceRequest) -> Option<Accepted> {
    req.headers().get(header::IF_NONE_MATCH)?.to_str().ok()?;
    Some(match IfNoneMatch::parse(req.request()) {
        Ok(IfNoneMatch::Any) => Accepted::Any,
        Ok(IfNoneMatch::Items(tags)) => Accepted::Versions(versions(&tags)),
        Err(_) => Accepted::Versions(Vec::new()),
    })
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
    let method = req.method().clone();
    if method == Method::GET || method == Method::HEAD {
        return read(req, next, &state, kind, id).await;
    }
    if !(method == Method::PATCH || method == Method::DELETE || method == Method::PUT) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let res = match if_match(&req) {
        None => next.call(req).await?.map_into_boxed_body(),
        Some(accepted) => {
            let precondition = Rc::new(Precondition { kind, id, accepted, checked: Cell::new(false) });
            let res = CURRENT.scope(precondition.clone(), next.call(req)).await?.map_into_boxed_body();
            if res.status().is_success() && !precondition.checked.get() {
                let version = version_of(&state.db, kind, id).await.map_err(ApiError::from)?;
                if !precondition.accepted.matches(version) {
                    let (request, _) = res.into_parts();
                    return Ok(ServiceResponse::new(request, ApiError::from(failed(kind, id)).error_response()));
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

/// A `GET`/`HEAD` of one resource: its `ETag`, or a 304 when `If-None-Match` names it.
async fn read(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    state: &AppState,
    kind: &'static str,
    id: i64,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let if_none_match = if_none_match(&req);
    let (version, res) = if READS_OWN_VERSION.contains(&kind) {
        let (version, res) = reading_own_version(next.call(req)).await;
        (version, res?.map_into_boxed_body())
    } else {
        let version = version_of(&state.db, kind, id).await.map_err(ApiError::from)?;
        (version, next.call(req).await?.map_into_boxed_body())
    };
    let Some(version) = version.filter(|_| res.status() == StatusCode::OK) else {
        return Ok(res);
    };
    if if_none_match.is_some_and(|tags| tags.matches(Some(version))) {
        let (request, _) = res.into_parts();
        let not_modified = HttpResponse::NotModified().insert_header(header::ETag(etag_of(version))).finish();
        return Ok(ServiceResponse::new(request, not_modified));
    }
    Ok(with_etag(res, version))
}

/// The strong entity tag of a version.
fn etag_of(version: i64) -> EntityTag {
    EntityTag::new_strong(tag_of(version))
}

fn with_etag(mut res: ServiceResponse<BoxBody>, version: i64) -> ServiceResponse<BoxBody> {
    if let Ok(value) = header::HeaderValue::from_str(&etag_of(version).to_string()) {
        res.headers_mut().insert(header::ETAG, value);
    }
    res
}
