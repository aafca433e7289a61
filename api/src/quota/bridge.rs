//! Calls from quota's domain code into areas whose functions still answer an HTTP error
//! ([`ApiResult`]): `.domain()` turns such an error back into the [`DomainError`] it stands for
//! (the inverse of the edge's mapping in [`crate::error`]) and leaves a [`DomainResult`] as it
//! is, so a call site stays the same whichever of the two its callee returns.

use crate::domain::{DomainError, DomainResult};
use crate::error::{ApiError, ApiResult};

/// A result whose error is, or stands for, a [`DomainError`].
pub(crate) trait IntoDomain<T> {
    fn domain(self) -> DomainResult<T>;
}

impl<T> IntoDomain<T> for ApiResult<T> {
    fn domain(self) -> DomainResult<T> {
        self.map_err(|err| match err {
            ApiError::NotFound(detail) => DomainError::NotFound(detail),
            ApiError::Forbidden(detail) => DomainError::Forbidden(detail),
            ApiError::Unauthorized(detail) => DomainError::Unauthenticated(detail),
            ApiError::Conflict { detail, field } => DomainError::Conflict { detail, field },
            ApiError::PreconditionFailed(detail) => DomainError::Stale(detail),
            ApiError::Validation(errors) => DomainError::Invalid(errors),
            ApiError::TooManyRequests { detail, retry_after } => DomainError::TooManyAttempts { detail, retry_after },
            ApiError::Internal(cause) => DomainError::Internal(cause),
            // Failures of reading a request, which no domain function makes.
            other => DomainError::Internal(anyhow::anyhow!("{other}")),
        })
    }
}

impl<T> IntoDomain<T> for DomainResult<T> {
    fn domain(self) -> DomainResult<T> {
        self
    }
}
