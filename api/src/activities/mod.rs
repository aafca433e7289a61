//! Teaching-research activities (教研活动): planning with the "四定", the life cycle, lessons
//! taught, generation from weekly slots, attendance, and the policies that shape them.

pub mod access;
pub mod participants;
pub mod policy;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut ServiceConfig) {}
