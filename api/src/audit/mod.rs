//! The audit trail (docs/AUDIT.md): every write of an audited table is recorded by database
//! triggers in the writing transaction (migration 10) with who, what (before → after), when,
//! from where and through which operation. This module hands the request's context to those
//! triggers ([`context`]), serves `GET /audit` within the caller's scope, and purges entries past
//! the retention period ([`retention`]). See docs/AUDIT.md.

pub mod context;
mod handlers;
mod queries;
pub mod retention;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_audit);
}
