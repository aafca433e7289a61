//! Attendance (考勤): who is expected, sign-in, corrections, and attendance rates.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut ServiceConfig) {}
