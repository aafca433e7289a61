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

/// All orgs: the district (`district`), its zones (`local`) and schools (`school`), archived ones
/// as `tobedeleted`. A caller limited to some schools sees the district, the zones and its schools.
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getAllOrgs",
    params(CollectionParams),
    responses(
        (status = 200, description = "A page of orgs", body = OrgSet, headers(
            ("X-Total-Count" = u64, description = "How many orgs match the filter, over all pages"),
            ("Link" = String, description = "RFC 8288 links to the first, last, prev and next pages, keeping the other parameters")
        )),
        CollectionErrors
    )
)]
#[get("/orgs")]
pub async fn get_all_orgs(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    list(&state, &req, &ORG_ENDPOINT).await
}

/// One org by sourcedId.
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getOrg",
    params(("sourcedId" = String, Path, description = "The org's sourcedId"), SingleParams),
    responses((status = 200, description = "The org", body = SingleOrg), SingleErrors)
)]
#[get("/orgs/{sourcedId}")]
pub async fn get_org(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    get_one(state, req, &ORG_ENDPOINT).await
}

/// All schools: the orgs of type `school`.
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getAllSchools",
    params(CollectionParams),
    responses(
        (status = 200, description = "A page of schools", body = OrgSet, headers(
            ("X-Total-Count" = u64, description = "How many schools match the filter, over all pages"),
            ("Link" = String, description = "RFC 8288 links to the first, last, prev and next pages, keeping the other parameters")
        )),
        CollectionErrors
    )
)]
#[get("/schools")]
pub async fn get_all_schools(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    list(&state, &req, &SCHOOL_ENDPOINT).await
}

/// One school by sourcedId (another org's sourcedId is a 404).
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getSchool",
    params(("sourcedId" = String, Path, description = "The school's sourcedId"), SingleParams),
    responses((status = 200, description = "The school", body = SingleOrg), SingleErrors)
)]
#[get("/schools/{sourcedId}")]
pub async fn get_school(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    get_one(state, req, &SCHOOL_ENDPOINT).await
}

/// All users: the teachers of the caller's schools (accounts are never shown), each with the
/// role `teacher` at their school.
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getAllUsers",
    params(CollectionParams),
    responses(
        (status = 200, description = "A page of users", body = UserSet, headers(
            ("X-Total-Count" = u64, description = "How many users match the filter, over all pages"),
            ("Link" = String, description = "RFC 8288 links to the first, last, prev and next pages, keeping the other parameters")
        )),
        CollectionErrors
    )
)]
#[get("/users")]
pub async fn get_all_users(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    list(&state, &req, &USER_ENDPOINT).await
}

/// One user by sourcedId.
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getUser",
    params(("sourcedId" = String, Path, description = "The user's sourcedId"), SingleParams),
    responses((status = 200, description = "The user", body = SingleUser), SingleErrors)
)]
#[get("/users/{sourcedId}")]
pub async fn get_user(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    get_one(state, req, &USER_ENDPOINT).await
}

/// All teachers (the same people as `users`: every user of the view is a teacher).
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getAllTeachers",
    params(CollectionParams),
    responses(
        (status = 200, description = "A page of teachers", body = UserSet, headers(
            ("X-Total-Count" = u64, description = "How many teachers match the filter, over all pages"),
            ("Link" = String, description = "RFC 8288 links to the first, last, prev and next pages, keeping the other parameters")
        )),
        CollectionErrors
    )
)]
#[get("/teachers")]
pub async fn get_all_teachers(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    list(&state, &req, &TEACHER_ENDPOINT).await
}

/// One teacher by sourcedId.
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getTeacher",
    params(("sourcedId" = String, Path, description = "The teacher's sourcedId"), SingleParams),
    responses((status = 200, description = "The teacher", body = SingleUser), SingleErrors)
)]
#[get("/teachers/{sourcedId}")]
pub async fn get_teacher(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    get_one(state, req, &TEACHER_ENDPOINT).await
}

/// All academic sessions: each school year (`schoolYear`, with its terms as children) and the
/// district's semesters (`term`, their school year as parent).
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getAllAcademicSessions",
    params(CollectionParams),
    responses(
        (status = 200, description = "A page of academic sessions", body = AcademicSessionSet, headers(
            ("X-Total-Count" = u64, description = "How many sessions match the filter, over all pages"),
            ("Link" = String, description = "RFC 8288 links to the first, last, prev and next pages, keeping the other parameters")
        )),
        CollectionErrors
    )
)]
#[get("/academicSessions")]
pub async fn get_all_academic_sessions(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    list(&state, &req, &SESSION_ENDPOINT).await
}

/// One academic session by sourcedId.
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getAcademicSession",
    params(("sourcedId" = String, Path, description = "The session's sourcedId"), SingleParams),
    responses((status = 200, description = "The academic session", body = SingleAcademicSession), SingleErrors)
)]
#[get("/academicSessions/{sourcedId}")]
pub async fn get_academic_session(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    get_one(state, req, &SESSION_ENDPOINT).await
}

/// All terms: the academic sessions of type `term` (our semesters).
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getAllTerms",
    params(CollectionParams),
    responses(
        (status = 200, description = "A page of terms", body = AcademicSessionSet, headers(
            ("X-Total-Count" = u64, description = "How many terms match the filter, over all pages"),
            ("Link" = String, description = "RFC 8288 links to the first, last, prev and next pages, keeping the other parameters")
        )),
        CollectionErrors
    )
)]
#[get("/terms")]
pub async fn get_all_terms(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    list(&state, &req, &TERM_ENDPOINT).await
}

/// One term by sourcedId (a school year's sourcedId is a 404).
#[utoipa::path(
    tag = "oneroster",
    operation_id = "getTerm",
    params(("sourcedId" = String, Path, description = "The term's sourcedId"), SingleParams),
    responses((status = 200, description = "The term", body = SingleAcademicSession), SingleErrors)
)]
#[get("/terms/{sourcedId}")]
pub async fn get_term(state: State, req: HttpRequest) -> RosterResult<HttpResponse> {
    get_one(state, req, &TERM_ENDPOINT).await
}
