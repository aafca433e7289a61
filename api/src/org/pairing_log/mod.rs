//! A school pairing's log (城乡结对, 送教下乡): its activities, the lessons taught at them and the
//! observations made at them.
//!
//! Whoever sees the pairing (staff of either school, the district's administrators) reads the
//! whole log: sharing it between the two schools is what the pairing is for. Observations are
//! listed when made by a teacher of one of the two schools.

mod handlers;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use views::PairingLessonView;
pub use views::PairingLogCounts;
pub use views::PairingLogEntry;
pub use views::PairingLogFilter;
pub use views::PairingObservationView;
pub use views::SchoolPairingLog;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::school_pairing_log);
}
