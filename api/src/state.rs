//! What every handler shares.

use sea_orm::DatabaseConnection;

use crate::auth::throttle::LoginGuard;
use crate::auth::tokens::JwtKeys;
use crate::config::Settings;
use crate::quota::checks::cache::CheckCache;

pub struct AppState {
    /// The primary: every write, and every read but those of [`AppState::reads`].
    pub db: DatabaseConnection,
    /// `JIAOYAN_READ_DATABASE_URL` (a streaming replica), or the primary again when unset.
    pub read_db: DatabaseConnection,
    pub keys: JwtKeys,
    pub settings: Settings,
    /// Computed quota checks, kept per database version.
    pub checks: CheckCache,
    /// Throttling and lockout settings of the credential endpoints.
    pub logins: LoginGuard,
}

pub type State = actix_web::web::Data<AppState>;

impl AppState {
    /// Where quota checks, reports, the change feed and the OneRoster view read: the replica of
    /// `JIAOYAN_READ_DATABASE_URL`, which may lag the primary (docs/SCALING.md), or the primary.
    /// Who the caller is and what it may reach is always read from the primary.
    pub fn reads(&self) -> &DatabaseConnection {
        &self.read_db
    }

    /// Whether [`AppState::reads`] is a connection of its own (a replica), not the primary.
    pub fn reads_elsewhere(&self) -> bool {
        self.settings.read_database_url.is_some()
    }
}
