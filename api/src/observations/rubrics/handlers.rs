//! The five endpoints of `/api/v1/rubrics`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::rubric;
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};

use super::queries::{check_name, dimensions_of, filtered, load_rubric, observations_using, replace_dimensions};
use super::rules::{check_dimensions, DimensionInput, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use super::views::{NewRubric, RubricFilter, RubricPatch, RubricView};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::org::ownership;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now, sorted};
use crate::state::State;
use crate::validate::Checks;

async fn view_of(db: &impl ConnectionTrait, r: rubric::Model) -> ApiResult<RubricView> {
    let dims = dimensions_of(db, &[r.id]).await?.remove(&r.id).unwrap_or_default();
    Ok(RubricView::new(r, dims))
}

/// List the rubrics the caller can see.
#[utoipa::path(tag = "rubrics", params(RubricFilter), responses((status = 200, description = "A page of rubrics", body = Page<RubricView>)))]
#[get("/rubrics")]
async fn list_rubrics(
    state: State,
    actor: Actor,
    filter: Query<RubricFilter>,
) -> ApiResult<web::Json<Page<RubricView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = sorted(
        filtered(&actor, &f),
        f.sort.as_deref(),
        &[("name", rubric::Column::Name), ("created_at", rubric::Column::CreatedAt), ("id", rubric::Column::Id)],
        rubric::Column::Id,
    )?;
    let page = fetch_page(query, paging, &state.db).await?;
    let dims = dimensions_of(&state.db, &page.ids(|r| r.id)).await?;
    Ok(web::Json(page.joined(|r| r.id, dims, RubricView::new)))
}

/// Create a rubric (the school's administrators; the district's for a district rubric).
#[utoipa::path(
    tag = "rubrics",
    request_body = NewRubric,
    responses(
        (status = 201, description = "Created", body = RubricView),
        (status = 409, description = "Another live rubric of the owner has this name", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/rubrics")]
async fn create_rubric(state: State, actor: Actor, body: Json<NewRubric>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let (district_id, school_id) = ownership::resolve(&state.db, &actor, body.school_id, body.district_id).await?;
    actor.require(ownership::manages(&actor, district_id, school_id), "manage rubrics here")?;
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, MAX_NAME_CHARS);
    let description = checks.optional_text("description", body.description.as_deref(), MAX_DESCRIPTION_CHARS);
    let inputs: Vec<DimensionInput> = body.dimensions.iter().map(|d| d.input()).collect();
    let dims = check_dimensions(&mut checks, &inputs);
    checks.finish()?;
    check_name(&state.db, district_id, school_id, &name, None).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let at = now();
    let saved = rubric::ActiveModel {
        district_id: Set(district_id),
        school_id: Set(school_id),
        name: Set(name),
        description: Set(description),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    replace_dimensions(&txn, saved.id, dims).await?;
    let view = view_of(&txn, saved).await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/rubrics/{}", view.id), view))
}

/// Get a rubric with its dimensions.
#[utoipa::path(tag = "rubrics", params(("id" = i64, Path, description = "Rubric id")), responses((status = 200, description = "The rubric", body = RubricView)))]
#[get("/rubrics/{id}")]
async fn get_rubric(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<RubricView>> {
    let found = load_rubric(&state.db, &actor, id.into_inner()).await?;
    Ok(web::Json(view_of(&state.db, found).await?))
}

/// Change a rubric. `dimensions` replaces the whole list; once an observation uses the rubric
/// its dimensions can no longer change (409: create a new rubric instead).
#[utoipa::path(
    tag = "rubrics",
    params(("id" = i64, Path, description = "Rubric id")),
    request_body = RubricPatch,
    responses(
        (status = 200, description = "Updated", body = RubricView),
        (status = 409, description = "The name is taken, or observations already score by these dimensions", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/rubrics/{id}")]
async fn update_rubric(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<RubricPatch>,
) -> ApiResult<web::Json<RubricView>> {
    let body = body.0;
    let current = load_rubric(&state.db, &actor, id.into_inner()).await?;
    actor.require(ownership::manages(&actor, current.district_id, current.school_id), "manage this rubric")?;
    let mut checks = Checks::new();
    let name = body.name.as_deref().map(|n| checks.text("name", n, MAX_NAME_CHARS));
    let description =
        body.description.map(|d| checks.optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS));
    let dims = body.dimensions.map(|list| {
        let inputs: Vec<DimensionInput> = list.iter().map(|d| d.input()).collect();
        check_dimensions(&mut checks, &inputs)
    });
    checks.finish()?;
    if let Some(name) = name.as_deref().filter(|_| current.archived_at.is_none()) {
        check_name(&state.db, current.district_id, current.school_id, name, Some(current.id)).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    if let Some(dims) = dims {
        let stored = dimensions_of(&txn, &[current.id]).await?.remove(&current.id).unwrap_or_default();
        let unchanged = stored.len() == dims.len()
            && stored
                .iter()
                .zip(&dims)
                .all(|(s, d)| s.name == d.name && s.max_points == d.max_points && s.description == d.description);
        // Sending the dimensions back as they are is not a change, used or not.
        if !unchanged {
            let used = observations_using(&txn, current.id).await?;
            if used > 0 {
                return Err(ApiError::conflict(
                    "dimensions",
                    format!("{used} observations score by this rubric's dimensions; create a new rubric instead"),
                ));
            }
            replace_dimensions(&txn, current.id, dims).await?;
        }
    }
    let mut active = current.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    let view = view_of(&txn, saved).await?;
    txn.commit().await?;
    Ok(web::Json(view))
}

/// Archive a rubric. Idempotent. Observations that used it keep their scores; new observations
/// can no longer use it.
#[utoipa::path(tag = "rubrics", params(("id" = i64, Path, description = "Rubric id")), responses((status = 204, description = "Archived")))]
#[delete("/rubrics/{id}")]
async fn archive_rubric(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_rubric(&state.db, &actor, id.into_inner()).await?;
    actor.require(ownership::manages(&actor, current.district_id, current.school_id), "manage this rubric")?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}
