//! OneRoster's error body (the imsx status info of the 1.2 REST binding) and the one error type of
//! the OneRoster view.
//!
//! The rest of the API answers RFC 9457 problem+json; OneRoster clients expect
//! `{imsx_codeMajor, imsx_severity, imsx_description, imsx_CodeMinor}` instead, so every answer
//! under `/ims/oneroster/` that is not a success has this shape, including authentication and
//! scope failures (which come from the shared `Caller`/`Access` as `ApiError`s and are translated
//! here). `imsx_codeMinorFieldName` names the offending field or parameter (`dateLastModified`,
//! `fields`, `limit` ...) when there is one, as the binding defines it, and `TargetEndSystem`
//! otherwise.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// The minor status codes we answer with (OneRoster 1.2 `imsx_CodeMinorValueEnum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeMinor {
    /// 400: `filter` cannot be parsed, names a field that cannot be filtered, or has a value of
    /// the wrong type for its field.
    InvalidFilterField,
    /// 400: `fields` names a field the object does not have, or is blank.
    InvalidSelectionField,
    /// 400: `sort` names a field that cannot be sorted, or `orderBy` is neither `asc` nor `desc`.
    InvalidSortField,
    /// 400: `limit` or `offset` is not a number in range.
    #[serde(rename = "invaliddata")]
    InvalidData,
    /// 404: no such object, or one outside the caller's scope.
    #[serde(rename = "unknownobject")]
    UnknownObject,
    /// 401: no valid bearer token.
    #[serde(rename = "unauthorisedrequest")]
    UnauthorisedRequest,
    /// 403: the caller lacks the `roster.read` scope, or its role may not read the roster.
    Forbidden,
    /// 500: a bug or an unavailable database (logged, never described).
    InternalServerError,
}

impl CodeMinor {
    pub fn status(self) -> StatusCode {
        match self {
            CodeMinor::InvalidFilterField
            | CodeMinor::InvalidSelectionField
            | CodeMinor::InvalidSortField
            | CodeMinor::InvalidData => StatusCode::BAD_REQUEST,
            CodeMinor::UnknownObject => StatusCode::NOT_FOUND,
            CodeMinor::UnauthorisedRequest => StatusCode::UNAUTHORIZED,
            CodeMinor::Forbidden => StatusCode::FORBIDDEN,
            CodeMinor::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// One minor status code and the field it is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImsxCodeMinorField {
    /// The field or parameter the code is about (`dateLastModified`, `fields`, `limit` ...), or
    /// `TargetEndSystem` when the whole request is concerned.
    #[serde(rename = "imsx_codeMinorFieldName")]
    #[schema(example = "dateLastModified")]
    pub name: String,
    #[serde(rename = "imsx_codeMinorFieldValue")]
    pub value: CodeMinor,
}

/// The minor status codes of an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImsxCodeMinor {
    #[serde(rename = "imsx_codeMinorField")]
    pub fields: Vec<ImsxCodeMinorField>,
}

/// A OneRoster error body (imsx status info).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "imsx_codeMajor": "failure",
    "imsx_severity": "error",
    "imsx_description": "dateLastModified: '2026-13-01' is not an ISO 8601 date-time such as 2026-09-01T00:00:00Z",
    "imsx_CodeMinor": {"imsx_codeMinorField": [
        {"imsx_codeMinorFieldName": "dateLastModified", "imsx_codeMinorFieldValue": "invalid_filter_field"}
    ]}
}))]
pub struct ImsxStatusInfo {
    /// Always `failure` on an error.
    #[serde(rename = "imsx_codeMajor")]
    #[schema(example = "failure")]
    pub code_major: String,
    /// Always `error` on an error.
    #[serde(rename = "imsx_severity")]
    #[schema(example = "error")]
    pub severity: String,
    /// What went wrong, for people.
    #[serde(rename = "imsx_description")]
    pub description: String,
    #[serde(rename = "imsx_CodeMinor")]
    pub code_minor: ImsxCodeMinor,
}

/// Everything a OneRoster request can fail with.
#[derive(Debug)]
pub struct RosterError {
    pub minor: CodeMinor,
    /// The field or parameter concerned, if any.
    pub field: Option<String>,
    pub description: String,
    /// Logged, never answered (500s only).
    cause: Option<anyhow::Error>,
}

impl RosterError {
    pub fn new(minor: CodeMinor, field: Option<&str>, description: impl Into<String>) -> Self {
        RosterError { minor, field: field.map(str::to_string), description: description.into(), cause: None }
    }

    pub fn filter(field: &str, description: impl Into<String>) -> Self {
        Self::new(CodeMinor::InvalidFilterField, Some(field), description)
    }

    pub fn selection(description: impl Into<String>) -> Self {
        Self::new(CodeMinor::InvalidSelectionField, Some("fields"), description)
    }

    pub fn sort(field: &str, description: impl Into<String>) -> Self {
        Self::new(CodeMinor::InvalidSortField, Some(field), description)
    }

    pub fn data(field: &str, description: impl Into<String>) -> Self {
        Self::new(CodeMinor::InvalidData, Some(field), description)
    }

    pub fn unknown_object(what: &str, sourced_id: &str) -> Self {
        Self::new(CodeMinor::UnknownObject, Some("sourcedId"), format!("no {what} has the sourcedId '{sourced_id}'"))
    }

    pub fn internal(cause: anyhow::Error) -> Self {
        RosterError {
            minor: CodeMinor::InternalServerError,
            field: None,
            description: "the server failed to handle the request; it has been logged".into(),
            cause: Some(cause),
        }
    }

    pub fn body(&self) -> ImsxStatusInfo {
        ImsxStatusInfo {
            code_major: "failure".into(),
            severity: "error".into(),
            description: self.description.clone(),
            code_minor: ImsxCodeMinor {
                fields: vec![ImsxCodeMinorField {
                    name: self.field.clone().unwrap_or_else(|| "TargetEndSystem".into()),
                    value: self.minor,
                }],
            },
        }
    }
}

impl std::fmt::Display for RosterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl ResponseError for RosterError {
    fn status_code(&self) -> StatusCode {
        self.minor.status()
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(cause) = &self.cause {
            tracing::error!(error = ?cause, "OneRoster request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if self.minor == CodeMinor::UnauthorisedRequest {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.body())
    }
}

impl From<ApiError> for RosterError {
    /// The shared caller and access checks speak problem+json; here they become OneRoster errors
    /// with the same status (a 422 from `Access::of` only happens to an installation
    /// administrator, who has no district to read: 403).
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::Unauthorized(detail) => RosterError::new(CodeMinor::UnauthorisedRequest, None, detail),
            ApiError::Forbidden(detail) => RosterError::new(CodeMinor::Forbidden, None, detail),
            ApiError::Validation(_) => RosterError::new(
                CodeMinor::Forbidden,
                None,
                "an installation administrator has no district: read the roster as a district administrator or a machine client",
            ),
            ApiError::NotFound(detail) => RosterError::new(CodeMinor::UnknownObject, None, detail),
            ApiError::Internal(cause) => RosterError::internal(cause),
            other => RosterError::internal(anyhow::anyhow!("unexpected error in the OneRoster view: {other}")),
        }
    }
}

impl From<crate::domain::DomainError> for RosterError {
    /// A domain failure (of `Access::of`, `Access::require` ...) as the edge's problem would
    /// state it, then as a OneRoster error with the same status.
    fn from(err: crate::domain::DomainError) -> Self {
        RosterError::from(ApiError::from(err))
    }
}

impl From<sea_orm::DbErr> for RosterError {
    fn from(err: sea_orm::DbErr) -> Self {
        RosterError::internal(anyhow::Error::new(err))
    }
}

pub type RosterResult<T> = Result<T, RosterError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_names_the_field_and_the_minor_code() {
        let body = serde_json::to_value(RosterError::filter("dateLastModified", "bad date").body()).unwrap();
        assert_eq!(body["imsx_codeMajor"], "failure");
        assert_eq!(body["imsx_severity"], "error");
        let minor = &body["imsx_CodeMinor"]["imsx_codeMinorField"][0];
        assert_eq!(minor["imsx_codeMinorFieldName"], "dateLastModified");
        assert_eq!(minor["imsx_codeMinorFieldValue"], "invalid_filter_field");
    }

    #[test]
    fn codes_are_the_bindings_spelling_and_statuses_follow() {
        for (minor, code, status) in [
            (CodeMinor::InvalidFilterField, "invalid_filter_field", 400),
            (CodeMinor::InvalidSelectionField, "invalid_selection_field", 400),
            (CodeMinor::InvalidSortField, "invalid_sort_field", 400),
            (CodeMinor::InvalidData, "invaliddata", 400),
            (CodeMinor::UnknownObject, "unknownobject", 404),
            (CodeMinor::UnauthorisedRequest, "unauthorisedrequest", 401),
            (CodeMinor::Forbidden, "forbidden", 403),
            (CodeMinor::InternalServerError, "internal_server_error", 500),
        ] {
            assert_eq!(serde_json::to_value(minor).unwrap(), code);
            assert_eq!(minor.status().as_u16(), status);
        }
    }

    #[test]
    fn internal_causes_do_not_leak() {
        let err = RosterError::internal(anyhow::anyhow!("password=hunter2"));
        assert!(!err.body().description.contains("hunter2"));
        assert_eq!(err.body().code_minor.fields[0].name, "TargetEndSystem");
    }

    #[test]
    fn access_errors_keep_their_status() {
        assert_eq!(RosterError::from(ApiError::Unauthorized("x".into())).minor.status(), 401);
        assert_eq!(RosterError::from(ApiError::forbidden("x")).minor.status(), 403);
        assert_eq!(RosterError::from(ApiError::invalid("district_id", "required")).minor.status(), 403);
    }
}
