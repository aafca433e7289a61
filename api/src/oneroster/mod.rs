//! A read-only 1EdTech OneRoster 1.2 rostering view (docs/API-DESIGN.md, "OneRoster view") at
//! `/ims/oneroster/rostering/v1p2/`: the organisation (district → zones → schools as orgs), the
//! teachers (as users and teachers) and the calendar (semesters as terms, school years as
//! academic sessions), for district systems and learning platforms that already speak OneRoster.
//!
//! Why its own module and error format: the binding fixes the paths, field names, envelopes,
//! query parameters and error bodies, which differ from the rest of the API (problem+json,
//! `{items, total}` pages). The data comes from the same tables, read through SQL views that
//! compute the OneRoster fields, so filters and sorting run in the database.
//!
//! - [`handlers`]: the twelve endpoints; [`collections`]: what they share (access, paging,
//!   envelopes);
//! - [`filter`]: the `filter=` grammar; [`fields`]: what each collection may filter, sort and
//!   select, and the SQL of a filter; [`paging`]: `limit`/`offset` and the `Link` header;
//! - [`queries`]: the views and their rows; [`mapping`]: rows as OneRoster objects;
//!   [`views`]: those objects; [`names`]: 姓名 → familyName/givenName; [`errors`]: the imsx
//!   error body; [`sql`]: a small SQL builder.

pub mod collections;
/// The OneRoster view's error bodies live at the edge ([`crate::roster_error`]); this path keeps its name.
pub use crate::roster_error as errors;
pub mod fields;
pub mod filter;
pub mod handlers;
pub mod mapping;
pub mod names;
pub mod paging;
pub mod queries;
pub mod sql;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use mapping::BASE_PATH;
pub use views::FieldSelection;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::get_all_orgs)
        .service(handlers::get_org)
        .service(handlers::get_all_schools)
        .service(handlers::get_school)
        .service(handlers::get_all_users)
        .service(handlers::get_user)
        .service(handlers::get_all_teachers)
        .service(handlers::get_teacher)
        .service(handlers::get_all_academic_sessions)
        .service(handlers::get_academic_session)
        .service(handlers::get_all_terms)
        .service(handlers::get_term);
}
