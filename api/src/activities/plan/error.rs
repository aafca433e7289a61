//! The planning endpoints' error: every [`ApiError`], plus the 422 for an incomplete "四定",
//! whose detail says so (a plain validation problem would only say how many fields are invalid).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use sea_orm::DbErr;

use super::rules::MissingFixed;
use crate::domain::DomainError;
use crate::error::{ApiError, FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Api(#[from] ApiError),
    /// 422: scheduling (or staying scheduled or held) needs all four 定.
    #[error("the 四定 are incomplete")]
    Incomplete(Vec<MissingFixed>),
}

impl From<DbErr> for PlanError {
    fn from(err: DbErr) -> Self {
        PlanError::Api(err.into())
    }
}

impl From<DomainError> for PlanError {
    fn from(err: DomainError) -> Self {
        PlanError::Api(err.into())
    }
}

pub type PlanResult<T> = Result<T, PlanError>;

impl PlanError {
    pub fn problem(&self) -> Problem {
        match self {
            PlanError::Api(e) => e.problem(),
            PlanError::Incomplete(missing) => {
                let names: Vec<&str> = missing.iter().map(|m| m.field).collect();
                Problem {
                    kind: "/problems/validation".into(),
                    title: "Invalid request".into(),
                    status: 422,
                    detail: format!(
                        "the 四定 (定时间、定内容、定地点、定主讲人) are incomplete; missing: {}",
                        names.join(", ")
                    ),
                    errors: Some(missing.iter().map(|m| FieldError::new(m.field, m.message)).collect()),
                }
            }
        }
    }
}

impl ResponseError for PlanError {
    fn status_code(&self) -> StatusCode {
        match self {
            PlanError::Api(e) => e.status_code(),
            PlanError::Incomplete(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            PlanError::Api(e) => e.error_response(),
            PlanError::Incomplete(_) => {
                HttpResponse::build(self.status_code()).content_type("application/problem+json").json(self.problem())
            }
        }
    }
}
