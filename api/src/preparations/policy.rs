//! How many days before the session a draft is due (主备教案提前三天, seed 003), per school or per
//! group: a group follows its own policy, else its school's, else its district's, else 3. A
//! preparation keeps the number in force when it was made. `PUT` replaces, `DELETE` really
//! deletes (configuration, not history; the audit trail keeps both).
//!
//! Written by the school's administrators (a school's policy) and by whoever manages a group's
//! contents, its leader included (a group's); read by whoever sees the school or group.

use actix_web::{delete, get, put, web, HttpResponse};
use entities::{group, preparation_policy, school};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, ModelTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::queries::lead_days_for;
use super::rules::{DEFAULT_DRAFT_LEAD_DAYS, MAX_DRAFT_LEAD_DAYS};
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, require_manages_contents};
use crate::resource::{created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

/// A policy to store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"draft_lead_days": 3}))]
pub struct PreparationPolicyBody {
    /// 0–30: days before the session the lead's draft is due.
    pub draft_lead_days: i32,
}

/// Where the number in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreparationPolicySource {
    Group,
    School,
    District,
    /// The built-in 3 days (seed 003).
    Default,
}

/// A stored policy, or the one in force for a group.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"source": "school", "policy_id": 2, "district_id": 1, "school_id": 3, "group_id": null, "draft_lead_days": 3}))]
pub struct PreparationPolicyView {
    pub source: PreparationPolicySource,
    /// The stored policy; empty for the default.
    pub policy_id: Option<i64>,
    pub district_id: i64,
    pub school_id: Option<i64>,
    pub group_id: Option<i64>,
    pub draft_lead_days: i32,
}

impl PreparationPolicyView {
    fn of(p: &preparation_policy::Model) -> Self {
        let source = match (p.group_id, p.school_id) {
            (Some(_), _) => PreparationPolicySource::Group,
            (None, Some(_)) => PreparationPolicySource::School,
            (None, None) => PreparationPolicySource::District,
        };
        PreparationPolicyView {
            source,
            policy_id: Some(p.id),
            district_id: p.district_id,
            school_id: p.school_id,
            group_id: p.group_id,
            draft_lead_days: p.draft_lead_days,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EffectiveFilter {
    /// The group whose number is wanted.
    pub group_id: i64,
}

/// The owner of a stored policy: a school, or a group of a school.
#[derive(Debug, Clone, Copy)]
struct Owner {
    district_id: i64,
    school_id: Option<i64>,
    group_id: Option<i64>,
}

async fn stored(db: &impl ConnectionTrait, owner: Owner) -> DomainResult<Option<preparation_policy::Model>> {
    use preparation_policy::Column as C;
    let mut q = preparation_policy::Entity::find().filter(C::DistrictId.eq(owner.district_id));
    q = match owner.group_id {
        Some(g) => q.filter(C::GroupId.eq(g)),
        None => q.filter(C::GroupId.is_null()),
    };
    q = match owner.school_id {
        Some(s) => q.filter(C::SchoolId.eq(s)),
        None => q.filter(C::SchoolId.is_null()),
    };
    Ok(q.one(db).await?)
}

/// A school the caller sees (404 otherwise) whose policies the caller writes (403 otherwise).
async fn school_owner(db: &impl ConnectionTrait, actor: &Actor, id: i64, writes: bool) -> DomainResult<Owner> {
    let s = school::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| actor.sees_school(s.district_id, s.id))
        .ok_or_else(|| DomainError::not_found("school"))?;
    if writes {
        actor.require(actor.administers_school(s.district_id, s.id), "change this school's preparation policy")?;
    }
    Ok(Owner { district_id: s.district_id, school_id: Some(s.id), group_id: None })
}

/// A school group the caller sees (404 otherwise) whose contents the caller manages (403).
async fn group_owner(db: &impl ConnectionTrait, actor: &Actor, id: i64, writes: bool) -> DomainResult<Owner> {
    let g: group::Model = load_group(db, actor, id).await?;
    if writes {
        require_manages_contents(db, actor, &g).await?;
    }
    Ok(Owner { district_id: g.district_id, school_id: g.school_id, group_id: Some(g.id) })
}

async fn put_policy(state: &State, owner: Owner, body: PreparationPolicyBody, path: String) -> ApiResult<HttpResponse> {
    let mut checks = Checks::new();
    checks.ensure(
        (0..=MAX_DRAFT_LEAD_DAYS).contains(&body.draft_lead_days),
        "draft_lead_days",
        format!("must be 0 to {MAX_DRAFT_LEAD_DAYS} (default {DEFAULT_DRAFT_LEAD_DAYS}, seed 003)"),
    );
    checks.finish()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let at = now();
    let (saved, is_new) = match stored(&txn, owner).await? {
        Some(current) => {
            let mut active = current.into_active_model();
            active.draft_lead_days = Set(body.draft_lead_days);
            active.updated_at = Set(at);
            (active.update(&txn).await?, false)
        }
        None => {
            let inserted = preparation_policy::ActiveModel {
                district_id: Set(owner.district_id),
                school_id: Set(owner.school_id),
                group_id: Set(owner.group_id),
                draft_lead_days: Set(body.draft_lead_days),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (inserted, true)
        }
    };
    txn.commit().await?;
    let view = PreparationPolicyView::of(&saved);
    Ok(if is_new { created(path, view) } else { HttpResponse::Ok().json(view) })
}

async fn delete_policy(state: &State, owner: Owner) -> ApiResult<HttpResponse> {
    if let Some(found) = stored(&state.db, owner).await? {
        let txn = crate::db::begin_write(&state.db).await?;
        found.delete(&txn).await?;
        txn.commit().await?;
    }
    Ok(no_content())
}

/// The number of days before the session a group's drafts are due, and where it comes from.
#[utoipa::path(tag = "preparations", params(EffectiveFilter), responses((status = 200, description = "The policy in force", body = PreparationPolicyView)))]
#[get("/preparation-policies/effective")]
pub async fn effective_preparation_policy(
    state: State,
    actor: Actor,
    filter: Query<EffectiveFilter>,
) -> ApiResult<web::Json<PreparationPolicyView>> {
    let g = load_group(&state.db, &actor, filter.0.group_id)
        .await
        .map_err(|_| DomainError::invalid("group_id", "no such group"))?;
    let (days, chosen) = lead_days_for(&state.db, &g).await?;
    Ok(web::Json(match chosen {
        Some(p) => PreparationPolicyView::of(&p),
        None => PreparationPolicyView {
            source: PreparationPolicySource::Default,
            policy_id: None,
            district_id: g.district_id,
            school_id: g.school_id,
            group_id: Some(g.id),
            draft_lead_days: days,
        },
    }))
}

/// Set a school's policy (the school's and the district's administrators).
#[utoipa::path(
    tag = "preparations",
    params(("id" = i64, Path, description = "School id")),
    request_body = PreparationPolicyBody,
    responses(
        (status = 200, description = "Replaced", body = PreparationPolicyView),
        (status = 201, description = "Created", body = PreparationPolicyView)
    )
)]
#[put("/preparation-policies/schools/{id}")]
pub async fn put_school_preparation_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<PreparationPolicyBody>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let owner = school_owner(&state.db, &actor, id, true).await?;
    put_policy(&state, owner, body.0, format!("/api/v1/preparation-policies/schools/{id}")).await
}

/// Delete a school's policy; its groups then follow the district's or the default. Idempotent.
#[utoipa::path(tag = "preparations", params(("id" = i64, Path, description = "School id")), responses((status = 204, description = "Deleted")))]
#[delete("/preparation-policies/schools/{id}")]
pub async fn delete_school_preparation_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let owner = school_owner(&state.db, &actor, id.into_inner(), true).await?;
    delete_policy(&state, owner).await
}

/// Set a group's policy (whoever manages the group's contents, its leader included).
#[utoipa::path(
    tag = "preparations",
    params(("id" = i64, Path, description = "Group id")),
    request_body = PreparationPolicyBody,
    responses(
        (status = 200, description = "Replaced", body = PreparationPolicyView),
        (status = 201, description = "Created", body = PreparationPolicyView)
    )
)]
#[put("/preparation-policies/groups/{id}")]
pub async fn put_group_preparation_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<PreparationPolicyBody>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let owner = group_owner(&state.db, &actor, id, true).await?;
    put_policy(&state, owner, body.0, format!("/api/v1/preparation-policies/groups/{id}")).await
}

/// Delete a group's policy; it then follows its school's. Idempotent.
#[utoipa::path(tag = "preparations", params(("id" = i64, Path, description = "Group id")), responses((status = 204, description = "Deleted")))]
#[delete("/preparation-policies/groups/{id}")]
pub async fn delete_group_preparation_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let owner = group_owner(&state.db, &actor, id.into_inner(), true).await?;
    delete_policy(&state, owner).await
}
