//! Counting the database statements a request issues, behind a setting that is off in
//! production (`JIAOYAN_COUNT_STATEMENTS`, `--count-statements`): the test harness and the
//! benchmark turn it on to prove what a read costs (docs/PERFORMANCE.md, "Reads").
//!
//! sea-orm calls a metric callback after every statement it runs; the callback adds one to a
//! counter that lives in the request's task ([`count`] opens it around the whole request, so the
//! actor's reload, the ETag middleware and the handler all count), and the answer carries the
//! total in `X-Statement-Count`. Counting statements, not matching their SQL text, keeps the
//! tests that use it independent of how a statement is written.

use std::cell::Cell;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use sea_orm::DatabaseConnection;

/// The response header that carries the count.
pub const HEADER: &str = "x-statement-count";

tokio::task_local! {
    static STATEMENTS: Cell<u32>;
}

/// Makes every statement run on `db` (this handle, not clones taken before) count for the
/// request that runs it.
pub fn install(db: &mut DatabaseConnection) {
    db.set_metric_callback(|_| {
        let _ = STATEMENTS.try_with(|n| n.set(n.get() + 1));
    });
}

/// The middleware: counts the request's statements and answers the total in [`HEADER`].
pub async fn count(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    STATEMENTS
        .scope(Cell::new(0), async move {
            let mut res = next.call(req).await?;
            let n = STATEMENTS.with(Cell::get);
            res.headers_mut().insert(HeaderName::from_static(HEADER), HeaderValue::from(n));
            Ok(res)
        })
        .await
}
