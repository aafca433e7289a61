//! `GET /schools/{id}/statistics`.

use actix_web::{get, web};

use super::queries::figures_per_school;
use super::rules::{parse_cutoffs, Figures};
use super::views::{SchoolStatistics, StatisticsQuery};
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::org::schools::load_school;
use crate::state::State;

/// Teacher statistics of a school (district administrators and the school's administrator).
#[utoipa::path(
    tag = "schools",
    params(("id" = i64, Path, description = "School id"), StatisticsQuery),
    responses(
        (status = 200, description = "The school's teacher statistics", body = SchoolStatistics),
        (status = 403, description = "The caller is a teacher or group leader of the school", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/schools/{id}/statistics")]
pub(crate) async fn school_statistics(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<StatisticsQuery>,
) -> ApiResult<web::Json<SchoolStatistics>> {
    let query = query.0;
    let school = load_school(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(school.district_id, school.id), "see this school's teacher statistics")?;
    let cutoffs = parse_cutoffs(query.age_cutoffs.as_deref())?;
    let as_of = query.as_of.unwrap_or_else(crate::clock::today);
    let figures = figures_per_school(&state.db, &[school.id], &cutoffs, as_of)
        .await?
        .remove(&school.id)
        .unwrap_or_else(|| Figures::zero(&cutoffs));
    Ok(web::Json(SchoolStatistics::new(school.id, as_of, cutoffs, figures)))
}
