//! The endpoints: extract, call, respond.

use super::queries::topics_matching;
use super::queries::*;
use super::views::*;
use crate::auth::Actor;
use crate::domain::DomainError;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, require_live, require_manages_contents};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, no_content, now, save_changes};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::research_topic;
use sea_orm::{IntoActiveModel, Set};

/// List the research topics of the groups the caller can see.
#[utoipa::path(tag = "research-topics", params(ResearchTopicFilter), responses((status = 200, description = "A page of research topics", body = Page<ResearchTopicView>)))]
#[get("/research-topics")]
pub(super) async fn list_research_topics(
    state: State,
    actor: Actor,
    filter: Query<ResearchTopicFilter>,
) -> ApiResult<web::Json<Page<ResearchTopicView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = topics_matching(&actor, &f)?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(ResearchTopicView::from)))
}

/// Declare a group's research topic for a semester (the group's administrators and leader).
#[utoipa::path(
    tag = "research-topics",
    request_body = NewResearchTopic,
    responses(
        (status = 201, description = "Created", body = ResearchTopicView),
        (status = 409, description = "The group already has a live topic for the semester", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/research-topics")]
pub(super) async fn create_research_topic(
    state: State,
    actor: Actor,
    body: Json<NewResearchTopic>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let group = match load_group(&state.db, &actor, body.group_id).await {
        Err(DomainError::NotFound(_)) => return Err(ApiError::invalid("group_id", "no such group")),
        other => other?,
    };
    require_manages_contents(&state.db, &actor, &group).await?;
    require_live(&group).map_err(|_| ApiError::invalid("group_id", "the group is archived"))?;
    let mut checks = Checks::new();
    let title = checks.text("title", &body.title, 200);
    let description = checks.optional_text("description", body.description.as_deref(), 5000);
    check_semester(&state.db, &group, body.semester_id, &mut checks).await?;
    checks.finish()?;
    check_one_per_semester(&state.db, group.id, body.semester_id, None).await?;
    let at = now();
    let saved = research_topic::ActiveModel {
        group_id: Set(group.id),
        semester_id: Set(body.semester_id),
        title: Set(title),
        description: Set(description),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert_written(&state.db)
    .await?;
    Ok(created(format!("/api/v1/research-topics/{}", saved.id), ResearchTopicView::from(saved)))
}

/// Get a research topic.
#[utoipa::path(tag = "research-topics", params(("id" = i64, Path, description = "Research topic id")), responses((status = 200, description = "The research topic", body = ResearchTopicView)))]
#[get("/research-topics/{id}")]
pub(super) async fn get_research_topic(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<ResearchTopicView>> {
    Ok(web::Json(load_topic(&state.db, &actor, id.into_inner()).await?.0.into()))
}

/// Change a research topic (the group's administrators and leader).
#[utoipa::path(
    tag = "research-topics",
    params(("id" = i64, Path, description = "Research topic id")),
    request_body = ResearchTopicPatch,
    responses(
        (status = 200, description = "Updated", body = ResearchTopicView),
        (status = 409, description = "The group already has a live topic for the semester", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/research-topics/{id}")]
pub(super) async fn update_research_topic(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ResearchTopicPatch>,
) -> ApiResult<web::Json<ResearchTopicView>> {
    let body = body.0;
    let (current, group) = load_topic(&state.db, &actor, id.into_inner()).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    let mut checks = Checks::new();
    let title = body.title.as_deref().map(|t| checks.text("title", t, 200));
    let description = body.description.map(|d| checks.optional_text("description", d.as_deref(), 5000));
    if let Some(s) = body.semester_id.filter(|s| *s != current.semester_id) {
        check_semester(&state.db, &group, s, &mut checks).await?;
    }
    checks.finish()?;
    if let Some(s) = body.semester_id.filter(|_| current.archived_at.is_none()) {
        check_one_per_semester(&state.db, group.id, s, Some(current.id)).await?;
    }
    let mut active = current.into_active_model();
    if let Some(s) = body.semester_id {
        active.semester_id = Set(s);
    }
    if let Some(title) = title {
        active.title = Set(title);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    active.updated_at = Set(now());
    Ok(web::Json(save_changes(&state.db, active).await?.into()))
}

/// Archive a research topic (the group's administrators and leader). Idempotent.
#[utoipa::path(
    tag = "research-topics",
    params(("id" = i64, Path, description = "Research topic id")),
    responses((status = 204, description = "Archived"))
)]
#[delete("/research-topics/{id}")]
pub(super) async fn archive_research_topic(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let (current, group) = load_topic(&state.db, &actor, id.into_inner()).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    archive(&state.db, current).await?;
    Ok(no_content())
}
