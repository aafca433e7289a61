//! Zones (片区): schools of a district grouped for joint research, each optionally led by a lead
//! school (牵头学校, seed 001: 东片 led by 大河岸中心小学 ...).
//!
//! Everyone in the district reads zones; only its district administrators change them.

mod handlers;
pub mod queries;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use queries::load_zone;
pub use views::NewZone;
pub use views::ZoneFilter;
pub use views::ZonePatch;
pub use views::ZoneView;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_zones)
        .service(handlers::create_zone)
        .service(handlers::get_zone)
        .service(handlers::update_zone)
        .service(handlers::archive_zone);
}
