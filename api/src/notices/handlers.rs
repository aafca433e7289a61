//! The endpoints: extract, call, respond.

use super::queries::notices_matching;
use super::queries::*;
use super::views::*;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::pagination::{fetch_page, Page, Paging};
use crate::state::State;
use actix_web::{get, web};

/// List the notices to the schools within reach, newest first (school and district
/// administrators).
#[utoipa::path(
    tag = "notices",
    params(NoticeFilter),
    responses(
        (status = 200, description = "A page of notices", body = Page<NoticeView>),
        (status = 403, description = "The caller's role reads no notices (teachers, group leaders)", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/notices")]
pub(super) async fn list_notices(
    state: State,
    actor: Actor,
    filter: Query<NoticeFilter>,
) -> ApiResult<web::Json<Page<NoticeView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    actor.require(reads_notices(&actor), "read notices")?;
    let query = notices_matching(&actor, &f);
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(NoticeView::from)))
}

/// Get one notice (the addressed school's and the district's administrators).
#[utoipa::path(
    tag = "notices",
    params(("id" = i64, Path, description = "Notice id")),
    responses(
        (status = 200, description = "The notice", body = NoticeView),
        (status = 403, description = "The caller's role reads no notices (teachers, group leaders)", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/notices/{id}")]
pub(super) async fn get_notice(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<NoticeView>> {
    Ok(web::Json(load_notice(&state.db, &actor, id.into_inner()).await?.into()))
}
