//! The quota endpoints. So far: the rule catalogue.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Actor;
use crate::quota::templates::{templates, Template};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_quota_rule_templates);
}

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

/// The rule catalogue: every rule the source documents state, ready to adopt (with its source
/// quoted). The sources disagree with each other, so these are choices, never defaults.
#[utoipa::path(tag = "quota", responses((status = 200, description = "The catalogue", body = TemplateList)))]
#[get("/quota-rule-templates")]
async fn list_quota_rule_templates(_actor: Actor) -> web::Json<TemplateList> {
    let items = templates();
    web::Json(TemplateList { total: items.len(), items })
}
