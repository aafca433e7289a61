//! A group's members: teachers with a role (组长, 副组长, 组员) and the dates of their membership.
//!
//! Members of a school group are teachers of its school; members of a district team (中心组)
//! come from any school of the district. A school-level account reading a district team sees
//! only the members from its own school (the others are another school's data): lists, counts
//! and single memberships alike. Managing follows [`crate::groups::access`]: the group's
//! administrators and its leader.

mod handlers;
pub mod queries;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub(crate) use queries::check_single_live;
pub use views::MemberFilter;
pub use views::MemberPatch;
pub use views::MemberView;
pub use views::NewMember;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_members)
        .service(handlers::create_member)
        .service(handlers::get_member)
        .service(handlers::update_member)
        .service(handlers::archive_member);
}
