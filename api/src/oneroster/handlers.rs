//! The twelve read-only endpoints of the OneRoster 1.2 rostering binding that we serve, each a
//! thin call into `collections.rs`. Operation ids are the binding's (`getAllOrgs` ...).

use actix_web::{get, HttpRequest, HttpResponse};
use utoipa::IntoResponses;

use super::collections::{
    list, one, Endpoint, ORG_ENDPOINT, SCHOOL_ENDPOINT, SESSION_ENDPOINT, TEACHER_ENDPOINT, TERM_ENDPOINT,
    USER_ENDPOINT,
};
use super::errors::{ImsxStatusInfo, RosterResult};
use super::mapping::decode_segment;
use super::paging::{CollectionParams, SingleParams};
use super::views::{AcademicSessionSet, OrgSet, SingleAcademicSession, SingleOrg, SingleUser, UserSet};
use crate::state::State;

/// The errors of a collection, as OneRoster bodies.
#[derive(IntoResponses)]
#[allow(dead_code)]
enum CollectionErrors {
    /// `filter` (`invalid_filter_field`), `sort`/`orderBy` (`invalid_sort_field`), `fields`
    /// (`invalid_selection_field`), `limit` or `offset` (`invaliddata`) is invalid;
    /// `imsx_codeMinorFieldName` names the field
    #[response(status = 400)]
    BadRequest(ImsxStatusInfo),
    /// No valid bearer token (`unauthorisedrequest`)
    #[response(status = 401)]
    Unauthorized(ImsxStatusInfo),
    /// The caller lacks the `roster.read` scope, or its role may not read the roster (`forbidden`)
    #[response(status = 403)]
    Forbidden(ImsxStatusInfo),
    /// Unexpected failure, logged (`internal_server_error`)
    #[response(status = 500)]
    Internal(ImsxStatusInfo),
}

/// The errors of a single object, as OneRoster bodies.
#[derive(IntoResponses)]
#[allow(dead_code)]
enum SingleErrors {
    /// `fields` names a field the object does not have (`invalid_selection_field`)
    #[response(status = 400)]
    BadRequest(ImsxStatusInfo),
    /// No valid bearer token (`unauthorisedrequest`)
    #[response(status = 401)]
    Unauthorized(ImsxStatusInfo),
    /// The caller lacks the `roster.read` scope, or its role may not read the roster (`forbidden`)
    #[response(status = 403)]
    Forbidden(ImsxStatusInfo),
    /// No object has this sourcedId, or it is outside the caller's scope (`unknownobject`)
    #[response(status = 404)]
    NotFound(ImsxStatusInfo),
    /// Unexpected failure, logged (`internal_server_error`)
    #[response(status = 500)]
    Internal(ImsxStatusInfo),
}

fn sourced_id(req: &HttpRequest) -> String {
    decode_segment(req.match_info().get("sourcedId").unwrap_or_default())
}

async fn get_one(state: State, req: HttpRequest, endpoint: &'static Endpoint) -> RosterResult<HttpResponse> {
    let id = sourced_id(&req);
    one(&state, &req, endpoint, &id).await
}

/// A collection's two endpoints: all of its objects (`getAll…`, a page at a time) and one of
/// them by sourcedId (`get…`), with what the OpenAPI document says of each.
macro_rules! collection {
    (
        $endpoint:ident;
        $(#[doc = $list_doc:tt])*
        list $list:ident = $list_id:tt at $list_path:tt: $set:ident, $page:tt, $total:tt;
        $(#[doc = $one_doc:tt])*
        one $one:ident = $one_id:tt at $one_path:tt: $single:ident, $param:tt, $found:tt;
    ) => {
        $(#[doc = $list_doc])*
        #[utoipa::path(
            tag = "oneroster",
            operation_id = $list_id,
            params(CollectionParams),
            responses(
                (status = 200, description = $page, body = $set, headers(
                    ("X-Total-Count" = u64, description = $total),
                    ("Link" = String, description = "RFC 8288 links to the first, last, prev and next pages, keeping the other parameters")
                )),
                CollectionErrors
            )
        )]
        #[get($list_path)]
        pub async fn $list(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
            list(&state, &req, &$endpoint).await
        }

        $(#[doc = $one_doc])*
        #[utoipa::path(
            tag = "oneroster",
            operation_id = $one_id,
            params(("sourcedId" = String, Path, description = $param), SingleParams),
            responses((status = 200, description = $found, body = $single), SingleErrors)
        )]
        #[get($one_path)]
        pub async fn $one(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
            get_one(state, req, &$endpoint).await
        }
    };
}

collection! {
    ORG_ENDPOINT;
    /// All orgs: the district (`district`), its zones (`local`) and schools (`school`), archived ones
    /// as `tobedeleted`. A caller limited to some schools sees the district, the zones and its schools.
    list get_all_orgs = "getAllOrgs" at "/orgs": OrgSet, "A page of orgs",
        "How many orgs match the filter, over all pages";
    /// One org by sourcedId.
    one get_org = "getOrg" at "/orgs/{sourcedId}": SingleOrg, "The org's sourcedId", "The org";
}

collection! {
    SCHOOL_ENDPOINT;
    /// All schools: the orgs of type `school`.
    list get_all_schools = "getAllSchools" at "/schools": OrgSet, "A page of schools",
        "How many schools match the filter, over all pages";
    /// One school by sourcedId (another org's sourcedId is a 404).
    one get_school = "getSchool" at "/schools/{sourcedId}": SingleOrg, "The school's sourcedId", "The school";
}

collection! {
    USER_ENDPOINT;
    /// All users: the teachers of the caller's schools (accounts are never shown), each with the
    /// role `teacher` at their school.
    list get_all_users = "getAllUsers" at "/users": UserSet, "A page of users",
        "How many users match the filter, over all pages";
    /// One user by sourcedId.
    one get_user = "getUser" at "/users/{sourcedId}": SingleUser, "The user's sourcedId", "The user";
}

collection! {
    TEACHER_ENDPOINT;
    /// All teachers (the same people as `users`: every user of the view is a teacher).
    list get_all_teachers = "getAllTeachers" at "/teachers": UserSet, "A page of teachers",
        "How many teachers match the filter, over all pages";
    /// One teacher by sourcedId.
    one get_teacher = "getTeacher" at "/teachers/{sourcedId}": SingleUser, "The teacher's sourcedId", "The teacher";
}

collection! {
    SESSION_ENDPOINT;
    /// All academic sessions: each school year (`schoolYear`, with its terms as children) and the
    /// district's semesters (`term`, their school year as parent).
    list get_all_academic_sessions = "getAllAcademicSessions" at "/academicSessions": AcademicSessionSet,
        "A page of academic sessions", "How many sessions match the filter, over all pages";
    /// One academic session by sourcedId.
    one get_academic_session = "getAcademicSession" at "/academicSessions/{sourcedId}": SingleAcademicSession,
        "The session's sourcedId", "The academic session";
}

collection! {
    TERM_ENDPOINT;
    /// All terms: the academic sessions of type `term` (our semesters).
    list get_all_terms = "getAllTerms" at "/terms": AcademicSessionSet, "A page of terms",
        "How many terms match the filter, over all pages";
    /// One term by sourcedId (a school year's sourcedId is a 404).
    one get_term = "getTerm" at "/terms/{sourcedId}": SingleAcademicSession, "The term's sourcedId", "The term";
}
