//! Research topics (研究主题): each group declares one per semester and reports it to the
//! academic office.
//!
//! Whoever sees the group reads its topics; the group's administrators and its leader write them
//! (see [`crate::groups::access`]).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use entities::{group, research_topic, semester};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, QueryTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Actor;
use crate::domain::DomainError;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, require_live, require_manages_contents, sees_group, visible_group_ids};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, ensure_unique, no_content, now, save_changes, sorted};
use crate::state::State;
use crate::validate::{nullable, Checks};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_research_topics)
        .service(create_research_topic)
        .service(get_research_topic)
        .service(update_research_topic)
        .service(archive_research_topic);
}

/// A group's research topic (研究主题) for a semester, as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "group_id": 2, "semester_id": 1, "title": "低年级识字写字教学的有效性研究",
    "description": null, "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct ResearchTopicView {
    pub id: i64,
    pub group_id: i64,
    pub semester_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<research_topic::Model> for ResearchTopicView {
    fn from(m: research_topic::Model) -> Self {
        ResearchTopicView {
            id: m.id,
            group_id: m.group_id,
            semester_id: m.semester_id,
            title: m.title,
            description: m.description,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new research topic.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"group_id": 2, "semester_id": 1, "title": "低年级识字写字教学的有效性研究"}))]
pub struct NewResearchTopic {
    /// A live group; one live topic per group and semester.
    pub group_id: i64,
    /// A semester of the group's district.
    pub semester_id: i64,
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    pub description: Option<String>,
}

/// Changes to a research topic; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "低年级识字写字教学的有效性研究", "description": "每月一次课例研讨"}))]
pub struct ResearchTopicPatch {
    pub semester_id: Option<i64>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResearchTopicFilter {
    pub group_id: Option<i64>,
    pub semester_id: Option<i64>,
    /// Topics of this school's groups.
    pub school_id: Option<i64>,
    /// Include archived topics (default false).
    pub include_archived: Option<bool>,
    /// `title`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A topic of a group the caller sees, with that group, or 404.
async fn load_topic(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> ApiResult<(research_topic::Model, group::Model)> {
    let topic =
        research_topic::Entity::find_by_id(id).one(db).await?.ok_or_else(|| ApiError::not_found("research topic"))?;
    let group = group::Entity::find_by_id(topic.group_id)
        .one(db)
        .await?
        .filter(|g| sees_group(actor, g))
        .ok_or_else(|| ApiError::not_found("research topic"))?;
    Ok((topic, group))
}

/// The semester must belong to the group's district.
async fn check_semester(
    db: &impl ConnectionTrait,
    group: &group::Model,
    semester_id: i64,
    checks: &mut Checks,
) -> ApiResult<()> {
    let found = semester::Entity::find_by_id(semester_id).one(db).await?;
    checks.ensure(
        found.is_some_and(|s| s.district_id == group.district_id && s.archived_at.is_none()),
        "semester_id",
        "no such semester in the group's district",
    );
    Ok(())
}

/// 409 when the group already has a live topic for the semester.
async fn check_one_per_semester(
    db: &impl ConnectionTrait,
    group_id: i64,
    semester_id: i64,
    except: Option<i64>,
) -> ApiResult<()> {
    let query = research_topic::Entity::find()
        .filter(research_topic::Column::GroupId.eq(group_id))
        .filter(research_topic::Column::SemesterId.eq(semester_id))
        .filter(research_topic::Column::ArchivedAt.is_null());
    ensure_unique(
        db,
        query,
        research_topic::Column::Id,
        except,
        "semester_id",
        "the group already has a research topic for this semester",
    )
    .await
}

/// List the research topics of the groups the caller can see.
#[utoipa::path(tag = "research-topics", params(ResearchTopicFilter), responses((status = 200, description = "A page of research topics", body = Page<ResearchTopicView>)))]
#[get("/research-topics")]
async fn list_research_topics(
    state: State,
    actor: Actor,
    filter: Query<ResearchTopicFilter>,
) -> ApiResult<web::Json<Page<ResearchTopicView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let mut query =
        research_topic::Entity::find().filter(research_topic::Column::GroupId.in_subquery(visible_group_ids(&actor)));
    if let Some(g) = f.group_id {
        query = query.filter(research_topic::Column::GroupId.eq(g));
    }
    if let Some(s) = f.semester_id {
        query = query.filter(research_topic::Column::SemesterId.eq(s));
    }
    if let Some(school_id) = f.school_id {
        let of_school =
            group::Entity::find().select_only().column(group::Column::Id).filter(group::Column::SchoolId.eq(school_id));
        query = query.filter(research_topic::Column::GroupId.in_subquery(of_school.into_query()));
    }
    if !f.include_archived.unwrap_or(false) {
        query = query.filter(research_topic::Column::ArchivedAt.is_null());
    }
    let query = sorted(
        query,
        f.sort.as_deref(),
        &[
            ("title", research_topic::Column::Title),
            ("created_at", research_topic::Column::CreatedAt),
            ("id", research_topic::Column::Id),
        ],
        research_topic::Column::Id,
    )?;
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
async fn create_research_topic(state: State, actor: Actor, body: Json<NewResearchTopic>) -> ApiResult<HttpResponse> {
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
async fn get_research_topic(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<ResearchTopicView>> {
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
async fn update_research_topic(
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
async fn archive_research_topic(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let (current, group) = load_topic(&state.db, &actor, id.into_inner()).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    archive(&state.db, current).await?;
    Ok(no_content())
}
