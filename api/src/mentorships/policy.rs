//! Mentorship policies: how many mentees a mentor may take by honour, and whether a pair across
//! grade bands is refused or only warned about.
//!
//! A policy belongs to a district (`school_id` empty) or to a school. A school follows its own
//! policy, else its district's, else the built-in defaults of seed 000 ([`Rules::default`]).
//! District administrators write both kinds; a school's administrators write their school's.
//! `DELETE` really deletes (the school falls back to its district's rules): a policy is
//! configuration, not history.

use std::collections::BTreeMap;

use actix_web::{delete, get, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use entities::enums::{HonourTitle, RuleEnforcement};
use entities::{district, mentorship_policy, school};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::rules::{Rules, MAX_CAPACITY};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::resource::{created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

/// Who a stored policy belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    District(i64),
    School { district_id: i64, school_id: i64 },
}

impl Owner {
    fn district_id(self) -> i64 {
        match self {
            Owner::District(d) | Owner::School { district_id: d, .. } => d,
        }
    }

    fn school_id(self) -> Option<i64> {
        match self {
            Owner::District(_) => None,
            Owner::School { school_id, .. } => Some(school_id),
        }
    }

    fn path(self) -> String {
        match self {
            Owner::District(d) => format!("/api/v1/mentorship-policies/districts/{d}"),
            Owner::School { school_id, .. } => format!("/api/v1/mentorship-policies/schools/{school_id}"),
        }
    }
}

/// Where the rules in force come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicySource {
    /// The school's own policy.
    School,
    /// The district's policy.
    District,
    /// The built-in defaults (seed 000).
    Default,
}

/// A stored policy.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "school_id": 3,
    "capacities": {"renowned_teacher": 2, "backbone_teacher": 2, "rising_star": 1}, "default_capacity": 1,
    "grade_band_rule": "warn", "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z"}))]
pub struct MentorshipPolicyView {
    pub id: i64,
    pub district_id: i64,
    /// Empty for a district's policy.
    pub school_id: Option<i64>,
    /// Mentees a mentor holding the honour may have at once, by honour title.
    #[schema(value_type = BTreeMap<String, i32>)]
    pub capacities: BTreeMap<HonourTitle, i32>,
    /// Mentees a mentor holding none of the listed honours may have at once.
    pub default_capacity: i32,
    pub grade_band_rule: RuleEnforcement,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<mentorship_policy::Model> for MentorshipPolicyView {
    fn from(m: mentorship_policy::Model) -> Self {
        MentorshipPolicyView {
            id: m.id,
            district_id: m.district_id,
            school_id: m.school_id,
            capacities: capacities_of(&m.capacities),
            default_capacity: m.default_capacity,
            grade_band_rule: m.grade_band_rule,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// The rules a school's pairs follow, and where they come from.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"source": "default", "policy_id": null, "district_id": 1, "school_id": 3,
    "capacities": {"renowned_teacher": 2, "backbone_teacher": 1, "rising_star": 1}, "default_capacity": 1,
    "grade_band_rule": "warn"}))]
pub struct EffectiveMentorshipPolicy {
    pub source: PolicySource,
    /// The stored policy in force; empty for the defaults.
    pub policy_id: Option<i64>,
    pub district_id: i64,
    pub school_id: i64,
    #[schema(value_type = BTreeMap<String, i32>)]
    pub capacities: BTreeMap<HonourTitle, i32>,
    pub default_capacity: i32,
    pub grade_band_rule: RuleEnforcement,
}

/// A policy to store (replaces the owner's policy whole).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacities": {"renowned_teacher": 2, "backbone_teacher": 2, "rising_star": 1},
    "default_capacity": 1, "grade_band_rule": "refuse"}))]
pub struct MentorshipPolicyBody {
    /// Capacity (0–20) by honour title (`renowned_teacher`, `backbone_teacher` ...). Honours not
    /// listed give `default_capacity`.
    #[schema(value_type = BTreeMap<String, i32>)]
    pub capacities: BTreeMap<String, i32>,
    /// 0–20; default 1.
    pub default_capacity: Option<i32>,
    /// Default `warn`.
    pub grade_band_rule: Option<RuleEnforcement>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EffectiveFilter {
    /// The school whose rules are wanted.
    pub school_id: i64,
}

/// The stored capacities, skipping keys that are not honour titles.
fn capacities_of(json: &Value) -> BTreeMap<HonourTitle, i32> {
    json.as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| {
                    let title = serde_json::from_value::<HonourTitle>(Value::String(k.clone())).ok()?;
                    Some((title, i32::try_from(v.as_i64()?).ok()?))
                })
                .collect()
        })
        .unwrap_or_default()
}

impl From<&mentorship_policy::Model> for Rules {
    fn from(m: &mentorship_policy::Model) -> Self {
        Rules {
            capacities: capacities_of(&m.capacities),
            default_capacity: m.default_capacity,
            grade_band_rule: m.grade_band_rule,
        }
    }
}

/// The rules in force for a school, with the stored policy they come from.
pub async fn rules_for_school(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: i64,
) -> ApiResult<(Rules, Option<mentorship_policy::Model>)> {
    let found = mentorship_policy::Entity::find()
        .filter(mentorship_policy::Column::DistrictId.eq(district_id))
        .filter(
            Condition::any()
                .add(mentorship_policy::Column::SchoolId.eq(school_id))
                .add(mentorship_policy::Column::SchoolId.is_null()),
        )
        .order_by_asc(mentorship_policy::Column::Id)
        .all(db)
        .await?;
    let chosen = found
        .iter()
        .find(|p| p.school_id == Some(school_id))
        .or_else(|| found.iter().find(|p| p.school_id.is_none()))
        .cloned();
    Ok((chosen.as_ref().map(Rules::from).unwrap_or_default(), chosen))
}

async fn stored(db: &impl ConnectionTrait, owner: Owner) -> ApiResult<Option<mentorship_policy::Model>> {
    let column = mentorship_policy::Column::SchoolId;
    Ok(mentorship_policy::Entity::find()
        .filter(mentorship_policy::Column::DistrictId.eq(owner.district_id()))
        .filter(match owner.school_id() {
            Some(s) => column.eq(s),
            None => column.is_null(),
        })
        .order_by_asc(mentorship_policy::Column::Id)
        .one(db)
        .await?)
}

/// A school the caller sees, or 404.
async fn school_owner(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<Owner> {
    school::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| actor.sees_school(s.district_id, s.id))
        .map(|s| Owner::School { district_id: s.district_id, school_id: s.id })
        .ok_or_else(|| ApiError::not_found("school"))
}

/// A district the caller sees, or 404.
async fn district_owner(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<Owner> {
    district::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| actor.sees_district(d.id))
        .map(|d| Owner::District(d.id))
        .ok_or_else(|| ApiError::not_found("district"))
}

fn require_writes(actor: &Actor, owner: Owner) -> ApiResult<()> {
    let allowed = match owner {
        Owner::District(d) => actor.administers_district(d),
        Owner::School { district_id, school_id } => actor.administers_school(district_id, school_id),
    };
    actor.require(allowed, "change this mentorship policy").map_err(Into::into)
}

/// Validates a body into the JSON and values to store.
fn clean(body: &MentorshipPolicyBody) -> ApiResult<Rules> {
    let mut checks = Checks::new();
    let mut capacities = BTreeMap::new();
    for (key, n) in &body.capacities {
        let field = format!("capacities.{key}");
        match serde_json::from_value::<HonourTitle>(Value::String(key.clone())) {
            Ok(title) => {
                checks.ensure((0..=MAX_CAPACITY).contains(n), &field, format!("must be between 0 and {MAX_CAPACITY}"));
                capacities.insert(title, *n);
            }
            Err(_) => checks.fail(field, "not an honour title"),
        }
    }
    let default_capacity = body.default_capacity.unwrap_or(Rules::default().default_capacity);
    checks.ensure(
        (0..=MAX_CAPACITY).contains(&default_capacity),
        "default_capacity",
        format!("must be between 0 and {MAX_CAPACITY}"),
    );
    checks.finish()?;
    Ok(Rules { capacities, default_capacity, grade_band_rule: body.grade_band_rule.unwrap_or(RuleEnforcement::Warn) })
}

fn capacities_json(capacities: &BTreeMap<HonourTitle, i32>) -> Value {
    Value::Object(capacities.iter().map(|(k, v)| (k.code().to_string(), Value::from(*v))).collect())
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

/// Locks the owner's row until the transaction ends, so that two PUTs at once for the same owner
/// replace one policy instead of creating two. PostgreSQL only: SQLite's writing transactions
/// already run one at a time (`db::begin_write`), and it has no `FOR UPDATE`.
async fn lock_owner(db: &impl ConnectionTrait, owner: Owner) -> ApiResult<()> {
    if db.get_database_backend() == DbBackend::Postgres {
        match owner.school_id() {
            Some(id) => {
                school::Entity::find_by_id(id).lock_exclusive().one(db).await?;
            }
            None => {
                district::Entity::find_by_id(owner.district_id()).lock_exclusive().one(db).await?;
            }
        }
    }
    Ok(())
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

/// The rules a school's mentorship pairs follow: the school's policy, else its district's, else
/// the defaults of seed 000 (名师 2 mentees, 骨干教师 and 教坛新秀 1, anyone else 1; a pair across
/// grade bands is only warned about).
#[utoipa::path(tag = "mentorships", params(EffectiveFilter), responses((status = 200, description = "The rules in force", body = EffectiveMentorshipPolicy)))]
#[get("/mentorship-policies/effective")]
async fn effective_mentorship_policy(
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
async fn get_school_mentorship_policy(
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
async fn put_school_mentorship_policy(
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
async fn delete_school_mentorship_policy(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let owner = school_owner(&state.db, &actor, id.into_inner()).await?;
    delete_policy(&state, &actor, owner).await
}

/// A district's mentorship policy (404 when it has none and follows the defaults).
#[utoipa::path(tag = "mentorships", params(("id" = i64, Path, description = "District id")), responses((status = 200, description = "The district's policy", body = MentorshipPolicyView)))]
#[get("/mentorship-policies/districts/{id}")]
async fn get_district_mentorship_policy(
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
async fn put_district_mentorship_policy(
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
async fn delete_district_mentorship_policy(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let owner = district_owner(&state.db, &actor, id.into_inner()).await?;
    delete_policy(&state, &actor, owner).await
}
