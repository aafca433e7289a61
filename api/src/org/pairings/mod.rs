//! School pairings (学校结对): a mentor school helping a partner school of the same district,
//! as 城乡结对 (urban–rural), 手拉手 (sister schools) or 送教下乡 (outreach).
//!
//! District administrators read and write their district's pairings; school-level roles read the
//! pairings their school is a side of.

mod handlers;
pub mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use queries::load_school_pairing;
pub use views::NewSchoolPairing;
pub use views::SchoolPairingFilter;
pub use views::SchoolPairingPatch;
pub use views::SchoolPairingView;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_school_pairings)
        .service(handlers::create_school_pairing)
        .service(handlers::get_school_pairing)
        .service(handlers::update_school_pairing)
        .service(handlers::archive_school_pairing);
}
