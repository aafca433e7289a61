//! What the rules API reads and writes.

use chrono::{DateTime, Utc};
use entities::quota_rule;
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use crate::domain::DomainError;
use crate::quota::periods::PeriodKind;
use crate::quota::rules::{Applicability, Metric, RuleSpec, Severity, SubjectType};

/// A rule a school or district adopted.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "district_id": 1, "school_id": 2, "semester_ids": [], "template_id": "observations-monthly-4",
    "name": "教师每月听课不少于4节", "subject_type": "teacher", "applies_to": {"posts": [], "honours": [], "group_kinds": [],
    "min_teaching_years": null, "max_teaching_years": null, "min_age": null, "max_age": null, "reference_date": null,
    "subjects": [], "employment_types": [], "group_ids": []},
    "metric": {"kind": "observations", "lesson_kinds": [], "same_subject": false, "same_school": false,
    "critique_given": false, "feedback_complete": false}, "period": "month", "min": 4.0, "max": null,
    "severity": "required", "family": null, "priority": 0, "source": "教师每月听课不少于4节 (seed 000)",
    "created_at": "2026-09-01T02:00:00Z", "updated_at": "2026-09-01T02:00:00Z", "archived_at": null}))]
pub struct QuotaRuleView {
    pub id: i64,
    pub district_id: i64,
    /// `null`: a district rule, for every school of the district.
    pub school_id: Option<i64>,
    /// The semesters the rule covers; empty: every semester.
    pub semester_ids: Vec<i64>,
    /// The catalogue template the rule was made from.
    pub template_id: Option<String>,
    #[serde(flatten)]
    pub spec: RuleSpec,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// A stored rule read back: its row and its rule.
#[derive(Debug, Clone)]
pub struct StoredRule {
    pub row: quota_rule::Model,
    pub spec: RuleSpec,
    pub semester_ids: Vec<i64>,
}

impl StoredRule {
    /// Reads a row. The row was written from a checked [`RuleSpec`], so a failure here is a bug
    /// (or a hand-edited row): a 500, logged.
    pub fn from_row(row: quota_rule::Model) -> Result<StoredRule, DomainError> {
        let text = |v: &str| Value::String(v.to_string());
        let spec = RuleSpec {
            name: row.name.clone(),
            subject_type: serde_json::from_value(text(&row.subject_type)).map_err(corrupt(row.id))?,
            applies_to: serde_json::from_value(row.applies_to.clone()).map_err(corrupt(row.id))?,
            metric: serde_json::from_value(row.metric.clone()).map_err(corrupt(row.id))?,
            period: serde_json::from_value(text(&row.period)).map_err(corrupt(row.id))?,
            min: row.min,
            max: row.max,
            severity: serde_json::from_value(text(&row.severity)).map_err(corrupt(row.id))?,
            family: row.family.clone(),
            priority: row.priority,
            source: row.source.clone(),
        };
        let semester_ids = serde_json::from_value(row.semester_ids.clone()).map_err(corrupt(row.id))?;
        Ok(StoredRule { row, spec, semester_ids })
    }

    /// Whether the rule covers the semester.
    pub fn covers(&self, semester_id: i64) -> bool {
        self.semester_ids.is_empty() || self.semester_ids.contains(&semester_id)
    }

    pub fn view(self) -> QuotaRuleView {
        QuotaRuleView {
            id: self.row.id,
            district_id: self.row.district_id,
            school_id: self.row.school_id,
            semester_ids: self.semester_ids,
            template_id: self.row.template_id,
            spec: self.spec,
            created_at: self.row.created_at,
            updated_at: self.row.updated_at,
            archived_at: self.row.archived_at,
        }
    }
}

fn corrupt(id: i64) -> impl Fn(serde_json::Error) -> DomainError {
    move |e| DomainError::Internal(anyhow::anyhow!("quota rule {id} does not read back: {e}"))
}

/// The code a value serializes to (`"teacher"`, `"month"` ...), for the shape columns.
pub fn code_of(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        other => unreachable!("a unit enum serializes to a string, not {other:?}"),
    }
}

/// Writes a rule's shape into a row.
pub fn write_spec(active: &mut quota_rule::ActiveModel, spec: &RuleSpec) {
    active.name = Set(spec.name.trim().to_string());
    active.subject_type = Set(code_of(&spec.subject_type));
    active.metric_kind = Set(spec.metric.code().to_string());
    active.metric = Set(serde_json::to_value(&spec.metric).unwrap_or(Value::Null));
    active.applies_to = Set(serde_json::to_value(&spec.applies_to).unwrap_or(Value::Null));
    active.period = Set(code_of(&spec.period));
    active.min = Set(spec.min);
    active.max = Set(spec.max);
    active.severity = Set(code_of(&spec.severity));
    active.family = Set(spec.family.as_ref().map(|f| f.trim().to_string()));
    active.priority = Set(spec.priority);
    active.source = Set(spec.source.clone());
}

/// A new rule: an owner, then either `template_id` with any rule fields as overrides, or a full
/// rule. `metric` and `applies_to` overrides are merged key by key over the template's (a
/// `metric` of another `kind` replaces it).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"school_id": 2, "template_id": "observations-monthly-4", "min": 3,
    "metric": {"same_subject": true}}))]
pub struct NewQuotaRule {
    /// The owning school (its administrators manage the rule).
    pub school_id: Option<i64>,
    /// The owning district, for a rule of every school of it (district administrators only).
    pub district_id: Option<i64>,
    /// The semesters the rule covers (at most 20); empty or absent: every semester.
    #[schema(max_items = 20)]
    pub semester_ids: Option<Vec<i64>>,
    /// A catalogue id from `GET /quota-rule-templates`.
    pub template_id: Option<String>,
    #[serde(flatten)]
    pub rule: RuleFields,
}

/// The fields of a rule, each optional (over a template, or in a change).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RuleFields {
    pub name: Option<String>,
    pub subject_type: Option<SubjectType>,
    pub applies_to: Option<Applicability>,
    pub metric: Option<Metric>,
    pub period: Option<PeriodKind>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub severity: Option<Severity>,
    pub family: Option<String>,
    pub priority: Option<i32>,
    pub source: Option<String>,
}

/// A change to a rule: any rule fields (merged as over a template) and `semester_ids`. The owner
/// and the template do not change.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"min": 5, "semester_ids": [3]}))]
pub struct QuotaRulePatch {
    /// At most 20.
    #[schema(max_items = 20)]
    pub semester_ids: Option<Vec<i64>>,
    #[serde(flatten)]
    pub rule: RuleFields,
}

/// The body of a create or change request, split: the owner and bookkeeping fields, and the rule
/// fields (merged over a template or the stored rule).
pub struct Body {
    pub school_id: Option<i64>,
    pub district_id: Option<i64>,
    pub semester_ids: Option<Vec<i64>>,
    pub template_id: Option<String>,
    pub fields: Map<String, Value>,
}

impl Body {
    /// Splits a JSON object; `owner_fields` says whether `school_id`, `district_id` and
    /// `template_id` are accepted (on create) or refused (on change).
    pub fn split(value: Value, owner_fields: bool) -> Result<Body, DomainError> {
        let Value::Object(mut fields) = value else {
            return Err(DomainError::invalid("body", "must be a JSON object"));
        };
        let mut take_id = |key: &str| -> Result<Option<i64>, DomainError> {
            match fields.remove(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v.as_i64().map(Some).ok_or_else(|| DomainError::invalid(key, "must be an integer id")),
            }
        };
        let (school_id, district_id) =
            if owner_fields { (take_id("school_id")?, take_id("district_id")?) } else { (None, None) };
        let template_id = if owner_fields {
            match fields.remove("template_id") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s),
                Some(_) => return Err(DomainError::invalid("template_id", "must be a template id (a string)")),
            }
        } else {
            None
        };
        let semester_ids = match fields.remove("semester_ids") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                serde_json::from_value::<Vec<i64>>(v)
                    .map_err(|_| DomainError::invalid("semester_ids", "must be a list of semester ids"))?,
            ),
        };
        if !owner_fields {
            for key in ["school_id", "district_id", "template_id"] {
                if fields.contains_key(key) {
                    return Err(DomainError::invalid(key, "cannot change: create a new rule instead"));
                }
            }
        }
        Ok(Body { school_id, district_id, semester_ids, template_id, fields })
    }
}

/// Filters of the rule list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QuotaRuleFilter {
    /// Rules of this school (not its district's).
    pub school_id: Option<i64>,
    /// Rules of this district itself (not its schools').
    pub district_id: Option<i64>,
    /// Rules covering this semester.
    pub semester_id: Option<i64>,
    pub subject_type: Option<SubjectType>,
    /// Include archived rules (default false).
    pub include_archived: Option<bool>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
