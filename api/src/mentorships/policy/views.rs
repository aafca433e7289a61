//! Wire types: what the API reads and shows.

use super::super::rules::Rules;
use super::rules::*;
use chrono::{DateTime, Utc};
use entities::enums::{HonourTitle, RuleEnforcement};
use entities::mentorship_policy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Who a stored policy belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    District(i64),
    School { district_id: i64, school_id: i64 },
}

impl Owner {
    pub(super) fn district_id(self) -> i64 {
        match self {
            Owner::District(d) | Owner::School { district_id: d, .. } => d,
        }
    }

    pub(super) fn school_id(self) -> Option<i64> {
        match self {
            Owner::District(_) => None,
            Owner::School { school_id, .. } => Some(school_id),
        }
    }

    pub(super) fn path(self) -> String {
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

impl From<&mentorship_policy::Model> for Rules {
    fn from(m: &mentorship_policy::Model) -> Self {
        Rules {
            capacities: capacities_of(&m.capacities),
            default_capacity: m.default_capacity,
            grade_band_rule: m.grade_band_rule,
        }
    }
}
