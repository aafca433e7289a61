//! Who is writing: the request's caller, address, request id and operation, carried from the
//! [`capture`] middleware to the writing transaction ([`apply`], called by
//! [`crate::db::begin_write`]), where the audit triggers read it.
//!
//! The caller is read from the bearer token alone (a user's access token or a machine client's
//! token, verified, without a database round trip); the handler's own extractor still decides
//! whether the caller may do anything. A request without a valid token (a login) is
//! `anonymous`; a write outside any request is `system`.

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde::Serialize;

use crate::auth::bearer_token;
use crate::state::AppState;

/// The context of one request's writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditContext {
    pub actor_type: &'static str,
    pub actor_id: Option<i64>,
    pub address: Option<String>,
    pub request_id: Option<String>,
    pub operation: Option<String>,
}

impl AuditContext {
    /// Writes outside a request.
    pub fn system() -> AuditContext {
        AuditContext { actor_type: "system", actor_id: None, address: None, request_id: None, operation: None }
    }
}

tokio::task_local! {
    /// The context of the request whose handler runs in this task.
    static CURRENT: Arc<AuditContext>;
}

/// The context of the current task: the request's, or [`AuditContext::system`].
pub fn current() -> AuditContext {
    CURRENT.try_with(|c| (**c).clone()).unwrap_or_else(|_| AuditContext::system())
}

/// Runs `f` with `context` as the writer (tests and tasks acting for someone).
pub async fn scope<F: std::future::Future>(context: AuditContext, f: F) -> F::Output {
    CURRENT.scope(Arc::new(context), f).await
}

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
    let request_id = req.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string());
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

/// Hands the current context to the audit triggers of `txn`, a writing transaction that has
/// just begun: a transaction-local setting on PostgreSQL, the `audit_context` row on SQLite
/// (which holds the write lock from `BEGIN IMMEDIATE`, so no other writer sees it).
///
/// On PostgreSQL it also registers the transaction as a writer of change versions in the same
/// statement (see [`crate::db::begin_write`]); it takes no lock another writer waits for.
pub async fn apply(txn: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    let context = current();
    match txn.get_database_backend() {
        DatabaseBackend::Postgres => {
            let json = serde_json::to_string(&context).unwrap_or_default();
            txn.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT set_config('jiaoyan.audit', $1, true), jy_register_writer()",
                [json.into()],
            ))
            .await?;
        }
        backend => {
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE audit_context SET actor_type = ?, actor_id = ?, address = ?, request_id = ?, operation = ? \
                 WHERE id = 1",
                [
                    context.actor_type.into(),
                    context.actor_id.into(),
                    context.address.into(),
                    context.request_id.into(),
                    context.operation.into(),
                ],
            ))
            .await?;
        }
    }
    Ok(())
}

/// Resets the SQLite context to `system` outside any transaction of the application: at start,
/// before the bootstrap and the demo seed write.
pub async fn reset(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        db.execute_unprepared(
            "UPDATE audit_context SET actor_type = 'system', actor_id = NULL, address = NULL, request_id = NULL, \
             operation = NULL, pruning = 0 WHERE id = 1",
        )
        .await?;
    }
    Ok(())
}
