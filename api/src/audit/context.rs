//! Who is writing: the [`capture`] middleware states the request's caller, address, request id
//! and operation ([`AuditContext`]) for the handler's writing transactions, which hand it to the
//! audit triggers ([`crate::db::audit_context`]).
//!
//! The caller is read from the bearer token alone (a user's access token or a machine client's
//! token, verified, without a database round trip); the handler's own extractor still decides
//! whether the caller may do anything. A request without a valid token (a login) is
//! `anonymous`; a write outside any request is `system`.

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::caller::bearer_token;
use crate::db::audit_context::CURRENT;
pub use crate::db::audit_context::{current, scope, AuditContext};
use crate::state::AppState;

/// The middleware: states the request's context for the handler's writing transactions.
pub async fn capture(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let (actor_type, actor_id) = match (bearer_token(req.request()), req.app_data::<web::Data<AppState>>()) {
        (Some(token), Some(state)) => match state.keys.verify_access(&token) {
            Some(user_id) => ("user", Some(user_id)),
            None => match state.keys.verify_client(&token).and_then(|c| c.sub.parse().ok()) {
                Some(client_id) => ("client", Some(client_id)),
                None => ("anonymous", None),
            },
        },
        _ => ("anonymous", None),
    };
    let request_id = crate::logging::RequestId::of(&req);
    let operation = req.match_pattern().map(|pattern| format!("{} {pattern}", req.method()));
    let context = AuditContext {
        actor_type,
        actor_id,
        address: req.peer_addr().map(|a| a.ip().to_string()),
        request_id,
        operation: operation.map(|o| o.chars().take(200).collect()),
    };
    CURRENT.scope(Arc::new(context), next.call(req)).await
}
