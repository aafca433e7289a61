//! Paths and query strings must be UTF-8 once percent-decoded: `?subject=%ff%fe` would
//! otherwise be decoded lossily (to `��`) by every query parser and answer an empty list as if it
//! were a real subject. A middleware refuses them before routing, with 400 naming the parameter
//! (problem+json, or OneRoster's imsx body under `/ims/oneroster/`).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use percent_encoding::percent_decode;

use crate::error::{FieldError, Problem};
use crate::roster_error::RosterError;

/// The first path segment or query parameter that is not UTF-8 after percent-decoding: its name
/// (`path`, or the parameter's name, itself decoded lossily so that it can be shown).
pub fn first_invalid(path: &str, query: &str) -> Option<String> {
    if path.split('/').any(|segment| std::str::from_utf8(&decoded(segment, false)).is_err()) {
        return Some("path".to_string());
    }
    query.split('&').filter(|pair| !pair.is_empty()).find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name_bytes = decoded(name, true);
        let bad_name = std::str::from_utf8(&name_bytes).is_err();
        let bad_value = std::str::from_utf8(&decoded(value, true)).is_err();
        (bad_name || bad_value).then(|| String::from_utf8_lossy(&name_bytes).into_owned())
    })
}

/// Percent-decodes `text`; in a query, `+` is a space (`application/x-www-form-urlencoded`).
fn decoded(text: &str, plus_is_space: bool) -> Vec<u8> {
    if plus_is_space && text.contains('+') {
        percent_decode(text.replace('+', " ").as_bytes()).collect()
    } else {
        percent_decode(text.as_bytes()).collect()
    }
}

/// The middleware: 400 for a path or query that is not UTF-8, before anything reads it.
pub async fn refuse_invalid_utf8(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(name) = first_invalid(req.path(), req.query_string()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let what = if name == "path" { "the path".to_string() } else { format!("query parameter `{name}`") };
    let detail = format!("{what} is not valid UTF-8 once percent-decoded");
    let response = if req.path().starts_with("/ims/oneroster/") {
        RosterError::data(&name, detail).error_response()
    } else {
        HttpResponse::BadRequest().content_type("application/problem+json").json(Problem {
            kind: "/problems/bad-request".into(),
            title: "Malformed request".into(),
            status: 400,
            detail: detail.clone(),
            errors: Some(vec![FieldError::new(name, detail)]),
        })
    };
    Ok(req.into_response(response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_found_in_values_names_and_paths() {
        assert_eq!(first_invalid("/api/v1/teachers", "school_id=2&subject=%ff%fe"), Some("subject".into()));
        assert_eq!(first_invalid("/api/v1/teachers", "a%ff=1"), Some("a\u{fffd}".into()));
        assert_eq!(first_invalid("/ims/oneroster/rostering/v1p2/users/%c3", ""), Some("path".into()));
        assert_eq!(first_invalid("/api/v1/teachers", "subject=%E8%AF%AD%E6%96%87&q=a+b&flag"), None);
        assert_eq!(first_invalid("/api/v1/teachers", "q=%EF%BF%BD"), None, "U+FFFD itself is valid");
    }
}
