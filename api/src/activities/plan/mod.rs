//! Planning and running activities: create, change, the status life cycle, lessons taught,
//! generation from weekly slots, and the activity policies endpoints.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut ServiceConfig) {}
