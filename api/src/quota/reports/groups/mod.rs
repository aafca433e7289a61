//! The group report (教研组/区中心组工作报告, seed 001's expectations of a 区中心组 or 教研组): what the
//! group held over the semester up to `as_of`, by type and modality and one by one with their
//! attendance, the group's attendance rate, its research topics, and the open lessons given at
//! its activities with how many observations each teacher's lesson drew that day.
//!
//! Counted: the group's activities held or filed (`status` held/archived), not soft-deleted, in
//! the semester and dated on or before `as_of`; attendance as in
//! `activities::attendance::rates` (expected participants; leave excused; pending counts as
//! absent), with every participant counted, whichever school they come from.
//! Open lessons: lessons of kind `open` (公开课), `demo` (示范课) or `research` (研究课) at those
//! activities; their observations are the live observations of the lesson's teacher dated on the
//! activity's day (by anyone, linked to the activity or not).
//!
//! Read by whoever sees the group (`groups::access::sees_group`); others get 404.
//!
//! The quota rule results for the group will be a table named `rules` (placed after
//! `activities_by_type`), filled from the checks engine; until then the report has no such table.
//!
//! [`queries`] reads the figures, [`rules`] lays them out as tables, [`handlers`] answers.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

use entities::enums::LessonKind;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::group_report);
}

/// The lesson kinds an open-lesson review lists: 公开课, 示范课, 研究课.
pub const OPEN_LESSON_KINDS: [LessonKind; 3] = [LessonKind::Open, LessonKind::Demo, LessonKind::Research];
