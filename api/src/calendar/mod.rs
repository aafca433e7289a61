//! Calendar feeds (RFC 5545 iCalendar) of scheduled activities, for teachers and groups,
//! authenticated by a per-user feed token so that calendar apps can subscribe.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut ServiceConfig) {}
