//! User accounts: a username and password, a role, and a scope (district, school, and the
//! teacher the account belongs to).
//!
//! Who may manage whom: an installation-wide administrator, anyone; a district administrator,
//! every account of their district; a school administrator, the school_admin, group_leader and
//! teacher accounts of their school. Everyone else sees only their own account and may change
//! only its display name and password (with the current password).
//!
//! - [`views`]: the wire types; [`handlers`]: the endpoints (with `POST /users/{id}/unlock`,
//!   lifting a lockout after repeated failed logins);
//! - [`rules`]: who sees and manages whom, usernames, the password policy, the PATCH merge;
//! - [`queries`]: loading and placing accounts, sessions, what a password must not be built from.

mod handlers;
mod queries;
pub mod rules;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use views::UserView;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_users)
        .service(handlers::create_user)
        .service(handlers::get_user)
        .service(handlers::update_user)
        .service(handlers::archive_user)
        .service(handlers::unlock_user);
}
