//! Quota rules a school or district adopts (`/api/v1/quota-rules`): from a catalogue template
//! with overrides, or written whole. A rule belongs to a school, or to a district for all its
//! schools ([`crate::org::ownership`] says who reads and who manages it), covers some semesters
//! or all, and is archived rather than deleted.

mod handlers;
pub mod input;
pub mod queries;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_quota_rules)
        .service(handlers::create_quota_rule)
        .service(handlers::get_quota_rule)
        .service(handlers::update_quota_rule)
        .service(handlers::archive_quota_rule);
}
