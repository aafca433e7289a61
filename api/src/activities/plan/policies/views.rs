//! Wire types: what the API reads and shows.

use chrono::{DateTime, Utc};
use entities::activity_policy;
use entities::enums::{PolicyScope, SummaryDueRule};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
