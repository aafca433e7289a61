//! `GET /activities`: the activities the caller sees, filtered and sorted.

use actix_web::{get, web};
use sea_orm::QuerySelect;

use super::lessons::lessons_of;
use super::queries::activities_matching;
use super::views::{ActivityFilter, ActivityView};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::pagination::{joined, Page, Paging};
use crate::state::State;

/// List the activities the caller can see.
#[utoipa::path(
    tag = "activities",
    params(ActivityFilter),
    responses((status = 200, description = "A page of activities", body = Page<ActivityView>))
)]
#[get("/activities")]
pub(super) async fn list_activities(
    state: State,
    actor: Actor,
    filter: Query<ActivityFilter>,
) -> ApiResult<web::Json<Page<ActivityView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = activities_matching(&actor, &f)?;
    let total = sea_orm::PaginatorTrait::count(query.clone(), &state.db).await?;
    let rows = query.limit(paging.limit).offset(paging.offset).all(&state.db).await?;
    let lessons = lessons_of(&state.db, &rows.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
    let today = today();
    let items = joined(rows, |a| a.id, lessons, |a, l| ActivityView::new(a, l, today)).collect();
    Ok(web::Json(Page::new(items, total, paging)))
}
