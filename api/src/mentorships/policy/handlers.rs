//! The endpoints: extract, call, respond.

use super::queries::*;
use super::rules::*;
use super::views::*;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::resource::{created, no_content, now};
use crate::state::State;
use actix_web::{delete, get, put, web, HttpResponse};
use entities::{mentorship_policy, school};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, ModelTrait, Set};

/// The rules a school's mentorship pairs follow: the school's policy, else its district's, else
/// the defaults of seed 000 (名师 2 mentees, 骨干教师 and 教坛新秀 1, anyone else 1; a pair across
/// grade bands is only warned about).
#[utoipa::path(tag = "mentorships", params(EffectiveFilter), responses((status = 200, description = "The rules in force", body = EffectiveMentorshipPolicy)))]
#[get("/mentorship-policies/effective")]
pub(crate) async fn effective_mentorship_policy(
    state: State,
    actor: Actor,
    filter: Query<EffectiveFilter>,
) -> ApiResult<web::Json<EffectiveMentorshipPolicy>> {
    let school = school::Entity::find_by_id(filter.0.school_id)
        .one(&state.db)
        .await?
        .filter(|s| actor.sees_school(s.district_id, s.id))
        .ok_or_else(|| ApiError::invalid("school_id", "no such school"))?;
    let (rules, from) = rules_for_school(&state.db, school.district_id, school.id).await?;
    let source = match &from {
        None => PolicySource::Default,
        Some(p) if p.school_id.is_some() => PolicySource::School,
        Some(_) => PolicySource::District,
    };
    Ok(web::Json(EffectiveMentorshipPolicy {
        source,
        policy_id: from.map(|p| p.id),
        district_id: school.district_id,
        school_id: school.id,
        capacities: rules.capacities,
        default_capacity: rules.default_capacity,
        grade_band_rule: rules.grade_band_rule,
    }))
}

/// A school's own mentorship policy (404 when it has none and follows its district's).
#[utoipa::path(tag = "mentorships", params(("id" = i64, Path, description = "School id")), responses((status = 200, description = "The school's policy", body = MentorshipPolicyView)))]
#[get("/mentorship-policies/schools/{id}")]
pub(crate) async fn get_school_mentorship_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<MentorshipPolicyView>> {
    let owner = school_owner(&state.db, &actor, id.into_inner()).await?;
    get_policy(&state, owner).await
}

/// Set a school's mentorship policy, replacing any it had (the school's and the district's
/// administrators).
#[utoipa::path(
    tag = "mentorships",
    params(("id" = i64, Path, description = "School id")),
    request_body = MentorshipPolicyBody,
    responses(
        (status = 200, description = "Replaced", body = MentorshipPolicyView),
        (status = 201, description = "Created", body = MentorshipPolicyView)
    )
)]
#[put("/mentorship-policies/schools/{id}")]
pub(crate) async fn put_school_mentorship_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<MentorshipPolicyBody>,
) -> ApiResult<HttpResponse> {
    let owner = school_owner(&state.db, &actor, id.into_inner()).await?;
    put_policy(&state, &actor, owner, body.0).await
}

/// Delete a school's mentorship policy; the school then follows its district's. Idempotent.
#[utoipa::path(tag = "mentorships", params(("id" = i64, Path, description = "School id")), responses((status = 204, description = "Deleted")))]
#[delete("/mentorship-policies/schools/{id}")]
pub(crate) async fn delete_school_mentorship_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let owner = school_owner(&state.db, &actor, id.into_inner()).await?;
    delete_policy(&state, &actor, owner).await
}

/// A district's mentorship policy (404 when it has none and follows the defaults).
#[utoipa::path(tag = "mentorships", params(("id" = i64, Path, description = "District id")), responses((status = 200, description = "The district's policy", body = MentorshipPolicyView)))]
#[get("/mentorship-policies/districts/{id}")]
pub(crate) async fn get_district_mentorship_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<MentorshipPolicyView>> {
    let owner = district_owner(&state.db, &actor, id.into_inner()).await?;
    get_policy(&state, owner).await
}

/// Set a district's mentorship policy, replacing any it had (district administrators).
#[utoipa::path(
    tag = "mentorships",
    params(("id" = i64, Path, description = "District id")),
    request_body = MentorshipPolicyBody,
    responses(
        (status = 200, description = "Replaced", body = MentorshipPolicyView),
        (status = 201, description = "Created", body = MentorshipPolicyView)
    )
)]
#[put("/mentorship-policies/districts/{id}")]
pub(crate) async fn put_district_mentorship_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<MentorshipPolicyBody>,
) -> ApiResult<HttpResponse> {
    let owner = district_owner(&state.db, &actor, id.into_inner()).await?;
    put_policy(&state, &actor, owner, body.0).await
}

/// Delete a district's mentorship policy; its schools then follow the defaults (unless they
/// have their own). Idempotent.
#[utoipa::path(tag = "mentorships", params(("id" = i64, Path, description = "District id")), responses((status = 204, description = "Deleted")))]
#[delete("/mentorship-policies/districts/{id}")]
pub(crate) async fn delete_district_mentorship_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let owner = district_owner(&state.db, &actor, id.into_inner()).await?;
    delete_policy(&state, &actor, owner).await
}

/// Creates or replaces the owner's policy: 201 when new, 200 when replaced.
async fn put_policy(state: &State, actor: &Actor, owner: Owner, body: MentorshipPolicyBody) -> ApiResult<HttpResponse> {
    require_writes(actor, owner)?;
    let rules = clean(&body)?;
    let txn = crate::db::begin_write(&state.db).await?;
    lock_owner(&txn, owner).await?;
    let at = now();
    let (saved, is_new) = match stored(&txn, owner).await? {
        Some(current) => {
            let mut active = current.into_active_model();
            active.capacities = Set(capacities_json(&rules.capacities));
            active.default_capacity = Set(rules.default_capacity);
            active.grade_band_rule = Set(rules.grade_band_rule);
            active.updated_at = Set(at);
            (active.update(&txn).await?, false)
        }
        None => {
            let inserted = mentorship_policy::ActiveModel {
                district_id: Set(owner.district_id()),
                school_id: Set(owner.school_id()),
                capacities: Set(capacities_json(&rules.capacities)),
                default_capacity: Set(rules.default_capacity),
                grade_band_rule: Set(rules.grade_band_rule),
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
    let view = MentorshipPolicyView::from(saved);
    Ok(if is_new { created(owner.path(), view) } else { HttpResponse::Ok().json(view) })
}

async fn get_policy(state: &State, owner: Owner) -> ApiResult<web::Json<MentorshipPolicyView>> {
    let found = stored(&state.db, owner).await?.ok_or_else(|| ApiError::not_found("mentorship policy"))?;
    Ok(web::Json(found.into()))
}

async fn delete_policy(state: &State, actor: &Actor, owner: Owner) -> ApiResult<HttpResponse> {
    require_writes(actor, owner)?;
    if let Some(found) = stored(&state.db, owner).await? {
        let txn = crate::db::begin_write(&state.db).await?;
        found.delete(&txn).await?;
        txn.commit().await?;
    }
    Ok(no_content())
}
