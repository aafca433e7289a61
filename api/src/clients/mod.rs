//! Machine clients of a district: the county's staff database, a provincial platform,
//! a school's offline front end. A district administrator registers a client with scopes and
//! optional school limits and receives its secret once; the client exchanges it for short-lived
//! bearer tokens at `POST /oauth/token` (`client_credentials`).
//!
//! - [`scopes`]: what a client may be granted;
//! - [`access`]: what a caller (a client, or a user with the right role) may reach in the
//!   district-system endpoints (sync, change feed, OneRoster);
//! - [`handlers`]: `/api-clients` (register, list, change, archive, rotate the secret);
//! - [`token`]: the OAuth 2.0 token endpoint, [`queries`] its database access.

pub mod access;
mod handlers;
mod queries;
pub mod scopes;
mod token;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    handlers::routes(cfg);
    token::routes(cfg);
}
