//! What the catalogue endpoint answers.

use serde::Serialize;
use utoipa::ToSchema;

use crate::quota::templates::Template;

/// Every template of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"items": [{"id": "observations-monthly-4", "name": "教师每月听课不少于4节",
    "subject_type": "teacher", "applies_to": {"posts": [], "honours": [], "group_kinds": [], "min_teaching_years": null,
    "max_teaching_years": null, "min_age": null, "max_age": null, "reference_date": null, "subjects": [],
    "employment_types": [], "group_ids": []},
    "metric": {"kind": "observations", "lesson_kinds": [], "same_subject": false, "same_school": false,
    "critique_given": false, "feedback_complete": false}, "period": "month", "min": 4.0, "max": null,
    "severity": "required", "family": null, "priority": 0, "source": "教师每月听课不少于4节 (seed 000)"}], "total": 42}))]
pub struct TemplateList {
    pub items: Vec<Template>,
    pub total: usize,
}
