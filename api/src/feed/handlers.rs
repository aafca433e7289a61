//! `GET /changes` and `GET /changes/available`, for machine clients and district or school
//! administrators ([`Caller`], [`Access`]).

use actix_web::{get, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::request::{Available, FeedParams};
use super::types::{requested_types, TypesRefusal};
use super::ChangePage;
use crate::clients::access::{Access, Caller};
use crate::clients::scopes::ClientScope;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::parse_query;
use crate::state::State;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_changes).service(changes_available);
}

/// The versions the feed serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"oldest": 880, "newest": 1350}))]
pub struct AvailableVersions {
    /// The lowest `since` served besides 0: deletions up to this version may have been purged,
    /// so a client that last read an older version must pull everything again (`since=0`).
    pub oldest: i64,
    /// The last version handed out.
    pub newest: i64,
}

impl From<Available> for AvailableVersions {
    fn from(a: Available) -> Self {
        AvailableVersions { oldest: a.oldest, newest: a.newest }
    }
}

/// The 409 answer to a `since` outside the served window: a problem body that also carries the
/// window, so a client knows where it stands.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"type": "/problems/resync-required", "title": "Resynchronisation required", "status": 409,
    "detail": "changes after version 12 are no longer all available (deletions up to 880 were purged); read the whole feed again from since=0",
    "oldest": 880, "newest": 1350}))]
pub struct ResyncProblem {
    /// Always `/problems/resync-required`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub oldest: i64,
    pub newest: i64,
}

impl ResyncProblem {
    pub fn new(since: i64, a: Available) -> ResyncProblem {
        let detail = if since > a.newest {
            format!(
                "version {since} is newer than this server's newest ({}): it was not issued here; read the whole feed again from since=0",
                a.newest
            )
        } else {
            format!(
                "changes after version {since} are no longer all available (deletions up to {} were purged); read the whole feed again from since=0",
                a.oldest
            )
        };
        ResyncProblem {
            kind: "/problems/resync-required".into(),
            title: "Resynchronisation required".into(),
            status: 409,
            detail,
            oldest: a.oldest,
            newest: a.newest,
        }
    }

    fn response(&self) -> HttpResponse {
        HttpResponse::Conflict().content_type("application/problem+json").json(self)
    }
}

/// The changes since a version, in version order: each changed resource once, live ones with
/// their current state (`data`, as the resource's single GET shows it), archived or removed ones
/// as tombstones (`deleted: true`, no `data`). Follow `next_since` while `has_more`; keep the
/// last `next_since` and ask from it next time.
///
/// A machine client reads its district, limited to its schools when it has `school_ids` (their
/// rows, plus district-level rows: the district, zones, semesters, district teams ...); a
/// district administrator their district (an installation administrator names it with
/// `district_id`); a school administrator their school. Roster types need `roster.read`, the
/// others `records.read`.
#[utoipa::path(
    tag = "changes",
    operation_id = "list_changes",
    params(FeedParams),
    responses(
        (status = 200, description = "A page of changes", body = ChangePage),
        (status = 403, description = "A type in `types` needs a scope the caller lacks (or, without `types`, the caller has neither read scope), or the caller's role may not read the feed", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`since` is below `oldest` (deletions after it were purged) or above `newest`: read again from `since=0`", body = ResyncProblem, content_type = "application/problem+json"),
        (status = 422, description = "`since` negative or not a number, `limit` outside 1–1000, an unknown type in `types`, an unknown parameter, or a `district_id` not the caller's", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/changes")]
async fn list_changes(state: State, caller: Caller, req: HttpRequest) -> ApiResult<HttpResponse> {
    let params: FeedParams = parse_query(req.query_string())?;
    let window = params.window()?;
    let access = Access::of(&state.db, &caller, params.district_id).await?;
    let types = requested_types(params.types.as_deref(), &access.scopes).map_err(|refusal| match refusal {
        TypesRefusal::Invalid(message) => ApiError::invalid("types", message),
        TypesRefusal::Forbidden(message) => ApiError::forbidden(message),
    })?;
    let primary = state.reads_elsewhere().then_some(&state.db);
    let mut read = super::read(state.reads(), primary, &access, &types, window).await?;
    if matches!(read, Err(available) if window.since > available.newest && state.reads_elsewhere()) {
        // The client has read further than this replica has replayed (from another replica, or
        // before a reconnection): the primary has every version handed out. Never a 409 for
        // that, and never a page older than what the client already holds.
        read = super::read(&state.db, None, &access, &types, window).await?;
    }
    Ok(match read {
        Ok(page) => HttpResponse::Ok().json(page),
        Err(available) => ResyncProblem::new(window.since, available).response(),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AvailableParams {
    /// Required for an installation administrator, otherwise the caller's own district.
    pub district_id: Option<i64>,
}

/// The versions the feed serves (Ed-Fi "available change versions"): `newest` is the last
/// version handed out, `oldest` the lowest `since` still served besides 0 (deletions up to it
/// may have been purged, after `JIAOYAN_CHANGE_RETENTION_DAYS`). Versions count over the whole
/// installation, so a district's feed has gaps.
#[utoipa::path(
    tag = "changes",
    operation_id = "changes_available",
    params(AvailableParams),
    responses(
        (status = 200, description = "The versions served", body = AvailableVersions),
        (status = 403, description = "The caller has neither `roster.read` nor `records.read`, or its role may not read the feed", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/changes/available")]
async fn changes_available(
    state: State,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<actix_web::web::Json<AvailableVersions>> {
    let params: AvailableParams = parse_query(req.query_string())?;
    let access = Access::of(&state.db, &caller, params.district_id).await?;
    if !(access.has(ClientScope::RosterRead) || access.has(ClientScope::RecordsRead)) {
        return Err(ApiError::forbidden("the change feed needs the scope roster.read or records.read"));
    }
    let primary = state.reads_elsewhere().then_some(&state.db);
    Ok(actix_web::web::Json(super::available(state.reads(), primary).await?.into()))
}
