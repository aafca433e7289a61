//! What every handler shares.

use sea_orm::DatabaseConnection;

use crate::auth::tokens::JwtKeys;
use crate::config::Settings;

pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: JwtKeys,
    pub settings: Settings,
}

pub type State = actix_web::web::Data<AppState>;
