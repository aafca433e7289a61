//! Research records teachers produce (反思, 教案, 笔记, 论文, 课题, 获奖 ...) and the dated tasks
//! they answer.

pub mod words;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut ServiceConfig) {}
