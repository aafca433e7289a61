//! `GET /audit`.

use actix_web::{get, web};

use super::rules::scope_of;
use super::views::{AuditEntryView, AuditFilter};
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::pagination::{Page, Paging};
use crate::state::State;
use crate::validate::Checks;

/// The audit trail, newest first: who changed what (before → after), when, from where and
/// through which operation. The installation administrator reads every entry, a district
/// administrator their district's, a school administrator their school's; a teacher the history
/// of what they own (their observations, records and teacher record). Entries outside the
/// caller's scope are simply not listed.
#[utoipa::path(
    tag = "audit",
    params(AuditFilter),
    responses((status = 200, description = "A page of audit entries", body = Page<AuditEntryView>))
)]
#[get("/audit")]
pub(super) async fn list_audit(
    state: State,
    actor: Actor,
    filter: Query<AuditFilter>,
) -> ApiResult<web::Json<Page<AuditEntryView>>> {
    let filter = filter.0;
    let mut checks = Checks::new();
    for (field, id) in [("resource_id", filter.resource_id), ("actor_id", filter.actor_id)] {
        checks.ensure(id.is_none_or(|id| id >= 1), field, "an id is at least 1");
    }
    checks.finish()?;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let page = super::queries::list(&state.db, scope_of(&actor), &filter, paging).await?;
    Ok(web::Json(page.map(AuditEntryView::from)))
}
