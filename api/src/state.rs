//! What every handler shares.

use sea_orm::DatabaseConnection;

use crate::auth::throttle::LoginGuard;
use crate::auth::tokens::JwtKeys;
use crate::config::Settings;
use crate::quota::checks::cache::CheckCache;

pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: JwtKeys,
    pub settings: Settings,
    /// Computed quota checks, kept per database version.
    pub checks: CheckCache,
    /// Throttling and lockout settings of the credential endpoints.
    pub logins: LoginGuard,
}

pub type State = actix_web::web::Data<AppState>;
