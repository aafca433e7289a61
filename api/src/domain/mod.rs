//! What domain code fails with: the areas' rules and queries return [`DomainError`], never an
//! HTTP type. Only the edge ([`crate::error::ApiError`]) decides which status and body each
//! becomes, so the same rule can be called from a handler, the district sync or the demo seeder.

use sea_orm::DbErr;
use serde::Serialize;
use utoipa::ToSchema;

mod constraint;
pub mod ids;
pub mod names;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// Path of the field in the request: a JSON path such as `honours[0].level` for bodies,
    /// the parameter name for query and path parameters.
    #[schema(example = "end_date")]
    pub field: String,
    /// What is wrong with it.
    #[schema(example = "must not be before start_date")]
    pub message: String,
}

impl From<jiaoyan_quota::rules::RuleError> for FieldError {
    fn from(e: jiaoyan_quota::rules::RuleError) -> Self {
        FieldError { field: e.field, message: e.message }
    }
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Everything domain code can fail with. Each variant is a fact about the data or the caller's
/// rights, not a status code.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// No such object, or one outside the caller's scope (the edge never says which).
    #[error("{0}")]
    NotFound(String),
    /// The caller can see the object but may not do this to it.
    #[error("{0}")]
    Forbidden(String),
    /// The caller's credentials do not hold (a wrong password, a revoked token).
    #[error("{0}")]
    Unauthenticated(String),
    /// The write conflicts with existing data (a duplicate username, external_id ...).
    #[error("{detail}")]
    Conflict { detail: String, field: Option<String> },
    /// The object changed since the caller read the version it names.
    #[error("{0}")]
    Stale(String),
    /// Some fields are invalid.
    #[error("{} invalid", .0.len())]
    Invalid(Vec<FieldError>),
    /// Too many attempts, or a locked account; worth trying again after `retry_after` seconds.
    #[error("{detail}")]
    TooManyAttempts { detail: String, retry_after: u64 },
    /// A bug or an unavailable database.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type DomainResult<T> = Result<T, DomainError>;

impl DomainError {
    pub fn not_found(what: &str) -> Self {
        DomainError::NotFound(format!("no such {what}"))
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        DomainError::Forbidden(detail.into())
    }

    /// One invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn conflict(field: &str, detail: impl Into<String>) -> Self {
        DomainError::Conflict { detail: detail.into(), field: Some(field.to_string()) }
    }
}

#[cfg(test)]
impl DomainError {
    /// The problem+json body the edge answers for this error (for the rules' unit tests).
    pub fn problem(self) -> crate::error::Problem {
        crate::error::ApiError::from(self).problem()
    }
}

impl From<DbErr> for DomainError {
    /// Constraint violations that slipped past the rules' own checks (a race between two
    /// writers) become conflicts naming the field ([`constraint`]); everything else is internal.
    fn from(err: DbErr) -> Self {
        constraint::conflict_of(&err).unwrap_or_else(|| DomainError::Internal(anyhow::Error::new(err)))
    }
}
