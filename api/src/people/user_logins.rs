//! What the users API does about logins: the password policy, applied with what an attacker
//! would try first about the account (its username, display name, teacher's name and school
//! name), and `POST /users/{id}/unlock`, an administrator lifting a lockout after repeated failed
//! logins.

use actix_web::{post, web, HttpResponse};
use entities::{school, teacher};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::users::{load_user, may_grant};
use crate::auth::{lockout, password, Actor};
use crate::error::ApiResult;
use crate::resource::no_content;
use crate::state::State;
use crate::validate::Checks;

/// What a password must not be built from: the account's names and its school's.
pub(super) async fn password_context(
    db: &impl ConnectionTrait,
    username: &str,
    display_name: Option<&str>,
    school_id: Option<i64>,
    teacher_id: Option<i64>,
) -> ApiResult<Vec<String>> {
    let mut context = vec![username.to_string()];
    context.extend(display_name.map(str::to_string));
    if let Some(id) = school_id {
        context.extend(school::Entity::find_by_id(id).one(db).await?.map(|s| s.name));
    }
    if let Some(id) = teacher_id {
        context.extend(teacher::Entity::find_by_id(id).one(db).await?.map(|t| t.name));
    }
    Ok(context)
}

/// Checks a new password against the policy ([`crate::auth::rules::password_weakness`]).
pub(super) fn check_password(checks: &mut Checks, field: &str, password: &str, context: &[String]) {
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    if let Some(why) = password::password_weakness(password, &context) {
        checks.fail(field, why);
    }
}

/// Lift the lockout of an account after repeated failed logins (administrators of the account,
/// as for other changes to it). Idempotent: an account that is not locked stays so.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Unlocked: the account may log in again, with its failures forgotten"),
        (status = 403, description = "The caller may not administer this account", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user, or one outside the caller's scope", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/users/{id}/unlock")]
pub(super) async fn unlock_user(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let target = load_user(&state.db, &actor, id.into_inner()).await?;
    actor.require(
        actor.user_id != target.id && may_grant(&actor, target.role, target.district_id, target.school_id),
        "unlock this account",
    )?;
    lockout::clear(&state.db, &lockout::user_account(&target.username)).await?;
    tracing::info!(user_id = target.id, by = actor.user_id, "login lockout lifted by an administrator");
    Ok(no_content())
}
