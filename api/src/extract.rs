//! Request extractors that fail with problem+json bodies naming the offending field.
//!
//! actix-web's own `Json` and `Query` report serde's message without the field's path and as a
//! plain-text 400; these use `serde_path_to_error` so that a client learns *which* field is wrong.
//! Syntax errors are 400 (the body is not JSON at all); well-formed JSON with wrong types, unknown
//! enum values or unknown fields is 422.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

pub mod body;
mod strict;
mod tree;
pub mod utf8;

/// The largest body accepted, in bytes (`JIAOYAN_MAX_BODY_BYTES`, default 1 MiB).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON request body.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<web::Data<BodyLimit>>().map(|l| l.0).unwrap_or(1 << 20);
        let body = read_json_body(req, payload, limit);
        Box::pin(async move { parse_json(&body.await?).map(Json) })
    }
}

/// The largest bulk body accepted, in bytes (`JIAOYAN_MAX_SYNC_BODY_BYTES`, default 16 MiB).
#[derive(Debug, Clone, Copy)]
pub struct SyncBodyLimit(pub usize);

/// A JSON body of a bulk endpoint (`PUT /sync/...`): up to 10,000 records do not fit the
/// ordinary limit, so these endpoints have their own.
pub struct BulkJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for BulkJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<web::Data<SyncBodyLimit>>().map(|l| l.0).unwrap_or(16 << 20);
        let body = read_json_body(req, payload, limit);
        Box::pin(async move { parse_json(&body.await?).map(BulkJson) })
    }
}

/// Reads a body declared as JSON (or undeclared), refusing other media types and bodies over
/// `limit` bytes ([`body::read_limited`]).
fn read_json_body(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> impl Future<Output = Result<web::BytesMut, ApiError>> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let declared_length = body::declared_length(req);
    let payload = payload.take();
    async move {
        if let Some(ct) = content_type {
            let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if !(essence == "application/json" || essence.ends_with("+json")) {
                return Err(ApiError::UnsupportedMediaType(format!("expected application/json, got {essence}")));
            }
        }
        body::read_limited(payload, declared_length, limit).await
    }
}

/// Parses a JSON document, classifying failures as 400 (syntax) or 422 (shape), with the path.
///
/// The document is read into a [`tree::Node`] first (a key given twice is refused), its strings
/// are cleaned ([`crate::text`]: NFC, no control characters, no invisible characters in names),
/// and `T` is read from it by [`strict`], which refuses an array where an object is expected.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest("the request body is empty; a JSON object is expected".into()));
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let mut node: tree::Node = serde_path_to_error::deserialize(&mut *de).map_err(json_error)?;
    de.end().map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
    let refused = tree::clean_strings(&mut node);
    if !refused.is_empty() {
        return Err(ApiError::Validation(refused));
    }
    serde_path_to_error::deserialize(&node).map_err(json_error)
}

fn json_error(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    match inner.classify() {
        serde_json::error::Category::Data => {
            let message = strip_position(&inner.to_string());
            ApiError::Validation(vec![FieldError::new(field_of(&path, &message, "body"), message)])
        }
        _ => ApiError::BadRequest(format!("malformed JSON: {inner}")),
    }
}

/// The field a deserialization error is about. serde reports a missing field on the object that
/// lacks it (`.` at the top), naming the field only in its message (``missing field
/// `semester_id` ``); so does an unknown field inside an internally tagged enum (a rule's
/// `metric`), whose content serde buffers before `serde_path_to_error` can see its keys
/// (``unknown field `same_subjects`, expected ...``). That field, under the object's path, is
/// where the client has to look. Otherwise the path itself, or `whole` (`body`, `query`) when
/// the error is about the whole input.
pub fn field_of(path: &str, message: &str, whole: &str) -> String {
    let named = ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next())
        .filter(|name| !name.is_empty());
    match (path, named) {
        (".", Some(name)) => name.to_string(),
        (".", None) => whole.to_string(),
        // An unknown key the path already ends with (`applies_to.ages`).
        (_, Some(name)) if path == name || path.ends_with(&format!(".{name}")) => path.to_string(),
        (_, Some(name)) => format!("{path}.{name}"),
        (_, None) => path.to_string(),
    }
}

/// serde_json appends "at line 1 column 9" to data errors; the field path says it better.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Query-string parameters.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// Parses a query string, naming the parameter at fault. Values are cleaned like body text
/// ([`crate::text`]: NFC, no control characters) first.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let cleaned = clean_query(query)?;
    let de = serde_urlencoded::Deserializer::new(url_encoded_pairs(&cleaned));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        ApiError::Validation(vec![FieldError::new(field_of(&path, &message, "query"), message)])
    })
}

/// The query with its values in NFC (re-encoded only when one changed), or a 422 naming a
/// parameter whose value holds a control character.
fn clean_query(query: &str) -> Result<std::borrow::Cow<'_, str>, ApiError> {
    let mut changed = false;
    let mut pairs = Vec::new();
    for (name, value) in url_encoded_pairs(query) {
        match crate::text::clean(&value, crate::text::TextKind::Free) {
            Ok(std::borrow::Cow::Borrowed(_)) => pairs.push((name, value)),
            Ok(std::borrow::Cow::Owned(clean)) => {
                changed = true;
                pairs.push((name, clean.into()));
            }
            Err(refused) => return Err(ApiError::invalid(name.into_owned(), refused.0)),
        }
    }
    if !changed {
        return Ok(std::borrow::Cow::Borrowed(query));
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.extend_pairs(pairs);
    Ok(std::borrow::Cow::Owned(out.finish()))
}

fn url_encoded_pairs(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// Path parameters that do not parse (`/teachers/abc`) can name no object: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| ApiError::NotFound(format!("no such resource: {err}")).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        honours: Vec<Honour>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Honour {
        year: i32,
    }

    fn status(err: ApiError) -> (u16, Option<String>) {
        let p = err.problem();
        (p.status, p.errors.and_then(|e| e.first().map(|f| f.field.clone())))
    }

    #[test]
    fn malformed_json_is_a_400() {
        assert_eq!(status(parse_json::<Body>(b"{").unwrap_err()).0, 400);
        assert_eq!(status(parse_json::<Body>(b"").unwrap_err()).0, 400);
    }

    #[test]
    fn wrong_types_are_422_naming_the_nested_field() {
        let err = parse_json::<Body>(br#"{"name":"x","honours":[{"year":"soon"}]}"#).unwrap_err();
        assert_eq!(status(err), (422, Some("honours[0].year".into())));
        let err = parse_json::<Body>(br#"{"name":5,"honours":[]}"#).unwrap_err();
        assert_eq!(status(err), (422, Some("name".into())));
    }

    #[test]
    fn nul_characters_are_refused_naming_the_field() {
        let err = parse_json::<Body>(br#"{"name":"a\u0000b","honours":[]}"#).unwrap_err();
        assert_eq!(status(err), (422, Some("name".into())));
        let err = parse_query::<std::collections::HashMap<String, String>>("q=a%00b").unwrap_err();
        assert_eq!(status(err), (422, Some("q".into())));
    }

    #[test]
    fn bad_query_values_name_the_parameter() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Q {
            limit: Option<u64>,
        }
        let err = parse_query::<Q>("limit=many").unwrap_err();
        assert_eq!(status(err), (422, Some("limit".into())));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct CheckLike {
        semester_id: i64,
        as_of: Option<chrono::NaiveDate>,
    }

    #[test]
    fn missing_bad_and_unknown_query_parameters_are_named() {
        for (query, field) in [
            ("", "semester_id"),
            ("as_of=2026-11-20", "semester_id"),
            ("semester_id=abc", "semester_id"),
            ("semester_id=1&as_of=2026-13-01", "as_of"),
            ("semester_id=1&as_of=soon", "as_of"),
            ("semester_id=1&colour=red", "colour"),
        ] {
            let err = parse_query::<CheckLike>(query).unwrap_err();
            assert_eq!(status(err), (422, Some(field.into())), "for ?{query}");
        }
    }

    #[test]
    fn missing_and_unknown_body_fields_are_named_on_their_path() {
        let missing = parse_json::<Body>(br#"{"honours":[]}"#).unwrap_err();
        assert_eq!(status(missing), (422, Some("name".into())));
        let nested = parse_json::<Body>(br#"{"name":"x","honours":[{}]}"#).unwrap_err();
        assert_eq!(status(nested), (422, Some("honours[0].year".into())));
        let unknown = parse_json::<Body>(br#"{"name":"x","honours":[],"colour":1}"#).unwrap_err();
        assert_eq!(status(unknown), (422, Some("colour".into())));
        let not_an_object = parse_json::<Body>(br#""text""#).unwrap_err();
        assert_eq!(status(not_an_object), (422, Some("body".into())));
    }

    #[test]
    fn the_field_comes_from_serdes_message_when_the_path_is_the_object() {
        assert_eq!(field_of(".", "missing field `semester_id`", "query"), "semester_id");
        assert_eq!(
            field_of("metric", "unknown field `same_subjects`, expected one of `kind`", "body"),
            "metric.same_subjects"
        );
        assert_eq!(field_of("limit", "invalid digit found in string", "query"), "limit");
        assert_eq!(field_of("applies_to.ages", "unknown field `ages`, expected `posts`", "body"), "applies_to.ages");
        assert_eq!(field_of(".", "invalid type: sequence, expected struct Body", "body"), "body");
    }
}
