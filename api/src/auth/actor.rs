//! The authenticated caller and what it may reach.
//!
//! Scope rules (the authorization model, written down once):
//! - an installation-wide `district_admin` (no district) reaches everything;
//! - a `district_admin` of district D reaches every object of D;
//! - every other role reaches its own school's objects, plus the district-level organisation
//!   of its district (the district, its zones, its semesters and its district teams) for reading.
//!
//! An object outside the caller's reach answers 404, exactly like a missing one, so that ids of
//! other schools cannot even be probed. An object within reach that the caller may not change
//! answers 403.

use entities::enums::Role;
use entities::user;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use super::tokens::JwtKeys;
use crate::domain::{DomainError, DomainResult};

/// The authenticated caller, a user account (handlers take it as an extractor: the edge's
/// [`crate::caller`] reads it from the bearer token).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub district_id: Option<i64>,
    pub school_id: Option<i64>,
    pub teacher_id: Option<i64>,
}

/// How far a caller's reading reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Everything,
    District(i64),
    School { district_id: i64, school_id: i64 },
}

impl Actor {
    pub fn from_user(user: &user::Model) -> Actor {
        Actor {
            user_id: user.id,
            username: user.username.clone(),
            role: user.role,
            district_id: user.district_id,
            school_id: user.school_id,
            teacher_id: user.teacher_id,
        }
    }

    pub fn reach(&self) -> Reach {
        match (self.role, self.district_id, self.school_id) {
            (Role::DistrictAdmin, None, _) => Reach::Everything,
            (Role::DistrictAdmin, Some(d), _) => Reach::District(d),
            (_, Some(district_id), Some(school_id)) => Reach::School { district_id, school_id },
            // An account with no school cannot reach any school's data. The users API never
            // creates one, so this only guards against hand-edited rows.
            _ => Reach::School { district_id: -1, school_id: -1 },
        }
    }

    pub fn is_district_admin(&self) -> bool {
        self.role == Role::DistrictAdmin
    }

    /// Reads district-level organisation (district, zones, semesters, district teams).
    pub fn sees_district(&self, district_id: i64) -> bool {
        match self.reach() {
            Reach::Everything => true,
            Reach::District(d) => d == district_id,
            Reach::School { district_id: d, .. } => d == district_id,
        }
    }

    /// Reads a school's objects.
    pub fn sees_school(&self, district_id: i64, school_id: i64) -> bool {
        match self.reach() {
            Reach::Everything => true,
            Reach::District(d) => d == district_id,
            Reach::School { school_id: s, .. } => s == school_id,
        }
    }

    /// Changes district-level organisation.
    pub fn administers_district(&self, district_id: i64) -> bool {
        self.is_district_admin() && self.district_id.is_none_or(|d| d == district_id)
    }

    /// Changes a school's organisation (teachers, groups, accounts of that school).
    pub fn administers_school(&self, district_id: i64, school_id: i64) -> bool {
        self.administers_district(district_id) || (self.role == Role::SchoolAdmin && self.school_id == Some(school_id))
    }

    /// Forbidden unless `allowed`.
    pub fn require(&self, allowed: bool, what: &str) -> DomainResult<()> {
        if allowed {
            Ok(())
        } else {
            Err(DomainError::forbidden(format!("your role ({}) may not {what}", self.role.code())))
        }
    }
}

/// The statement of [`reload`], written out once per engine rather than built per request.
fn reload_sql(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => {
            "SELECT id, username, role, district_id, school_id, teacher_id FROM users \
             WHERE id = $1 AND disabled = false AND archived_at IS NULL"
        }
        _ => {
            "SELECT id, username, role, district_id, school_id, teacher_id FROM users \
             WHERE id = ? AND disabled = 0 AND archived_at IS NULL"
        }
    }
}

type ActorRow = (i64, String, Role, Option<i64>, Option<i64>, Option<i64>);

/// The columns of an `Actor` for a live account, by primary key.
async fn reload(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<ActorRow>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let statement = Statement::from_sql_and_values(backend, reload_sql(backend), [user_id.into()]);
    let Some(row) = db.query_one_raw(statement).await? else { return Ok(None) };
    Ok(Some((
        row.try_get_by_index(0)?,
        row.try_get_by_index(1)?,
        row.try_get_by_index(2)?,
        row.try_get_by_index(3)?,
        row.try_get_by_index(4)?,
        row.try_get_by_index(5)?,
    )))
}

/// The user of a valid access token, reloaded: a disabled or archived account is refused.
pub async fn actor_of_token(keys: &JwtKeys, db: &impl ConnectionTrait, token: &str) -> DomainResult<Actor> {
    let Some(user_id) = keys.verify_access(token) else {
        let detail = if keys.verify_client(token).is_some() {
            "a machine client's token is only accepted by /sync, /changes and the OneRoster view"
        } else {
            "the access token is invalid or expired"
        };
        return Err(DomainError::Unauthenticated(detail.into()));
    };
    // Every request reloads its user, so that a disabled or removed account, or a changed role
    // or school, is refused or narrowed at once: one statement by primary key that reads only
    // the columns of an `Actor`, and only a live account (docs/PERFORMANCE.md, "Reads").
    let found = reload(db, user_id).await?;
    match found {
        Some((user_id, username, role, district_id, school_id, teacher_id)) => {
            Ok(Actor { user_id, username, role, district_id, school_id, teacher_id })
        }
        None => Err(DomainError::Unauthenticated("the account is disabled or no longer exists".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, district_id: Option<i64>, school_id: Option<i64>) -> Actor {
        Actor { user_id: 1, username: "u".into(), role, district_id, school_id, teacher_id: None }
    }

    #[test]
    fn school_admin_reaches_only_their_school() {
        let a = actor(Role::SchoolAdmin, Some(1), Some(10));
        assert!(a.sees_school(1, 10));
        assert!(!a.sees_school(1, 11));
        assert!(a.sees_district(1));
        assert!(!a.sees_district(2));
        assert!(a.administers_school(1, 10));
        assert!(!a.administers_school(1, 11));
        assert!(!a.administers_district(1));
    }

    #[test]
    fn district_admin_reaches_their_district_only() {
        let a = actor(Role::DistrictAdmin, Some(1), None);
        assert!(a.sees_school(1, 99));
        assert!(!a.sees_school(2, 99));
        assert!(a.administers_school(1, 99));
        assert!(!a.administers_district(2));
        let root = actor(Role::DistrictAdmin, None, None);
        assert!(root.administers_district(2) && root.sees_school(3, 4));
    }

    #[test]
    fn teachers_read_but_do_not_administer() {
        let t = actor(Role::Teacher, Some(1), Some(10));
        assert!(t.sees_school(1, 10));
        assert!(!t.administers_school(1, 10));
    }
}
