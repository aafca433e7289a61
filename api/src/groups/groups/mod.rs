//! Groups: a school's teaching-research groups (教研组) and their lesson-prep groups (备课组),
//! grade groups (年级组), project groups (课题组), and district subject teams (中心组), which
//! belong to a district rather than a school.
//!
//! The three-level structure 教导处 → 教研组 → 备课组 is kept with `parent_id`: a lesson-prep
//! group's parent is a research group of the same school ("语文教研组由六个备课组组成", seed 000).
//! A small subject may be a research group without sub-groups (seed 000: the English teachers
//! are one lesson-prep group and a research group at once).
//!
//! Reading and managing follow [`crate::groups::access`].

pub(crate) mod checks;
mod handlers;
mod queries;
mod rules;
mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use checks::live_member_counts;
pub use views::{GroupFilter, GroupPatch, GroupView, NewGroup};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_groups)
        .service(handlers::create_group)
        .service(handlers::get_group)
        .service(handlers::update_group)
        .service(handlers::archive_group);
}
