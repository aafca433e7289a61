//! Pure rules, no database.

use super::super::rules::{Rules, MAX_CAPACITY};
use super::views::*;
use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::validate::Checks;
use entities::enums::{HonourTitle, RuleEnforcement};
use serde_json::Value;
use std::collections::BTreeMap;

/// The stored capacities, skipping keys that are not honour titles.
pub(super) fn capacities_of(json: &Value) -> BTreeMap<HonourTitle, i32> {
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

pub(super) fn require_writes(actor: &Actor, owner: Owner) -> DomainResult<()> {
    let allowed = match owner {
        Owner::District(d) => actor.administers_district(d),
        Owner::School { district_id, school_id } => actor.administers_school(district_id, school_id),
    };
    actor.require(allowed, "change this mentorship policy")
}

/// Validates a body into the JSON and values to store.
pub(super) fn clean(body: &MentorshipPolicyBody) -> DomainResult<Rules> {
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

pub(super) fn capacities_json(capacities: &BTreeMap<HonourTitle, i32>) -> Value {
    Value::Object(capacities.iter().map(|(k, v)| (k.code().to_string(), Value::from(*v))).collect())
}
