//! Mentorship pairs (师徒结对, 青蓝工程): agreement, duties, end assessment, the capacity and
//! grade-band policies, and each pair's observation log.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut ServiceConfig) {}
