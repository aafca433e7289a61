//! Semesters (学期) of a district's calendar: dates, the Monday of teaching week 1, and holidays.
//! The calendar logic itself (week numbers, teaching weeks) is in [`crate::org::calendar`].
//!
//! Everyone in the district reads its semesters; only its district administrators change them.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use queries::load_semester;
pub use rules::calendar_of;
pub(crate) use rules::check_calendar;
pub(crate) use rules::holidays_json;
pub(crate) use rules::NAME_MAX;
pub use views::view;
pub use views::NewSemester;
pub use views::SemesterFilter;
pub use views::SemesterPatch;
pub use views::SemesterView;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_semesters)
        .service(handlers::create_semester)
        .service(handlers::get_semester)
        .service(handlers::update_semester)
        .service(handlers::archive_semester);
}
