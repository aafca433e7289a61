//! Lesson observations (听课记录) with structured feedback, and the rubrics (量表) they score by.

pub mod rubrics;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    rubrics::routes(cfg);
}
