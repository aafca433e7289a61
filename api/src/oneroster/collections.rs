//! The two things every OneRoster endpoint does — read a collection, read one object by
//! sourcedId — for each of the six endpoints, which differ only in their view, a fixed
//! restriction (`/schools` are orgs of type school, `/terms` sessions of type term) and the names
//! of their envelopes.
//!
//! Order of checks: the caller (401), its access (`roster.read`, 403), then the parameters (400),
//! so that nobody learns anything about the data without being allowed to read it.

use std::collections::HashMap;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use entities::teacher_grade;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Map, Value as Json};

use super::errors::{RosterError, RosterResult};
use super::fields::{resolve, resolve_selection, resolve_sort, select, Catalogue, Sort, ORGS, SESSIONS, USERS};
use super::filter;
use super::mapping::{self, Hrefs, BASE_PATH};
use super::paging::CollectionQuery;
use super::queries::{self, OrgRow, Scope, Selection, SessionRow, UserRow, ViewKind};
use super::views::GuidRef;
use crate::clients::access::{Access, Caller};
use crate::clients::scopes::ClientScope;
use crate::state::State;

/// One OneRoster endpoint pair (`/orgs` and `/orgs/{sourcedId}` ...).
#[derive(Debug)]
pub struct Endpoint {
    /// The collection's path under the base (`orgs`).
    pub path: &'static str,
    pub view: ViewKind,
    pub catalogue: &'static Catalogue,
    /// A fixed condition over the view.
    pub restriction: Option<&'static str>,
    /// The envelope of a page (`orgs`) and of one object (`org`).
    pub many: &'static str,
    pub one: &'static str,
    /// The object's name in a 404 (`school`).
    pub noun: &'static str,
}

pub static ORG_ENDPOINT: Endpoint = Endpoint {
    path: "orgs",
    view: ViewKind::Orgs,
    catalogue: &ORGS,
    restriction: None,
    many: "orgs",
    one: "org",
    noun: "org",
};
pub static SCHOOL_ENDPOINT: Endpoint = Endpoint {
    path: "schools",
    view: ViewKind::Orgs,
    catalogue: &ORGS,
    restriction: Some("v.org_type = 'school'"),
    many: "orgs",
    one: "org",
    noun: "school",
};
pub static USER_ENDPOINT: Endpoint = Endpoint {
    path: "users",
    view: ViewKind::Users,
    catalogue: &USERS,
    restriction: None,
    many: "users",
    one: "user",
    noun: "user",
};
/// Every user is a teacher: the view has no other people.
pub static TEACHER_ENDPOINT: Endpoint = Endpoint {
    path: "teachers",
    view: ViewKind::Users,
    catalogue: &USERS,
    restriction: None,
    many: "users",
    one: "user",
    noun: "teacher",
};
pub static SESSION_ENDPOINT: Endpoint = Endpoint {
    path: "academicSessions",
    view: ViewKind::Sessions,
    catalogue: &SESSIONS,
    restriction: None,
    many: "academicSessions",
    one: "academicSession",
    noun: "academic session",
};
pub static TERM_ENDPOINT: Endpoint = Endpoint {
    path: "terms",
    view: ViewKind::Sessions,
    catalogue: &SESSIONS,
    restriction: Some("v.session_type = 'term'"),
    many: "academicSessions",
    one: "academicSession",
    noun: "term",
};

/// The caller's scope in the view: a machine client with `roster.read`, or a district or school
/// administrator (`Access::of`).
async fn scope_of(state: &State, req: &HttpRequest) -> RosterResult<Scope> {
    let caller = Caller::from_request(req, &mut Payload::None).await?;
    let access = Access::of(&state.db, &caller, None).await?;
    access.require(ClientScope::RosterRead)?;
    Ok(Scope { district_id: access.district_id, schools: access.schools })
}

/// `href`s on the configured public base URL, never on the request's `Host` ([`crate::links`]).
fn hrefs_of(state: &State) -> Hrefs {
    Hrefs::new(state.settings.public_base())
}

/// `GET /<collection>`: a page, with `X-Total-Count` and `Link`.
pub async fn list(state: &State, req: &HttpRequest, endpoint: &'static Endpoint) -> RosterResult<HttpResponse> {
    let scope = scope_of(state, req).await?;
    let query = CollectionQuery::parse(req.query_string())?;
    let filter = match query.filter.as_deref().map(filter::parse).transpose() {
        Ok(parsed) => parsed.flatten().map(|f| resolve(&f, endpoint.catalogue)).transpose()?,
        Err(e) => return Err(RosterError::filter(&e.field, e.message)),
    };
    let sort = resolve_sort(query.sort.as_deref(), query.order_by.as_deref(), endpoint.catalogue)?;
    let fields = query.fields.as_deref().map(|f| resolve_selection(f, endpoint.catalogue)).transpose()?;

    let selection = Selection { restriction: endpoint.restriction, filter: filter.as_ref(), ..Default::default() };
    let total = queries::count(state.reads(), endpoint.view, &scope, &selection).await?;
    let objects = objects(
        state.reads(),
        endpoint,
        &scope,
        &selection,
        sort.as_ref(),
        query.limit,
        query.offset,
        &hrefs_of(state),
    )
    .await?;
    let objects: Vec<Json> = objects.into_iter().map(|o| select(o, fields.as_deref())).collect();

    let mut body = Map::new();
    body.insert(endpoint.many.to_string(), Json::Array(objects));
    Ok(HttpResponse::Ok()
        .insert_header(("X-Total-Count", total.to_string()))
        .insert_header((header::LINK, query.links(&format!("{BASE_PATH}/{}", endpoint.path), total)))
        .json(Json::Object(body)))
}

/// `GET /<collection>/{sourcedId}`: one object, or 404 `unknownobject`.
pub async fn one(
    state: &State,
    req: &HttpRequest,
    endpoint: &'static Endpoint,
    sourced_id: &str,
) -> RosterResult<HttpResponse> {
    let scope = scope_of(state, req).await?;
    let fields = form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(k, _)| k == "fields")
        .last()
        .map(|(_, v)| resolve_selection(&v, endpoint.catalogue))
        .transpose()?;
    // PostgreSQL refuses NUL in text; no sourcedId has one.
    if sourced_id.contains('\0') {
        return Err(RosterError::unknown_object(endpoint.noun, &sourced_id.replace('\0', "")));
    }
    let selection = Selection { restriction: endpoint.restriction, sourced_id: Some(sourced_id), ..Default::default() };
    let object = objects(state.reads(), endpoint, &scope, &selection, None, 1, 0, &hrefs_of(state))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| RosterError::unknown_object(endpoint.noun, sourced_id))?;
    let mut body = Map::new();
    body.insert(endpoint.one.to_string(), select(object, fields.as_deref()));
    Ok(HttpResponse::Ok().json(Json::Object(body)))
}

/// One page of an endpoint's objects, serialised.
#[allow(clippy::too_many_arguments)]
async fn objects(
    db: &impl ConnectionTrait,
    endpoint: &Endpoint,
    scope: &Scope,
    selection: &Selection<'_>,
    sort: Option<&Sort>,
    limit: u64,
    offset: u64,
    hrefs: &Hrefs,
) -> RosterResult<Vec<Json>> {
    let view = endpoint.view;
    let values = match view {
        ViewKind::Orgs => {
            let rows: Vec<OrgRow> = queries::rows(db, view, scope, selection, sort, limit, offset).await?;
            // The district's and zones' children (schools have none).
            let parents: Vec<String> =
                rows.iter().filter(|r| r.org_type != "school").map(|r| r.sourced_id.clone()).collect();
            let mut children = group_children(queries::children(db, view, scope, &parents).await?, |c| hrefs.org(c));
            rows.into_iter()
                .map(|r| {
                    let kids = (r.org_type != "school").then(|| children.remove(&r.sourced_id).unwrap_or_default());
                    to_json(mapping::org(r, kids, hrefs))
                })
                .collect::<Vec<_>>()
        }
        ViewKind::Users => {
            let rows: Vec<UserRow> = queries::rows(db, view, scope, selection, sort, limit, offset).await?;
            let mut grades: HashMap<i64, Vec<i32>> = HashMap::new();
            if !rows.is_empty() {
                let ids: Vec<i64> = rows.iter().map(|r| r.row_id).collect();
                for g in
                    teacher_grade::Entity::find().filter(teacher_grade::Column::TeacherId.is_in(ids)).all(db).await?
                {
                    grades.entry(g.teacher_id).or_default().push(g.grade);
                }
            }
            rows.into_iter()
                .map(|r| {
                    let mut taught = grades.remove(&r.row_id).unwrap_or_default();
                    taught.sort_unstable();
                    to_json(mapping::user(r, &taught, hrefs))
                })
                .collect()
        }
        ViewKind::Sessions => {
            let rows: Vec<SessionRow> = queries::rows(db, view, scope, selection, sort, limit, offset).await?;
            let parents: Vec<String> =
                rows.iter().filter(|r| r.session_type != "term").map(|r| r.sourced_id.clone()).collect();
            let mut children =
                group_children(queries::children(db, view, scope, &parents).await?, |c| hrefs.session(c));
            rows.into_iter()
                .map(|r| {
                    let kids = children.remove(&r.sourced_id);
                    to_json(mapping::session(r, kids, hrefs))
                })
                .collect()
        }
    };
    Ok(values)
}

fn group_children(pairs: Vec<(String, String)>, reference: impl Fn(&str) -> GuidRef) -> HashMap<String, Vec<GuidRef>> {
    let mut map: HashMap<String, Vec<GuidRef>> = HashMap::new();
    for (parent, child) in pairs {
        map.entry(parent).or_default().push(reference(&child));
    }
    map
}

fn to_json(value: impl serde::Serialize) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}

/// Any other path under the view's base: OneRoster's 404.
pub async fn unknown_endpoint() -> RosterResult<HttpResponse> {
    Err(RosterError::new(super::errors::CodeMinor::UnknownObject, None, "no such OneRoster endpoint"))
}
