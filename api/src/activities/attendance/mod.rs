//! Attendance (考勤): who is expected, sign-in, corrections, and attendance rates.
//!
//! Whoever sees an activity reads its attendance ([`crate::activities::access`]); school-level
//! readers of a zone or district activity see only their own school's participants, as with
//! district-team members. The organiser records and corrects it; a teacher signs themselves in
//! during the window of the activity's policy, or asks for leave before the start.

mod handlers;
pub mod queries;
mod rates;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::get_attendance)
        .service(handlers::record_attendance)
        .service(handlers::remove_participant)
        .service(handlers::sign_in)
        .service(handlers::ask_for_leave)
        .service(rates::teacher_attendance_rate)
        .service(rates::group_attendance_rate);
}
