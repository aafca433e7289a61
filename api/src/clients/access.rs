//! Who is calling the district-system endpoints (sync, change feed, OneRoster), and what they
//! reach there.
//!
//! Two kinds of caller: a machine client with a `client_credentials` token, limited to its
//! district, its schools (or the whole district) and its scopes; or a user with an access
//! token, where the role decides: a district administrator has every scope over their district
//! (an installation administrator names the district with `district_id`), a school administrator
//! reads and pushes their own school's roster and reads its records; other roles may not use
//! these endpoints.
//!
//! The client row is reloaded on every request, like a user's account: a disabled or archived
//! client, or a token issued before its secret was last rotated, is refused with 401, and the
//! token's scopes count only while the client still has them.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use entities::enums::Role;
use entities::{api_client, district};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::scopes::{parse_scope_string, ClientScope};
use crate::auth::{actor_of_token, Actor};
use crate::caller::with_bearer;
use crate::domain::{DomainError, DomainResult};
use crate::error::ApiError;

/// A machine client, as its current row allows.
#[derive(Debug, Clone)]
pub struct ClientCaller {
    pub id: i64,
    pub client_id: String,
    pub district_id: i64,
    /// `None`: every school of the district.
    pub school_ids: Option<Vec<i64>>,
    /// The token's scopes that the client still has.
    pub scopes: Vec<ClientScope>,
}

/// The caller of a district-system endpoint.
#[derive(Debug, Clone)]
pub enum Caller {
    User(Actor),
    Client(ClientCaller),
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        with_bearer(req, |state, token| async move {
            match state.keys.verify_client(&token) {
                Some(claims) => Ok(Caller::Client(client_of(&state.db, &claims).await?)),
                None => Ok(Caller::User(actor_of_token(&state.keys, &state.db, &token).await?)),
            }
        })
    }
}

async fn client_of(
    db: &impl ConnectionTrait,
    claims: &crate::auth::tokens::ClientClaims,
) -> DomainResult<ClientCaller> {
    let refused = || DomainError::Unauthenticated("the client is disabled, archived or its secret was rotated".into());
    let id: i64 = claims.sub.parse().map_err(|_| refused())?;
    let row = api_client::Entity::find_by_id(id).one(db).await?.ok_or_else(refused)?;
    if row.disabled || row.archived_at.is_some() || claims.sgen != secret_generation(&row) {
        return Err(refused());
    }
    let granted = super::views::scopes_of(&row);
    let scopes =
        parse_scope_string(&claims.scope).unwrap_or_default().into_iter().filter(|s| granted.contains(s)).collect();
    Ok(ClientCaller {
        id: row.id,
        client_id: row.client_id.clone(),
        district_id: row.district_id,
        school_ids: super::views::school_ids_of(&row),
        scopes,
    })
}

/// Which secret a client has now, as its tokens carry it: a prefix of the secret's digest (never
/// enough to guess the secret, enough to tell two secrets apart).
pub fn secret_generation(row: &api_client::Model) -> String {
    row.secret_hash.chars().take(16).collect()
}

/// What a caller reaches in one district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub district_id: i64,
    /// `None`: every school of the district, and the district-level organisation.
    pub schools: Option<Vec<i64>>,
    pub scopes: Vec<ClientScope>,
}

impl Access {
    /// The caller's access in its district; `district_id` names the district for an
    /// installation administrator (required) and must be the caller's own for anyone else.
    pub async fn of(db: &impl ConnectionTrait, caller: &Caller, district_id: Option<i64>) -> DomainResult<Access> {
        let no_district = || DomainError::invalid("district_id", "no such district");
        let access = match caller {
            Caller::Client(c) => {
                Access { district_id: c.district_id, schools: c.school_ids.clone(), scopes: c.scopes.clone() }
            }
            Caller::User(actor) => match (actor.role, actor.district_id, actor.school_id) {
                (Role::DistrictAdmin, None, _) => {
                    let id = district_id.ok_or_else(|| {
                        DomainError::invalid("district_id", "is required for an installation administrator")
                    })?;
                    district::Entity::find_by_id(id).one(db).await?.ok_or_else(no_district)?;
                    Access { district_id: id, schools: None, scopes: ClientScope::ALL.to_vec() }
                }
                (Role::DistrictAdmin, Some(d), _) => {
                    Access { district_id: d, schools: None, scopes: ClientScope::ALL.to_vec() }
                }
                (Role::SchoolAdmin, Some(d), Some(s)) => {
                    Access { district_id: d, schools: Some(vec![s]), scopes: ClientScope::ALL.to_vec() }
                }
                _ => {
                    return Err(DomainError::forbidden(format!(
                        "your role ({}) may not use the district-system endpoints",
                        actor.role.code()
                    )))
                }
            },
        };
        if district_id.is_some_and(|d| d != access.district_id) {
            return Err(no_district());
        }
        Ok(access)
    }

    /// A 403 unless the caller has `scope`.
    pub fn require(&self, scope: ClientScope) -> DomainResult<()> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(DomainError::forbidden(format!("this needs the scope {}", scope.code())))
        }
    }

    pub fn has(&self, scope: ClientScope) -> bool {
        self.scopes.contains(&scope)
    }

    /// Every school of the district (and so its district-level organisation, to change).
    pub fn whole_district(&self) -> bool {
        self.schools.is_none()
    }

    pub fn reaches_school(&self, school_id: i64) -> bool {
        self.schools.as_ref().is_none_or(|s| s.contains(&school_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(schools: Option<Vec<i64>>, scopes: Vec<ClientScope>) -> Access {
        Access { district_id: 1, schools, scopes }
    }

    #[test]
    fn a_school_limited_caller_reaches_only_its_schools() {
        let a = access(Some(vec![3]), vec![ClientScope::RosterRead]);
        assert!(a.reaches_school(3) && !a.reaches_school(4) && !a.whole_district());
        let d = access(None, vec![]);
        assert!(d.reaches_school(4) && d.whole_district());
    }

    #[test]
    fn scopes_are_required_one_by_one() {
        let a = access(None, vec![ClientScope::RosterRead]);
        assert!(a.require(ClientScope::RosterRead).is_ok());
        assert!(matches!(a.require(ClientScope::RosterWrite), Err(DomainError::Forbidden(_))));
    }
}
