//! `GET /quota-rule-templates`: the rule catalogue.

use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::views::TemplateList;
use crate::auth::Actor;
use crate::quota::templates::templates;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_quota_rule_templates);
}

/// The rule catalogue: every rule the source documents state, ready to adopt (with its source
/// quoted). The sources disagree with each other, so these are choices, never defaults.
#[utoipa::path(tag = "quota", responses((status = 200, description = "The catalogue", body = TemplateList)))]
#[get("/quota-rule-templates")]
async fn list_quota_rule_templates(_actor: Actor) -> web::Json<TemplateList> {
    let items = templates();
    web::Json(TemplateList { total: items.len(), items })
}
