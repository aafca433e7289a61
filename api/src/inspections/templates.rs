//! Checklist templates: the built-in default, and those of a school or a district.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::inspection_template;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use super::matching::templates_matching;
use super::queries::load_template;
use super::rules::{check_items, default_items, may_inspect, DEFAULT_NAME, NAME_MAX};
use super::views::{BuiltinTemplateView, NewTemplate, TemplateFilter, TemplatePatch, TemplateView};
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

fn items_json(items: &[super::rules::ChecklistItem]) -> serde_json::Value {
    serde_json::to_value(items).unwrap_or_default()
}

/// The built-in checklist (备课, 听课记录, 读书笔记, 作业批改, 实验册, 反思; seeds 000 and 002),
/// which every school may use.
#[utoipa::path(tag = "inspections", responses((status = 200, description = "The built-in checklist", body = BuiltinTemplateView)))]
#[get("/inspection-templates/default")]
pub async fn default_template(_actor: Actor) -> ApiResult<web::Json<BuiltinTemplateView>> {
    Ok(web::Json(BuiltinTemplateView { name: DEFAULT_NAME.into(), items: default_items() }))
}

/// The templates the caller may use: its district's and its school's.
#[utoipa::path(tag = "inspections", params(TemplateFilter), responses((status = 200, description = "A page of templates", body = Page<TemplateView>)))]
#[get("/inspection-templates")]
pub async fn list_templates(
    state: State,
    actor: Actor,
    filter: Query<TemplateFilter>,
) -> ApiResult<web::Json<Page<TemplateView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = templates_matching(&actor, &f);
    Ok(web::Json(fetch_page(query, paging, state.reads()).await?.map(TemplateView::from)))
}

/// Make a template of a school (its administrators) or of a district (the district's).
#[utoipa::path(tag = "inspections", request_body = NewTemplate, responses((status = 201, description = "Created", body = TemplateView)))]
#[post("/inspection-templates")]
pub async fn create_template(state: State, actor: Actor, body: Json<NewTemplate>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let (district_id, school_id) = super::handlers::owner(&state, &actor, body.school_id, body.district_id).await?;
    actor.require(may_inspect(&actor, district_id, school_id), "make templates here")?;
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, NAME_MAX);
    let items = check_items(&mut checks, &body.items);
    checks.finish()?;
    let at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = inspection_template::ActiveModel {
        district_id: Set(district_id),
        school_id: Set(school_id),
        name: Set(name),
        items: Set(items_json(&items)),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/inspection-templates/{}", saved.id), TemplateView::from(saved)))
}

/// Get a template.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Template id")), responses((status = 200, description = "The template", body = TemplateView)))]
#[get("/inspection-templates/{id}")]
pub async fn get_template(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<TemplateView>> {
    Ok(web::Json(load_template(state.reads(), &actor, id.into_inner()).await?.into()))
}

fn require_owner(actor: &Actor, t: &inspection_template::Model) -> ApiResult<()> {
    Ok(actor.require(may_inspect(actor, t.district_id, t.school_id), "change this template")?)
}

/// Change a template's name or items (its owner). Inspections made from it keep their copy.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Template id")), request_body = TemplatePatch,
    responses((status = 200, description = "Updated", body = TemplateView)))]
#[patch("/inspection-templates/{id}")]
pub async fn update_template(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TemplatePatch>,
) -> ApiResult<web::Json<TemplateView>> {
    let body = body.0;
    let current = load_template(&state.db, &actor, id.into_inner()).await?;
    require_owner(&actor, &current)?;
    let mut checks = Checks::new();
    let name = body.name.map(|n| checks.text("name", &n, NAME_MAX));
    let items = body.items.map(|i| check_items(&mut checks, &i));
    checks.finish()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = current.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(items) = items {
        active.items = Set(items_json(&items));
    }
    active.updated_at = Set(now());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// Archive a template (its owner). Idempotent; inspections made from it are unchanged.
#[utoipa::path(tag = "inspections", params(("id" = i64, Path, description = "Template id")), responses((status = 204, description = "Archived")))]
#[delete("/inspection-templates/{id}")]
pub async fn archive_template(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_template(&state.db, &actor, id.into_inner()).await?;
    require_owner(&actor, &current)?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}
