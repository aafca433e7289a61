//! Database access of the users API: loading an account in scope, placing one (checking its
//! district, school and teacher), uniqueness, sessions and the password's context.

use entities::enums::Role;
use entities::{refresh_token, school, teacher, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::rules::{sees, Placement};
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::resource::now;
use crate::validate::Checks;

/// An account the caller sees, or 404.
pub async fn load_user(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<user::Model> {
    user::Entity::find_by_id(id).one(db).await?.filter(|u| sees(actor, u)).ok_or_else(|| DomainError::not_found("user"))
}

/// The district and school an account of `role` gets, after checking its references (errors
/// go to `checks`).
pub async fn place(
    db: &impl ConnectionTrait,
    actor: &Actor,
    role: Role,
    district_id: Option<i64>,
    school_id: Option<i64>,
    teacher_id: Option<i64>,
    checks: &mut Checks,
) -> DomainResult<Placement> {
    if role == Role::DistrictAdmin {
        let district_id = match (district_id, actor.reach()) {
            (Some(d), _) => Some(d),
            (None, Reach::District(d)) => Some(d),
            (None, _) => None,
        };
        if let Some(d) = district_id {
            let found = entities::district::Entity::find_by_id(d).one(db).await?;
            checks.ensure(found.is_some_and(|x| actor.sees_district(x.id)), "district_id", "no such district");
        }
        checks.ensure(school_id.is_none(), "school_id", "a district_admin has no school");
        if let Some(t) = teacher_id {
            // A district's researcher may also be a teacher of one of its schools.
            let school = match teacher::Entity::find_by_id(t).one(db).await? {
                Some(found) => school::Entity::find_by_id(found.school_id).one(db).await?,
                None => None,
            };
            checks.ensure(
                school.is_some_and(|s| Some(s.district_id) == district_id && actor.sees_district(s.district_id)),
                "teacher_id",
                "no such teacher in this district",
            );
        }
        return Ok(Placement { district_id, school_id: None, teacher_id });
    }
    let Some(school_id) = school_id else {
        checks.fail("school_id", format!("required for role {}", role.code()));
        return Ok(Placement { district_id, school_id: None, teacher_id });
    };
    let found = school::Entity::find_by_id(school_id).one(db).await?.filter(|s| actor.sees_school(s.district_id, s.id));
    let Some(found) = found else {
        checks.fail("school_id", "no such school");
        return Ok(Placement { district_id, school_id: Some(school_id), teacher_id });
    };
    match teacher_id {
        Some(t) => {
            let teacher = teacher::Entity::find_by_id(t).one(db).await?;
            checks.ensure(
                teacher.is_some_and(|x| x.school_id == found.id),
                "teacher_id",
                "no such teacher in this school",
            );
        }
        None => checks.ensure(
            !matches!(role, Role::GroupLeader | Role::Teacher),
            "teacher_id",
            format!("required for role {}", role.code()),
        ),
    }
    Ok(Placement { district_id: Some(found.district_id), school_id: Some(found.id), teacher_id })
}

pub async fn check_unique_username(db: &impl ConnectionTrait, username: &str) -> DomainResult<()> {
    if user::Entity::find().filter(user::Column::Username.eq(username)).count(db).await? > 0 {
        return Err(DomainError::conflict("username", format!("the username {username} is taken")));
    }
    Ok(())
}

/// A changed password, role or scope ends every session: refresh tokens stop working.
pub async fn revoke_refresh_tokens(db: &impl ConnectionTrait, user_id: i64) -> DomainResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// What a password must not be built from: the account's names and its school's.
pub async fn password_context(
    db: &impl ConnectionTrait,
    username: &str,
    display_name: Option<&str>,
    school_id: Option<i64>,
    teacher_id: Option<i64>,
) -> DomainResult<Vec<String>> {
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
