//! What every handler shares: the database connections, the settings, the token keys and the
//! login guard, and the services of single areas by type ([`AppState::service`]), so that this
//! module (which every area's handlers import) imports no area (docs/ARCHITECTURE.md).

use std::any::{Any, TypeId};
use std::collections::HashMap;

use sea_orm::DatabaseConnection;

use crate::auth::throttle::LoginGuard;
use crate::auth::tokens::JwtKeys;
use crate::config::Settings;

pub struct AppState {
    /// The primary: every write, and every read but those of [`AppState::reads`].
    pub db: DatabaseConnection,
    /// `JIAOYAN_READ_DATABASE_URL` (a streaming replica), or the primary again when unset.
    pub read_db: DatabaseConnection,
    pub keys: JwtKeys,
    pub settings: Settings,
    /// The services of single areas (the quota area's kept checks), one of each type.
    pub services: Services,
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

    /// The service of type `T` that [`crate::app`] registered at start (a missing one is a bug of
    /// the start, not of a request).
    pub fn service<T: Any + Send + Sync>(&self) -> &T {
        self.services
            .0
            .get(&TypeId::of::<T>())
            .and_then(|s| s.downcast_ref())
            .unwrap_or_else(|| panic!("{} is not registered in the application state", std::any::type_name::<T>()))
    }
}

/// Services of single areas, found by their type.
#[derive(Default)]
pub struct Services(HashMap<TypeId, Box<dyn Any + Send + Sync>>);

impl Services {
    /// These services and `service`.
    pub fn with<T: Any + Send + Sync>(mut self, service: T) -> Services {
        self.0.insert(TypeId::of::<T>(), Box::new(service));
        self
    }
}
