//! The endpoints: extract, call, respond.

use super::queries::policies_matching;
use super::queries::*;
use super::rules::*;
use super::views::*;
use crate::activities::access::load_activity;
use crate::activities::policy::{effective_policy, place_of, EffectivePolicy};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{created, no_content, now, save_changes};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{delete, get, put, web, HttpResponse};
use entities::activity_policy;
use entities::enums::PolicyScope;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

/// List the activity policies of the scopes the caller sees.
#[utoipa::path(
    tag = "activity-policies",
    params(PolicyFilter),
    responses((status = 200, description = "A page of policies", body = Page<ActivityPolicyView>))
)]
#[get("/activity-policies")]
pub(crate) async fn list_policies(
    state: State,
    actor: Actor,
    filter: Query<PolicyFilter>,
) -> ApiResult<web::Json<Page<ActivityPolicyView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = policies_matching(&actor, &f)?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(ActivityPolicyView::from)))
}

/// Get the policy stored for a district, zone, school or group (404 when it has none: the
/// next level up applies).
#[utoipa::path(
    tag = "activity-policies",
    params(("scope" = PolicyScope, Path, description = "district, zone, school or group"), ("scope_id" = i64, Path, description = "Its id")),
    responses((status = 200, description = "The stored policy", body = ActivityPolicyView))
)]
#[get("/activity-policies/{scope}/{scope_id}")]
pub(crate) async fn get_policy(
    state: State,
    actor: Actor,
    path: web::Path<(PolicyScope, i64)>,
) -> ApiResult<web::Json<ActivityPolicyView>> {
    let (scope, id) = path.into_inner();
    resolve_scope(&state.db, &actor, scope, id).await?;
    let found = stored(&state.db, scope, id).await?.ok_or_else(|| ApiError::not_found("activity policy"))?;
    Ok(web::Json(found.into()))
}

/// Create or replace the policy of a district, zone (district administrators), school (its
/// administrators) or group (whoever manages its contents).
#[utoipa::path(
    tag = "activity-policies",
    params(("scope" = PolicyScope, Path, description = "district, zone, school or group"), ("scope_id" = i64, Path, description = "Its id")),
    request_body = PolicyInput,
    responses(
        (status = 200, description = "Replaced", body = ActivityPolicyView),
        (status = 201, description = "Created", body = ActivityPolicyView)
    )
)]
#[put("/activity-policies/{scope}/{scope_id}")]
pub(crate) async fn put_policy(
    state: State,
    actor: Actor,
    path: web::Path<(PolicyScope, i64)>,
    body: Json<PolicyInput>,
) -> ApiResult<HttpResponse> {
    let (scope, id) = path.into_inner();
    let body = body.0;
    let (district_id, may_write) = resolve_scope(&state.db, &actor, scope, id).await?;
    actor.require(may_write, "set this activity policy")?;
    let mut checks = Checks::new();
    check_policy(&mut checks, &body);
    checks.finish()?;
    let defaults = EffectivePolicy::default();
    let at = now();
    let opens = body.sign_in_opens_minutes_before.unwrap_or(defaults.sign_in_opens_minutes_before);
    let closes = body.sign_in_closes_minutes_after.unwrap_or(defaults.sign_in_closes_minutes_after);
    let late = body.late_after_minutes.unwrap_or(defaults.late_after_minutes);
    match stored(&state.db, scope, id).await? {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.summary_due_rule = Set(body.summary_due_rule);
            active.summary_due_value = Set(body.summary_due_value);
            active.sign_in_opens_minutes_before = Set(opens);
            active.sign_in_closes_minutes_after = Set(closes);
            active.late_after_minutes = Set(late);
            active.updated_at = Set(at);
            let saved = save_changes(&state.db, active).await?;
            Ok(HttpResponse::Ok().json(ActivityPolicyView::from(saved)))
        }
        None => {
            let saved = activity_policy::ActiveModel {
                district_id: Set(district_id),
                scope: Set(scope),
                scope_id: Set(id),
                summary_due_rule: Set(body.summary_due_rule),
                summary_due_value: Set(body.summary_due_value),
                sign_in_opens_minutes_before: Set(opens),
                sign_in_closes_minutes_after: Set(closes),
                late_after_minutes: Set(late),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert_written(&state.db)
            .await?;
            Ok(created(format!("/api/v1/activity-policies/{}/{}", scope.code(), id), ActivityPolicyView::from(saved)))
        }
    }
}

/// Delete the policy of a scope (the same writers as PUT): the next level up applies again.
/// Idempotent.
#[utoipa::path(
    tag = "activity-policies",
    params(("scope" = PolicyScope, Path, description = "district, zone, school or group"), ("scope_id" = i64, Path, description = "Its id")),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/activity-policies/{scope}/{scope_id}")]
pub(crate) async fn delete_policy(
    state: State,
    actor: Actor,
    path: web::Path<(PolicyScope, i64)>,
) -> ApiResult<HttpResponse> {
    let (scope, id) = path.into_inner();
    let (_, may_write) = resolve_scope(&state.db, &actor, scope, id).await?;
    actor.require(may_write, "delete this activity policy")?;
    let txn = crate::db::begin_write(&state.db).await?;
    activity_policy::Entity::delete_many()
        .filter(activity_policy::Column::Scope.eq(scope))
        .filter(activity_policy::Column::ScopeId.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(no_content())
}

/// The policy an activity follows, and where it comes from.
#[utoipa::path(
    tag = "activity-policies",
    params(("id" = i64, Path, description = "Activity id")),
    responses((status = 200, description = "The effective policy", body = EffectivePolicyView))
)]
#[get("/activities/{id}/policy")]
pub(crate) async fn activity_policy_of(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<EffectivePolicyView>> {
    let a = load_activity(&state.db, &actor, id.into_inner()).await?;
    let policy = effective_policy(&state.db, place_of(&state.db, &a).await?).await?;
    Ok(web::Json(EffectivePolicyView {
        source: policy.from.map(|(scope, scope_id)| PolicySource { scope, scope_id }),
        summary_due_rule: policy.summary_due_rule,
        summary_due_value: policy.summary_due_value,
        sign_in_opens_minutes_before: policy.sign_in_opens_minutes_before,
        sign_in_closes_minutes_after: policy.sign_in_closes_minutes_after,
        late_after_minutes: policy.late_after_minutes,
        summary_due_on: a.date.and_then(|d| policy.summary_due_on(d)),
    }))
}
