//! Calendar feeds (RFC 5545 iCalendar) of scheduled activities and collective-preparation due
//! days, for teachers and groups, authenticated by a per-user feed token so that calendar apps
//! can subscribe.

mod feeds;
pub mod ics;
pub mod preparations;
mod tokens;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::OpenApi as Spec;
use utoipa::Modify;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(tokens::issue_calendar_token)
        .service(tokens::revoke_calendar_token)
        .service(feeds::teacher_feed)
        .service(feeds::group_feed);
}

/// The `calendar_token` security scheme the feed endpoints accept besides `bearer`: the feed
/// token in the `token` query parameter. Applied to the document by [`crate::openapi::spec`].
pub struct FeedTokenSecurity;

impl Modify for FeedTokenSecurity {
    fn modify(&self, openapi: &mut Spec) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "calendar_token",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "token",
                "A calendar feed token from `POST /api/v1/me/calendar-token`; reads calendar feeds only",
            ))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_security_scheme_the_feeds_name_is_defined() {
        let mut spec = crate::openapi::spec();
        FeedTokenSecurity.modify(&mut spec);
        let json = serde_json::to_value(&spec).unwrap();
        let schemes = json["components"]["securitySchemes"].as_object().unwrap();
        assert_eq!(schemes["calendar_token"]["in"], "query");
        let feed = &json["paths"]["/api/v1/calendar/teachers/{id}.ics"]["get"];
        for requirement in feed["security"].as_array().unwrap() {
            for name in requirement.as_object().unwrap().keys() {
                assert!(schemes.contains_key(name), "{name} is not defined");
            }
        }
        assert!(feed["responses"]["200"]["content"]["text/calendar"].is_object(), "{feed}");
    }
}
