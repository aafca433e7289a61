//! The one body reader with a size limit, shared by the JSON extractors and the CSV import: a
//! body is refused with 413 as soon as it says it will pass the limit (`Content-Length`), or
//! does pass it as it streams in.

use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use actix_web::HttpRequest;
use futures_util::{Stream, StreamExt};

use crate::error::ApiError;

/// The length the request declares (`Content-Length`), if it declares a readable one.
pub fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok())
}

/// The whole body of at most `limit` bytes; `declared` is the request's [`declared_length`].
pub async fn read_limited<S>(mut payload: S, declared: Option<usize>, limit: usize) -> Result<BytesMut, ApiError>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let mut body = BytesMut::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
