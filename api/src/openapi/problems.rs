//! An example body for every error response, one per status: without them Swagger UI showed the
//! `Problem` schema's own example (a 422 naming `end_date`) under 401, 404 and 500 alike. Each
//! example is what the service answers, rendered from an [`ApiError`] of that status.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{RefOr, Schema};

use crate::error::{ApiError, FieldError};

/// A representative error of `status`, when the service answers it with a problem body.
fn error_of(status: &str) -> Option<ApiError> {
    Some(match status {
        "400" => ApiError::BadRequest("the body is not valid JSON: expected value at line 1 column 1".into()),
        "401" => ApiError::Unauthorized("the access token has expired".into()),
        "403" => ApiError::Forbidden("a teacher may not change another teacher's observation".into()),
        "404" => ApiError::NotFound("no such teacher".into()),
        "405" => ApiError::MethodNotAllowed,
        "409" => ApiError::Conflict {
            detail: "a user with this username already exists".into(),
            field: Some("username".into()),
        },
        "412" => ApiError::PreconditionFailed(
            "the resource has changed since the ETag in If-Match; read it again and reapply the change".into(),
        ),
        "413" => ApiError::PayloadTooLarge { limit: 1 << 20 },
        "415" => ApiError::UnsupportedMediaType("the body must be application/json".into()),
        "422" => ApiError::Validation(vec![FieldError::new("end_date", "must not be before start_date")]),
        "429" => ApiError::TooManyRequests {
            detail: "too many login attempts from this address; try again in 12 seconds".into(),
            retry_after: 12,
        },
        "500" => ApiError::Internal(anyhow::anyhow!("example")),
        _ => return None,
    })
}

/// Whether a schema is the `Problem` component.
fn is_problem(schema: Option<&RefOr<Schema>>) -> bool {
    matches!(schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem"))
}

/// Gives each problem response of `op` that has no example of its own the example of its status.
pub(super) fn add_examples(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        let (RefOr::T(response), Some(error)) = (response, error_of(status)) else { continue };
        for content in response.content.values_mut() {
            let RefOr::T(content) = content else { continue };
            if is_problem(content.schema.as_ref()) && content.example.is_none() && content.examples.is_empty() {
                content.example = serde_json::to_value(error.problem()).ok();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_example_has_its_own_status() {
        for status in ["400", "401", "403", "404", "405", "409", "412", "413", "415", "422", "429", "500"] {
            let problem = error_of(status).expect("an example").problem();
            assert_eq!(problem.status.to_string(), status);
        }
        assert!(error_of("200").is_none());
    }
}
