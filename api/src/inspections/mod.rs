//! Routine inspections (常规检查, seeds 000 and 002): checklist templates, inspections of a school
//! or of a district's schools, the form pre-filled with what the records show, grades, findings
//! to correct (整改), and results per teacher, group and school.
//!
//! Who may do what:
//! - templates: read by whoever sees their owner (a school's, or the district's for all its
//!   schools); made and changed by the owner's administrators. The built-in checklist
//!   (`/inspection-templates/default`) is everyone's;
//! - inspections: a school's are read by its staff and made, graded and closed by its
//!   administrators (and the district's); a district inspection by the district's
//!   administrators, and read by the staff of the schools whose teachers it inspects;
//! - rows (grades, pre-filled work, findings, results): the district's administrators see all,
//!   a school administrator those of their school's teachers, a teacher (or group leader) only
//!   their own. A teacher responds to their own findings; the inspectors confirm them.

mod findings;
pub mod form;
mod handlers;
mod matching;
pub mod queries;
pub mod results;
pub mod rules;
mod templates;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(templates::default_template)
        .service(templates::list_templates)
        .service(templates::create_template)
        .service(templates::get_template)
        .service(templates::update_template)
        .service(templates::archive_template)
        .service(handlers::list_inspections)
        .service(handlers::create_inspection)
        .service(handlers::get_inspection)
        .service(handlers::update_inspection)
        .service(handlers::archive_inspection)
        .service(handlers::inspection_form)
        .service(handlers::put_grades)
        .service(results::inspection_results)
        .service(findings::create_finding)
        .service(findings::list_findings)
        .service(findings::get_finding)
        .service(findings::update_finding)
        .service(findings::archive_finding)
        .service(findings::respond_to_finding)
        .service(findings::confirm_finding);
}
