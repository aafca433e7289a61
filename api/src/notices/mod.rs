//! Notices to a school (通知): what the district tells a school about its teachers, such as a
//! district team's removal of a member (seed 001: "将把有关通知发到所在学校").
//!
//! The codebase has no alerts or delivery mechanism, so a notice is a resource: written by the
//! area whose decision it reports, in that decision's transaction ([`queries::notify_removals`]),
//! and read with `GET /api/v1/notices` by the school's administrators and the district's. A
//! teacher or group leader (of any school) may not read them (403), and another school's notice
//! answers 404 like a missing one.

mod handlers;
pub mod queries;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use views::{NoticeFilter, NoticeView};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_notices).service(handlers::get_notice);
}
