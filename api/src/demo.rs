//! The demo district (being written).
use sea_orm::DatabaseConnection;
pub async fn seed(_db: &DatabaseConnection, _password: Option<&str>) -> anyhow::Result<String> {
    Ok(String::new())
}
pub async fn seed_if_empty(_db: &DatabaseConnection, _password: Option<&str>) -> anyhow::Result<Option<String>> {
    Ok(None)
}
