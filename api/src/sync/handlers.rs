//! `PUT /sync/{semesters|zones|schools|teachers|groups|memberships}`: a district system pushes
//! up to 10,000 records of one resource; the batch is one transaction.

use actix_web::{put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::records::{
    Batch, RosterBatch, SyncGroup, SyncMembership, SyncSchool, SyncSemester, SyncTeacher, SyncZone, MAX_BATCH_RECORDS,
};
use super::{apply_batch, Counts, RecordError, RosterOutcome};
use crate::clients::access::{Access, Caller};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{BulkJson, Query};
use crate::state::State;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(sync_semesters)
        .service(sync_zones)
        .service(sync_schools)
        .service(sync_teachers)
        .service(sync_groups)
        .service(sync_memberships);
}

/// Query parameters of a sync.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SyncParams {
    /// The district, for an installation administrator (everyone else syncs their own).
    pub district_id: Option<i64>,
    /// Check and count the batch without keeping anything.
    #[serde(default)]
    pub dry_run: bool,
}

/// What a sync did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"created": 480, "updated": 15, "unchanged": 0, "archived": 5, "dry_run": false, "change_version": 10422}))]
pub struct SyncResult {
    #[serde(flatten)]
    pub counts: Counts,
    /// Whether nothing was kept (`dry_run=true`).
    pub dry_run: bool,
    /// The newest change version after the sync (the change feed's `newest`), read under the
    /// write lock: the version of this push's last change, or of an earlier one when the push
    /// changed nothing (a re-sent batch leaves it where it was) or was a dry run.
    pub change_version: i64,
}

/// Applies one resource's records; `pick` takes that resource's counts from the outcome.
async fn apply(
    state: &State,
    caller: &Caller,
    params: SyncParams,
    batch: RosterBatch,
    records: usize,
    pick: fn(&RosterOutcome) -> Counts,
) -> ApiResult<web::Json<SyncResult>> {
    let access = Access::of(&state.db, caller, params.district_id).await?;
    access.require(crate::clients::scopes::ClientScope::RosterWrite)?;
    if records == 0 || records > MAX_BATCH_RECORDS {
        return Err(ApiError::invalid("records", format!("must hold 1 to {MAX_BATCH_RECORDS} records, got {records}")));
    }
    let applied = apply_batch(&state.db, &access, &batch, params.dry_run)
        .await?
        .map_err(|errors| ApiError::Validation(errors.into_iter().map(field_error).collect()))?;
    Ok(web::Json(SyncResult {
        counts: pick(&applied.outcome),
        dry_run: params.dry_run,
        change_version: applied.change_version,
    }))
}

/// A bad record as a field of the request body: `records[12].birth_date`.
fn field_error(e: RecordError) -> FieldError {
    FieldError::new(format!("records[{}].{}", e.index, e.field), e.message)
}

/// One resource's `PUT /sync/{resource}`: `$field` names the resource's list in
/// [`RosterBatch`] and its counts in [`RosterOutcome`]; `$forbidden` says when it answers 403.
macro_rules! push {
    ($(#[doc = $doc:tt])* $name:ident at $path:tt: $record:ident into $field:ident, $forbidden:tt) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "sync",
            params(SyncParams),
            request_body = Batch<$record>,
            responses(
                (status = 200, description = "Applied (or, with dry_run, checked and counted)", body = SyncResult),
                (status = 403, description = $forbidden, body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 413, description = "The body is larger than JIAOYAN_MAX_SYNC_BODY_BYTES", body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 422, description = "Bad records, each named `records[i].field`; nothing was applied", body = crate::error::Problem, content_type = "application/problem+json")
            )
        )]
        #[put($path)]
        async fn $name(
            state: State,
            caller: Caller,
            params: Query<SyncParams>,
            body: BulkJson<Batch<$record>>,
        ) -> ApiResult<web::Json<SyncResult>> {
            let records = body.0.records;
            let n = records.len();
            let batch = RosterBatch { $field: records, ..Default::default() };
            apply(&state, &caller, params.0, batch, n, |o| o.$field).await
        }
    };
}

push! {
    /// Push semesters (whole-district callers).
    ///
    /// Each record is a semester's whole state in the source system, keyed by `sourced_id`. One
    /// transaction: every record is applied or none, and a 422 lists each bad record as
    /// `records[i].field`. A re-sent batch changes nothing (all `unchanged`, no change-feed entry).
    /// `"status": "tobedeleted"` archives.
    sync_semesters at "/sync/semesters": SyncSemester into semesters,
    "The caller lacks roster.write, or is limited to some schools"
}

push! {
    /// Push zones (whole-district callers). A zone's lead school may be a school already synced.
    sync_zones at "/sync/zones": SyncZone into zones, "The caller lacks roster.write, or is limited to some schools"
}

push! {
    /// Push schools (whole-district callers). Zones and schools share the orgs' sourced_ids.
    sync_schools at "/sync/schools": SyncSchool into schools,
    "The caller lacks roster.write, or is limited to some schools"
}

push! {
    /// Push teachers. `sourced_id` is the teacher's `external_id`; a school-limited caller pushes
    /// teachers of its schools only, and cannot touch a teacher of another school.
    sync_teachers at "/sync/teachers": SyncTeacher into teachers, "The caller lacks roster.write"
}

push! {
    /// Push groups: a school's research and lesson-prep groups, or (whole-district callers) the
    /// district's teams. A parent may be a group earlier in the same batch.
    sync_groups at "/sync/groups": SyncGroup into groups, "The caller lacks roster.write"
}

push! {
    /// Push memberships of groups.
    sync_memberships at "/sync/memberships": SyncMembership into memberships, "The caller lacks roster.write"
}
