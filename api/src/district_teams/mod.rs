//! District teams' attendance rule (中心组自动退出, seed 001: "不能够参加教研活动…超过三分之一以上，
//! 均作为自动退出中心组，将把有关通知发到所在学校"; docs/API-DESIGN.md, "District team attendance").
//!
//! - The district sets the rule (`/team-attendance-policies/districts/{id}`): the share of a team's
//!   held sessions a member may miss (default 1/3, exceeded strictly), whether leave counts
//!   (default yes) and whether removal is automatic at the semester's end (default no).
//! - `GET /team-attendance?semester_id=` lists, for every district team of the semester's
//!   district at once, the members over the rule with their numbers (one `GROUP BY`).
//! - The district confirms a removal (`POST /team-removals`), or settles the semester after its
//!   end (`POST /team-removals/settle`); an automatic rule is applied by the first read of the
//!   report after the end date. Either way the membership ends with the reason `attendance`, and
//!   the member's school gets a notice ([`crate::notices`]) in the same transaction.
//! - Whoever sees the district reads the rule and the report (school staff: their own school's
//!   members only); removals are read by whoever sees the member's school.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use views::{TeamAttendanceView, TeamRemovalView};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::get_team_attendance_policy)
        .service(handlers::put_team_attendance_policy)
        .service(handlers::team_attendance)
        .service(handlers::settle_semester)
        .service(handlers::create_removal)
        .service(handlers::list_removals)
        .service(handlers::get_removal);
}
