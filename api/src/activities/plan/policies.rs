//! `/activity-policies`: when summaries are due and when sign-in is open, per district, zone,
//! school or group; and `/activities/{id}/policy`, the one an activity follows.
//!
//! - Readers: whoever sees the scope (the district and its zones: the whole district; a school:
//!   whoever sees the school; a group: whoever sees the group).
//! - Writers: district and zone policies: the district's administrators; a school's: its
//!   administrators; a group's: whoever manages the group's contents (its leader included).
//! - PUT creates or replaces; DELETE really deletes (the next level up applies again).

use actix_web::{delete, get, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use entities::enums::{PolicyScope, SummaryDueRule};
use entities::{activity_policy, group, school, zone};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::activities::access::load_activity;
use crate::activities::policy::{effective_policy, place_of, EffectivePolicy};
use crate::auth::{Actor, Reach};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, require_manages_contents, visible_group_ids};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{created, no_content, now, save_changes, sorted};
use crate::state::State;
use crate::validate::Checks;

/// The longest sign-in window edge and lateness threshold: a day.
pub const MAX_MINUTES: i32 = 1440;
/// The latest `days_after` deadline.
pub const MAX_DAYS_AFTER: i32 = 60;

/// A stored activity policy.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "scope": "group", "scope_id": 2, "summary_due_rule": "days_after",
    "summary_due_value": 3, "sign_in_opens_minutes_before": 30, "sign_in_closes_minutes_after": 60,
    "late_after_minutes": 5, "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z"}))]
pub struct ActivityPolicyView {
    pub id: i64,
    pub district_id: i64,
    pub scope: PolicyScope,
    pub scope_id: i64,
    pub summary_due_rule: SummaryDueRule,
    /// Days for `days_after`; ISO weekday (1 = Monday) for `next_weekday`; null for `none`.
    pub summary_due_value: Option<i32>,
    pub sign_in_opens_minutes_before: i32,
    pub sign_in_closes_minutes_after: i32,
    /// Signing in more than this many minutes after the start counts as late.
    pub late_after_minutes: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<activity_policy::Model> for ActivityPolicyView {
    fn from(m: activity_policy::Model) -> Self {
        ActivityPolicyView {
            id: m.id,
            district_id: m.district_id,
            scope: m.scope,
            scope_id: m.scope_id,
            summary_due_rule: m.summary_due_rule,
            summary_due_value: m.summary_due_value,
            sign_in_opens_minutes_before: m.sign_in_opens_minutes_before,
            sign_in_closes_minutes_after: m.sign_in_closes_minutes_after,
            late_after_minutes: m.late_after_minutes,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A whole policy (PUT replaces everything). The minutes default to the built-in values.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"summary_due_rule": "next_weekday", "summary_due_value": 2, "sign_in_opens_minutes_before": 30,
    "sign_in_closes_minutes_after": 60, "late_after_minutes": 5}))]
pub struct PolicyInput {
    pub summary_due_rule: SummaryDueRule,
    /// `next_weekday`: 1–7 (ISO weekday, 2 = Tuesday, seed 001); `days_after`: 0–60; `none`: null.
    pub summary_due_value: Option<i32>,
    /// 0–1440, default 30.
    #[schema(minimum = 0, maximum = 1440)]
    pub sign_in_opens_minutes_before: Option<i32>,
    /// 0–1440, default 60.
    #[schema(minimum = 0, maximum = 1440)]
    pub sign_in_closes_minutes_after: Option<i32>,
    /// 0–1440, default 5.
    #[schema(minimum = 0, maximum = 1440)]
    pub late_after_minutes: Option<i32>,
}

/// Where an effective policy came from: the scope and id of the stored policy. (Named apart
/// from the mentorship policies' `PolicySource`, an enumeration: one name for both made the
/// document describe this object as that string.)
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ActivityPolicySource)]
pub struct PolicySource {
    pub scope: PolicyScope,
    pub scope_id: i64,
}

/// The policy an activity follows: the most specific stored one (group → school → zone →
/// district), or the built-in defaults (`source` null).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"source": {"scope": "school", "scope_id": 1}, "summary_due_rule": "next_weekday",
    "summary_due_value": 2, "sign_in_opens_minutes_before": 30, "sign_in_closes_minutes_after": 60,
    "late_after_minutes": 5, "summary_due_on": "2026-10-20"}))]
pub struct EffectivePolicyView {
    pub source: Option<PolicySource>,
    pub summary_due_rule: SummaryDueRule,
    pub summary_due_value: Option<i32>,
    pub sign_in_opens_minutes_before: i32,
    pub sign_in_closes_minutes_after: i32,
    pub late_after_minutes: i32,
    /// The due day this policy gives the activity's summary (null without a date or a rule).
    pub summary_due_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PolicyFilter {
    pub scope: Option<PolicyScope>,
    pub scope_id: Option<i64>,
    /// `scope`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Validates a policy; the checks are the ones the summary deadline and sign-in rely on.
pub fn check_policy(checks: &mut Checks, p: &PolicyInput) {
    let value = p.summary_due_value;
    match p.summary_due_rule {
        SummaryDueRule::None => checks.ensure(value.is_none(), "summary_due_value", "must be null for rule none"),
        SummaryDueRule::DaysAfter => checks.ensure(
            value.is_some_and(|v| (0..=MAX_DAYS_AFTER).contains(&v)),
            "summary_due_value",
            format!("days_after needs 0 to {MAX_DAYS_AFTER} days"),
        ),
        SummaryDueRule::NextWeekday => checks.ensure(
            value.is_some_and(|v| (1..=7).contains(&v)),
            "summary_due_value",
            "next_weekday needs an ISO weekday, 1 (Monday) to 7 (Sunday)",
        ),
    }
    for (field, minutes) in [
        ("sign_in_opens_minutes_before", p.sign_in_opens_minutes_before),
        ("sign_in_closes_minutes_after", p.sign_in_closes_minutes_after),
        ("late_after_minutes", p.late_after_minutes),
    ] {
        if let Some(m) = minutes {
            checks.ensure((0..=MAX_MINUTES).contains(&m), field, format!("must be 0 to {MAX_MINUTES}"));
        }
    }
}

/// The scope's district, if the caller sees the scope (404 otherwise), and whether the caller
/// may write its policy.
async fn resolve_scope(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: PolicyScope,
    id: i64,
) -> ApiResult<(i64, bool)> {
    let missing = || ApiError::not_found(scope.code());
    Ok(match scope {
        PolicyScope::District => {
            let d = entities::district::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|d| d.archived_at.is_none() && actor.sees_district(d.id))
                .ok_or_else(missing)?;
            (d.id, actor.administers_district(d.id))
        }
        PolicyScope::Zone => {
            let z = zone::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|z| z.archived_at.is_none() && actor.sees_district(z.district_id))
                .ok_or_else(missing)?;
            (z.district_id, actor.administers_district(z.district_id))
        }
        PolicyScope::School => {
            let s = school::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|s| s.archived_at.is_none() && actor.sees_school(s.district_id, s.id))
                .ok_or_else(missing)?;
            (s.district_id, actor.administers_school(s.district_id, s.id))
        }
        PolicyScope::Group => {
            let g: group::Model = load_group(db, actor, id).await?;
            if g.archived_at.is_some() {
                return Err(missing());
            }
            let may_write = require_manages_contents(db, actor, &g).await.is_ok();
            (g.district_id, may_write)
        }
    })
}

async fn stored(db: &impl ConnectionTrait, scope: PolicyScope, id: i64) -> ApiResult<Option<activity_policy::Model>> {
    Ok(activity_policy::Entity::find()
        .filter(activity_policy::Column::Scope.eq(scope))
        .filter(activity_policy::Column::ScopeId.eq(id))
        .one(db)
        .await?)
}

/// The SQL form of "the caller sees the policy's scope".
fn visible_policies(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(activity_policy::Column::DistrictId.eq(d)),
        Reach::School { district_id, school_id } => {
            Condition::all().add(activity_policy::Column::DistrictId.eq(district_id)).add(
                Condition::any()
                    .add(activity_policy::Column::Scope.is_in([PolicyScope::District, PolicyScope::Zone]))
                    .add(
                        Condition::all()
                            .add(activity_policy::Column::Scope.eq(PolicyScope::School))
                            .add(activity_policy::Column::ScopeId.eq(school_id)),
                    )
                    .add(
                        Condition::all()
                            .add(activity_policy::Column::Scope.eq(PolicyScope::Group))
                            .add(activity_policy::Column::ScopeId.in_subquery(visible_group_ids(actor))),
                    ),
            )
        }
    }
}

/// List the activity policies of the scopes the caller sees.
#[utoipa::path(
    tag = "activity-policies",
    params(PolicyFilter),
    responses((status = 200, description = "A page of policies", body = Page<ActivityPolicyView>))
)]
#[get("/activity-policies")]
pub(super) async fn list_policies(
    state: State,
    actor: Actor,
    filter: Query<PolicyFilter>,
) -> ApiResult<web::Json<Page<ActivityPolicyView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let mut query = activity_policy::Entity::find().filter(visible_policies(&actor));
    if let Some(scope) = f.scope {
        query = query.filter(activity_policy::Column::Scope.eq(scope));
    }
    if let Some(id) = f.scope_id {
        query = query.filter(activity_policy::Column::ScopeId.eq(id));
    }
    let query = sorted(
        query,
        f.sort.as_deref(),
        &[
            ("scope", activity_policy::Column::Scope),
            ("created_at", activity_policy::Column::CreatedAt),
            ("id", activity_policy::Column::Id),
        ],
        activity_policy::Column::Id,
    )?;
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
pub(super) async fn get_policy(
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
pub(super) async fn put_policy(
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
pub(super) async fn delete_policy(
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
pub(super) async fn activity_policy_of(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn input(rule: SummaryDueRule, value: Option<i32>) -> PolicyInput {
        PolicyInput {
            summary_due_rule: rule,
            summary_due_value: value,
            sign_in_opens_minutes_before: Some(30),
            sign_in_closes_minutes_after: None,
            late_after_minutes: Some(1441),
        }
    }

    fn fields(p: &PolicyInput) -> Vec<String> {
        let mut checks = Checks::new();
        check_policy(&mut checks, p);
        match checks.finish() {
            Ok(()) => vec![],
            Err(e) => e.problem().errors.unwrap().into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn each_rule_has_its_own_value_range() {
        assert_eq!(fields(&input(SummaryDueRule::NextWeekday, Some(2))), ["late_after_minutes"]);
        assert!(fields(&input(SummaryDueRule::NextWeekday, Some(8))).contains(&"summary_due_value".to_string()));
        assert!(fields(&input(SummaryDueRule::DaysAfter, Some(61))).contains(&"summary_due_value".to_string()));
        assert!(!fields(&input(SummaryDueRule::DaysAfter, Some(0))).contains(&"summary_due_value".to_string()));
        assert!(fields(&input(SummaryDueRule::None, Some(1))).contains(&"summary_due_value".to_string()));
        assert!(!fields(&input(SummaryDueRule::None, None)).contains(&"summary_due_value".to_string()));
    }
}
