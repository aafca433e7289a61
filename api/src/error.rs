//! The API's one error type, rendered as an RFC 9457 `application/problem+json` body.
//!
//! Handlers return `Result<_, ApiError>`; each variant says which status it becomes. Internal
//! errors are logged with their cause and answered with a generic body: causes never leak.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::DbErr;

use crate::domain::DomainError;
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::domain::FieldError;

/// An RFC 9457 problem details body.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation",
    "title": "Invalid request",
    "status": 422,
    "detail": "1 field is invalid",
    "errors": [{"field": "end_date", "message": "must not be before start_date"}]
}))]
pub struct Problem {
    /// A URI reference naming the kind of problem; stable, so clients can branch on it.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// The invalid fields, for validation problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request cannot be parsed at all (malformed JSON, empty body).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no credentials, or credentials that are invalid or expired.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: the caller can see the object but may not do this to it.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such object, or one outside the caller's scope (never 403: that would leak it).
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: the write conflicts with existing data (a duplicate username, external_id ...).
    #[error("{detail}")]
    Conflict { detail: String, field: Option<String> },
    /// 412: an `If-Match` precondition failed: the resource changed since the client read it.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 413: the body is larger than the configured limit.
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// 415: the body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: the request is well-formed but some fields are invalid.
    #[error("{} invalid", .0.len())]
    Validation(Vec<FieldError>),
    /// 429: too many attempts, or a locked account; try again after `retry_after` seconds
    /// (sent as `Retry-After`).
    #[error("{detail}")]
    TooManyRequests { detail: String, retry_after: u64 },
    /// 500: a bug or an unavailable database; logged, never described to the client.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// 503: the service is not ready (`GET /readyz`); `errors` names each failed check.
    #[error("not ready: {}", .0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(", "))]
    Unavailable(Vec<FieldError>),
}

impl ApiError {
    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("no such {what}"))
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::Forbidden(detail.into())
    }

    /// A 422 about one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(field: &str, detail: impl Into<String>) -> Self {
        ApiError::Conflict { detail: detail.into(), field: Some(field.to_string()) }
    }

    fn kind_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("/problems/bad-request", "Malformed request"),
            ApiError::Unauthorized(_) => ("/problems/unauthorized", "Authentication required"),
            ApiError::Forbidden(_) => ("/problems/forbidden", "Not allowed"),
            ApiError::NotFound(_) => ("/problems/not-found", "Not found"),
            ApiError::MethodNotAllowed => ("/problems/method-not-allowed", "Method not allowed"),
            ApiError::Conflict { .. } => ("/problems/conflict", "Conflict"),
            ApiError::PreconditionFailed(_) => ("/problems/precondition-failed", "Precondition failed"),
            ApiError::PayloadTooLarge { .. } => ("/problems/payload-too-large", "Request body too large"),
            ApiError::UnsupportedMediaType(_) => ("/problems/unsupported-media-type", "Unsupported media type"),
            ApiError::Validation(_) => ("/problems/validation", "Invalid request"),
            ApiError::TooManyRequests { .. } => ("/problems/too-many-requests", "Too many requests"),
            ApiError::Internal(_) => ("/problems/internal", "Internal server error"),
            ApiError::Unavailable(_) => ("/problems/unavailable", "Service unavailable"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (kind, title) = self.kind_and_title();
        let (detail, errors) = match self {
            ApiError::Validation(errors) => {
                let n = errors.len();
                let detail = match errors.as_slice() {
                    [one] => format!("{}: {}", one.field, one.message),
                    _ => format!("{n} fields are invalid"),
                };
                (detail, Some(errors.clone()))
            }
            ApiError::Conflict { detail, field: Some(field) } => {
                (detail.clone(), Some(vec![FieldError::new(field.clone(), detail.clone())]))
            }
            ApiError::Internal(_) => ("the server failed to handle the request; it has been logged".to_string(), None),
            ApiError::Unavailable(errors) => (self.to_string(), Some(errors.clone())),
            other => (other.to_string(), None),
        };
        Problem {
            kind: kind.to_string(),
            title: title.to_string(),
            status: self.status_code().as_u16(),
            detail,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = ?cause, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        if let ApiError::Unauthorized(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let ApiError::TooManyRequests { retry_after, .. } = self {
            response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        response.json(self.problem())
    }
}

impl From<DbErr> for ApiError {
    /// Constraint violations become 409s naming the field (see [`DomainError`]'s `From<DbErr>`).
    fn from(err: DbErr) -> Self {
        DomainError::from(err).into()
    }
}

impl From<DomainError> for ApiError {
    /// The one place a domain failure gets its status.
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::NotFound(detail) => ApiError::NotFound(detail),
            DomainError::Forbidden(detail) => ApiError::Forbidden(detail),
            DomainError::Unauthenticated(detail) => ApiError::Unauthorized(detail),
            DomainError::Conflict { detail, field } => ApiError::Conflict { detail, field },
            DomainError::Stale(detail) => ApiError::PreconditionFailed(detail),
            DomainError::Invalid(errors) => ApiError::Validation(errors),
            DomainError::TooManyAttempts { detail, retry_after } => ApiError::TooManyRequests { detail, retry_after },
            DomainError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problem_names_every_field() {
        let err = ApiError::Validation(vec![FieldError::new("name", "required"), FieldError::new("tier", "unknown")]);
        let problem = err.problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors.unwrap().len(), 2);
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let err = ApiError::Internal(anyhow::anyhow!("password=hunter2"));
        assert!(!err.problem().detail.contains("hunter2"));
    }
}
