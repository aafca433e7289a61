//! The version a single-resource GET read with its resource, handed to the ETag middleware
//! ([`crate::conditional`]), which then does not read it again: one statement less, and the tag
//! is exactly the body's.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

/// The resource types whose single-resource GET handler reads its own version (in the statement
/// that reads the resource) and hands it over with [`read_with`]; the middleware then does not
/// read it. Such a handler must call [`read_with`] on every 200.
pub const READS_OWN_VERSION: &[&str] = &["teachers", "observations", "records", "preparations"];

tokio::task_local! {
    /// The version a [`READS_OWN_VERSION`] handler read, for the middleware.
    static READ_VERSION: Rc<Cell<Option<i64>>>;
}

/// Hands the version read with the resource to the middleware (`None`: never written, no tag).
/// Outside a GET of a [`READS_OWN_VERSION`] type it does nothing.
pub fn read_with(version: Option<i64>) {
    let _ = READ_VERSION.try_with(|slot| slot.set(version));
}

/// Runs `handler` (a GET of a [`READS_OWN_VERSION`] type) and answers its output with the version
/// it handed over.
pub async fn reading_own_version<T>(handler: impl Future<Output = T>) -> (Option<i64>, T) {
    let slot = Rc::new(Cell::new(None));
    let out = READ_VERSION.scope(slot.clone(), handler).await;
    (slot.get(), out)
}
