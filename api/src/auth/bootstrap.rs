//! First start: an empty user table gets a district administrator, from
//! `JIAOYAN_BOOTSTRAP_ADMIN=username:password` or else `admin` with a random password that is
//! logged once.

use chrono::Utc;
use entities::enums::Role;
use entities::user;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

use super::password;

/// What the bootstrap did, so that callers (and tests) can tell.
#[derive(Debug, PartialEq, Eq)]
pub enum Bootstrap {
    AlreadyHasUsers,
    Created { username: String, generated_password: Option<String> },
}

/// `JIAOYAN_BOOTSTRAP_ADMIN` as username and password, checked by the password policy whether
/// or not it is used this time: a weak one stops the start with the reason.
pub fn check_configured(configured: Option<&str>) -> anyhow::Result<Option<(String, String)>> {
    let Some(configured) = configured else { return Ok(None) };
    let Some((username, password)) = configured.split_once(':').filter(|(u, _)| !u.trim().is_empty()) else {
        anyhow::bail!("JIAOYAN_BOOTSTRAP_ADMIN must be username:password");
    };
    let username = username.trim();
    if let Some(why) = password::password_weakness(password, &[username, "admin", "jiaoyan"]) {
        anyhow::bail!("JIAOYAN_BOOTSTRAP_ADMIN is refused: the password {why}");
    }
    Ok(Some((username.to_string(), password.to_string())))
}

pub async fn ensure_admin(db: &DatabaseConnection, configured: Option<&str>) -> anyhow::Result<Bootstrap> {
    let configured = check_configured(configured)?;
    if user::Entity::find().count(db).await? > 0 {
        return Ok(Bootstrap::AlreadyHasUsers);
    }
    let (username, password, generated) = match configured {
        Some((u, p)) => (u, p, false),
        None => ("admin".to_string(), password::generate(), true),
    };
    let now = Utc::now();
    user::ActiveModel {
        username: Set(username.clone()),
        password_hash: Set(password::hash(&password)?),
        role: Set(Role::DistrictAdmin),
        district_id: Set(None),
        school_id: Set(None),
        teacher_id: Set(None),
        display_name: Set(Some("Administrator".into())),
        disabled: Set(false),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if generated {
        tracing::warn!(
            username = %username,
            password = %password,
            "created the first district administrator with a random password; it is shown only this once"
        );
    } else {
        tracing::info!(username = %username, "created the first district administrator from JIAOYAN_BOOTSTRAP_ADMIN");
    }
    Ok(Bootstrap::Created { username, generated_password: generated.then_some(password) })
}
