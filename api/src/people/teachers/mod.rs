//! Teachers (教师) of a school: who they are, what they teach (subjects, grades 1–6), their
//! leadership posts (职务) and honours (荣誉: title, level, year). The four lists live in child
//! tables; a create writes them and a PATCH that carries a list replaces that whole list, in the
//! same transaction as the teacher row.
//!
//! Who may do what:
//! - reading: everyone who sees the school (its staff, its district's administrators);
//! - creating, changing and archiving: the school's administrators and the district's
//!   administrators. Moving a teacher to another school needs the right to administer both;
//!   the teacher's accounts (users with this `teacher_id`) then move to the new school with them.
//!
//! Archiving is soft and idempotent: the teacher disappears from lists (unless
//! `include_archived=true`) and still answers `GET /teachers/{id}`. Their user accounts and group
//! memberships are left as they are: records keep pointing at them, and an account is disabled
//! through `/users` when the person leaves.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use queries::load_teacher;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_teachers)
        .service(handlers::create_teacher)
        .service(handlers::get_teacher)
        .service(handlers::update_teacher)
        .service(handlers::archive_teacher);
}
