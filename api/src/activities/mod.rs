//! Teaching-research activities (教研活动): planning with the "四定", the life cycle, lessons
//! taught, generation from weekly slots, attendance, and the policies that shape them.

pub mod access;
pub mod attendance;
pub mod participants;
pub mod plan;
pub mod policy;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    plan::routes(cfg);
    attendance::routes(cfg);
}
