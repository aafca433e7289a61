//! The five endpoints of `/api/v1/quota-rules`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::quota_rule;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, IntoActiveModel, Set};
use serde_json::Value;

use super::input::{overlay, spec_from};
use super::queries::{check_name, check_semesters, load_rule, rules_where};
use super::views::{
    code_of, write_spec, Body, NewQuotaRule, QuotaRuleFilter, QuotaRulePatch, QuotaRuleView, StoredRule,
};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::org::ownership;
use crate::pagination::{Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;

/// List the rules the caller can see: their school's and their district's.
#[utoipa::path(tag = "quota", params(QuotaRuleFilter), responses((status = 200, description = "A page of rules, oldest first", body = Page<QuotaRuleView>)))]
#[get("/quota-rules")]
async fn list_quota_rules(
    state: State,
    actor: Actor,
    filter: Query<QuotaRuleFilter>,
) -> ApiResult<web::Json<Page<QuotaRuleView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let mut cond = Condition::all();
    if let Some(s) = f.school_id {
        cond = cond.add(quota_rule::Column::SchoolId.eq(s));
    }
    if let Some(d) = f.district_id {
        cond = cond.add(quota_rule::Column::DistrictId.eq(d)).add(quota_rule::Column::SchoolId.is_null());
    }
    if let Some(t) = f.subject_type {
        cond = cond.add(quota_rule::Column::SubjectType.eq(code_of(&t)));
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(quota_rule::Column::ArchivedAt.is_null());
    }
    // A district has tens of rules: the semester filter (a JSON list) and paging run here.
    let rules: Vec<StoredRule> = rules_where(&state.db, &actor, cond)
        .await?
        .into_iter()
        .filter(|r| f.semester_id.is_none_or(|s| r.covers(s)))
        .collect();
    let total = rules.len() as u64;
    let items =
        rules.into_iter().skip(paging.offset as usize).take(paging.limit as usize).map(StoredRule::view).collect();
    Ok(web::Json(Page::new(items, total, paging)))
}

/// Adopt a rule: a catalogue template with overrides, or a full rule. School rules: the school's
/// administrators (and the district's); district rules: the district's administrators.
#[utoipa::path(
    tag = "quota",
    request_body = NewQuotaRule,
    responses(
        (status = 201, description = "Created", body = QuotaRuleView),
        (status = 403, description = "The caller may not manage rules here", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another live rule of the owner has this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid rule, naming the field (`metric.kind`, `min`, `template_id` ...)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/quota-rules")]
async fn create_quota_rule(state: State, actor: Actor, body: Json<Value>) -> ApiResult<HttpResponse> {
    let body = Body::split(body.0, true)?;
    let (district_id, school_id) = ownership::resolve(&state.db, &actor, body.school_id, body.district_id).await?;
    actor.require(ownership::manages(&actor, district_id, school_id), "manage quota rules here")?;
    let spec = spec_from(body.template_id.as_deref(), body.fields)?;
    let semester_ids = body.semester_ids.unwrap_or_default();
    check_semesters(&state.db, district_id, &semester_ids).await?;
    check_name(&state.db, district_id, school_id, spec.name.trim(), None).await?;
    let at = now();
    let mut active = quota_rule::ActiveModel {
        district_id: Set(district_id),
        school_id: Set(school_id),
        semester_ids: Set(serde_json::json!(semester_ids)),
        template_id: Set(body.template_id),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    };
    write_spec(&mut active, &spec);
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = active.insert(&txn).await?;
    txn.commit().await?;
    let view = StoredRule::from_row(saved)?.view();
    Ok(created(format!("/api/v1/quota-rules/{}", view.id), view))
}

/// Get a rule.
#[utoipa::path(tag = "quota", params(("id" = i64, Path, description = "Rule id")), responses(
    (status = 200, description = "The rule", body = QuotaRuleView),
    (status = 404, description = "No such rule in the caller's reach", body = Problem, content_type = "application/problem+json")))]
#[get("/quota-rules/{id}")]
async fn get_quota_rule(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<QuotaRuleView>> {
    Ok(web::Json(load_rule(&state.db, &actor, id.into_inner()).await?.view()))
}

/// Change a rule: any rule fields, merged over the stored rule the way overrides merge over a
/// template, and `semester_ids`. Checks already computed are not stored, so the next check uses
/// the changed rule for the whole semester.
#[utoipa::path(
    tag = "quota",
    params(("id" = i64, Path, description = "Rule id")),
    request_body = QuotaRulePatch,
    responses(
        (status = 200, description = "Updated", body = QuotaRuleView),
        (status = 403, description = "The caller may not manage this rule", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another live rule of the owner has this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The changed rule is invalid, naming the field", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/quota-rules/{id}")]
async fn update_quota_rule(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<Value>,
) -> ApiResult<web::Json<QuotaRuleView>> {
    let current = load_rule(&state.db, &actor, id.into_inner()).await?;
    let (district_id, school_id) = (current.row.district_id, current.row.school_id);
    actor.require(ownership::manages(&actor, district_id, school_id), "manage this rule")?;
    let body = Body::split(body.0, false)?;
    let Value::Object(base) = serde_json::to_value(&current.spec).map_err(anyhow::Error::from)? else {
        return Err(ApiError::Internal(anyhow::anyhow!("a rule serializes to an object")));
    };
    let spec = spec_from(None, overlay(base, body.fields))?;
    if let Some(ids) = &body.semester_ids {
        check_semesters(&state.db, district_id, ids).await?;
    }
    if current.row.archived_at.is_none() {
        check_name(&state.db, district_id, school_id, spec.name.trim(), Some(current.row.id)).await?;
    }
    let mut active = current.row.into_active_model();
    write_spec(&mut active, &spec);
    if let Some(ids) = body.semester_ids {
        active.semester_ids = Set(serde_json::json!(ids));
    }
    active.updated_at = Set(now());
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(StoredRule::from_row(saved)?.view()))
}

/// Archive a rule: it no longer applies to any check. Idempotent.
#[utoipa::path(tag = "quota", params(("id" = i64, Path, description = "Rule id")), responses(
    (status = 204, description = "Archived"),
    (status = 403, description = "The caller may not manage this rule", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such rule in the caller's reach", body = Problem, content_type = "application/problem+json")))]
#[delete("/quota-rules/{id}")]
async fn archive_quota_rule(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_rule(&state.db, &actor, id.into_inner()).await?;
    actor.require(ownership::manages(&actor, current.row.district_id, current.row.school_id), "manage this rule")?;
    if current.row.archived_at.is_none() {
        archive(&state.db, current.row).await?;
    }
    Ok(no_content())
}
