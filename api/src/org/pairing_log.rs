//! A school pairing's log (城乡结对, 送教下乡): its activities and the observations made at them.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut ServiceConfig) {}
