//! Districts (县/区): the top of the organisation. An installation-wide administrator creates
//! them; a district's own administrators may rename it; everyone in it reads it.

mod handlers;
pub mod queries;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use queries::load_district;
pub use views::DistrictFilter;
pub use views::DistrictPatch;
pub use views::DistrictView;
pub use views::NewDistrict;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_districts)
        .service(handlers::create_district)
        .service(handlers::get_district)
        .service(handlers::update_district)
        .service(handlers::archive_district);
}
