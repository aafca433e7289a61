//! Turning a request body into a rule: a catalogue template plus overrides, or a full rule (and
//! a simulation's draft rules). Pure functions, no database.
//!
//! Overrides are merged over the template's JSON key by key; the objects `metric` and
//! `applies_to` are merged one level deeper, so `{"metric": {"min_words": 500}}` adds a filter to
//! the template's metric. A `metric` with another `kind` replaces the template's metric whole
//! (its filters belong to the old kind). The result is then read as a [`RuleSpec`] (unknown
//! fields refused, every error naming its field) and checked by [`rules::check`].

use serde_json::{Map, Value};

use super::views::Body;
use crate::domain::{DomainError, DomainResult, FieldError};
use crate::extract::field_of;
use crate::quota::rules::{self, RuleSpec};
use crate::quota::templates::template;

/// Merges `overrides` over `base` as described in the module documentation.
pub fn overlay(mut base: Map<String, Value>, overrides: Map<String, Value>) -> Map<String, Value> {
    for (key, value) in overrides {
        let nested = matches!(key.as_str(), "metric" | "applies_to");
        match (base.get_mut(&key), value) {
            (Some(Value::Object(old)), Value::Object(new)) if nested && same_kind(&key, old, &new) => {
                for (k, v) in new {
                    old.insert(k, v);
                }
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
    base
}

fn same_kind(key: &str, old: &Map<String, Value>, new: &Map<String, Value>) -> bool {
    key != "metric" || new.get("kind").is_none_or(|k| Some(k) == old.get("kind"))
}

/// The rule `fields` describe: the template `template_id` (if any) with `fields` over it, or
/// `fields` alone. 422 naming the field for an unknown template, a malformed field or a rule
/// [`rules::check`] refuses.
pub fn spec_from(template_id: Option<&str>, fields: Map<String, Value>) -> Result<RuleSpec, DomainError> {
    let merged = match template_id {
        Some(id) => {
            let found = template(id).ok_or_else(|| {
                DomainError::invalid(
                    "template_id",
                    format!("no template {id}; GET /api/v1/quota-rule-templates lists them"),
                )
            })?;
            match serde_json::to_value(&found.spec) {
                Ok(Value::Object(base)) => overlay(base, fields),
                _ => unreachable!("a RuleSpec serializes to an object"),
            }
        }
        None => fields,
    };
    let spec = read_spec(Value::Object(merged))?;
    let errors: Vec<_> = rules::check(&spec).into_iter().map(FieldError::from).collect();
    if errors.is_empty() {
        Ok(spec)
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// The most draft rules one simulation tries.
pub const MAX_DRAFTS: usize = 50;

/// The draft rules of a simulation, each a rule body as for `POST /quota-rules` without an
/// owner; a problem names its field under the draft (`rules[0].min`).
pub fn drafts_from(rules: &[Value]) -> DomainResult<Vec<RuleSpec>> {
    if rules.is_empty() || rules.len() > MAX_DRAFTS {
        return Err(DomainError::invalid("rules", "give 1 to 50 draft rules"));
    }
    let mut drafts = Vec::with_capacity(rules.len());
    for (i, value) in rules.iter().enumerate() {
        let parsed = Body::split(value.clone(), true).and_then(|b| {
            if b.school_id.is_some() || b.district_id.is_some() || b.semester_ids.is_some() {
                return Err(DomainError::invalid(
                    "school_id",
                    "a draft has no owner: it measures the request's population",
                ));
            }
            spec_from(b.template_id.as_deref(), b.fields)
        });
        match parsed {
            Ok(spec) => drafts.push(spec),
            Err(DomainError::Invalid(errors)) => {
                return Err(DomainError::Invalid(
                    errors.into_iter().map(|e| FieldError::new(format!("rules[{i}].{}", e.field), e.message)).collect(),
                ))
            }
            Err(other) => return Err(other),
        }
    }
    Ok(drafts)
}

/// Reads a rule from JSON with the path of the first problem as its field. An unknown or missing
/// metric kind is reported on `metric.kind`, where the client has to change it; a missing or
/// unknown field on its own path (`metric.same_subjects`, `applies_to.ages`).
pub fn read_spec(value: Value) -> Result<RuleSpec, DomainError> {
    serde_path_to_error::deserialize::<_, RuleSpec>(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = match path.as_str() {
            "metric" if message.contains("variant") => "metric.kind".to_string(),
            _ => field_of(&path, &message, "body"),
        };
        DomainError::Invalid(vec![FieldError::new(field, message)])
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::quota::rules::Metric;

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    fn fields_of(err: DomainError) -> Vec<String> {
        match err {
            DomainError::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("not invalid: {other:?}"),
        }
    }

    #[test]
    fn a_template_with_overrides_keeps_what_is_not_overridden() {
        let spec = spec_from(
            Some("observations-monthly-4"),
            object(json!({"min": 3, "name": "每月听课3节", "metric": {"same_subject": true}})),
        )
        .unwrap();
        assert_eq!((spec.name.as_str(), spec.min), ("每月听课3节", 3.0));
        assert!(matches!(spec.metric, Metric::Observations { same_subject: true, .. }));
        assert!(spec.source.unwrap().contains("seed 000"), "the template's source is kept");
    }

    #[test]
    fn a_metric_of_another_kind_replaces_the_templates_metric() {
        let spec = spec_from(
            Some("observations-monthly-4"),
            object(json!({"metric": {"kind": "records", "kinds": ["reflection"]}})),
        )
        .unwrap();
        assert!(matches!(spec.metric, Metric::Records { ref kinds, .. } if kinds.len() == 1));
    }

    #[test]
    fn a_full_rule_needs_no_template() {
        let spec = spec_from(
            None,
            object(json!({"name": "每学期听课15节", "subject_type": "teacher", "metric": {"kind": "observations"},
                "period": "semester", "min": 15, "severity": "required"})),
        )
        .unwrap();
        assert_eq!(spec.min, 15.0);
    }

    #[test]
    fn problems_name_their_fields() {
        let unknown = spec_from(Some("no-such-template"), Map::new()).unwrap_err();
        assert_eq!(fields_of(unknown), vec!["template_id"]);
        let kind =
            spec_from(Some("observations-monthly-4"), object(json!({"metric": {"kind": "coffee"}}))).unwrap_err();
        assert_eq!(fields_of(kind), vec!["metric.kind"]);
        let negative = spec_from(Some("observations-monthly-4"), object(json!({"min": -1}))).unwrap_err();
        assert_eq!(fields_of(negative), vec!["min"]);
        let pair_metric =
            spec_from(Some("observations-monthly-4"), object(json!({"metric": {"kind": "mentor_observes_mentee"}})))
                .unwrap_err();
        assert_eq!(fields_of(pair_metric), vec!["metric.kind"]);
        let wrong_type = spec_from(Some("observations-monthly-4"), object(json!({"min": "four"}))).unwrap_err();
        assert_eq!(fields_of(wrong_type), vec!["min"]);
        let unknown_filter =
            spec_from(Some("observations-monthly-4"), object(json!({"applies_to": {"ages": [30]}}))).unwrap_err();
        assert_eq!(fields_of(unknown_filter), vec!["applies_to.ages"]);
        let missing = spec_from(None, object(json!({"name": "x"}))).unwrap_err();
        assert_eq!(fields_of(missing), vec!["subject_type"]);
        let missing_kind = spec_from(None, object(json!({"metric": {}}))).unwrap_err();
        assert_eq!(fields_of(missing_kind), vec!["metric.kind"]);
        let unknown_metric_filter =
            spec_from(Some("observations-monthly-4"), object(json!({"metric": {"same_subjects": true}}))).unwrap_err();
        assert_eq!(fields_of(unknown_metric_filter), vec!["metric.same_subjects"]);
        let unknown_rule_field = spec_from(Some("observations-monthly-4"), object(json!({"minimum": 3}))).unwrap_err();
        assert_eq!(fields_of(unknown_rule_field), vec!["minimum"]);
    }
}
