//! Who is writing, for the audit triggers: the request's caller, address, request id and
//! operation, stated by the edge's middleware ([`crate::audit::context::capture`]) for the
//! handler's task and handed to each writing transaction ([`apply`], called by
//! [`super::begin_write`]), where the audit triggers read it. A write outside any request is
//! `system`.

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde::Serialize;

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
    pub(crate) static CURRENT: Arc<AuditContext>;
}

/// The context of the current task: the request's, or [`AuditContext::system`].
pub fn current() -> AuditContext {
    CURRENT.try_with(|c| (**c).clone()).unwrap_or_else(|_| AuditContext::system())
}

/// Runs `f` with `context` as the writer (tests and tasks acting for someone).
pub async fn scope<F: std::future::Future>(context: AuditContext, f: F) -> F::Output {
    CURRENT.scope(Arc::new(context), f).await
}

/// Hands the current context to the audit triggers of `txn`, a writing transaction that has
/// just begun: a transaction-local setting on PostgreSQL, the `audit_context` row on SQLite
/// (which holds the write lock from `BEGIN IMMEDIATE`, so no other writer sees it).
///
/// On PostgreSQL it also registers the transaction as a writer of change versions in the same
/// statement (see [`super::begin_write`]); it takes no lock another writer waits for.
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
