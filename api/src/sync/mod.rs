//! Bulk sync of the roster by the source system's ids (issue 5): `PUT /sync/{resource}` for
//! semesters, zones, schools, teachers, groups and memberships, each batch one transaction; the
//! CSV import applies its files through the same [`apply_roster`].
//!
//! - [`records`]: the wire types of the records, shared with the CSV import;
//! - [`csv`]: the CSV import (`POST /sync/csv`).

pub mod csv;
pub mod records;

use sea_orm::DatabaseTransaction;
use serde::Serialize;
use utoipa::ToSchema;

use crate::clients::access::Access;
use crate::error::ApiResult;
use records::RosterBatch;

/// What applying records of one resource did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Counts {
    pub created: u64,
    pub updated: u64,
    /// Records equal to the row's current state: nothing written, no change-feed entry.
    pub unchanged: u64,
    /// `tobedeleted` records that archived a live row.
    pub archived: u64,
}

/// What applying a whole roster batch did, per resource.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RosterOutcome {
    pub semesters: Counts,
    pub zones: Counts,
    pub schools: Counts,
    pub teachers: Counts,
    pub groups: Counts,
    pub memberships: Counts,
}

/// One thing wrong with one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// `semesters`, `zones`, `schools`, `teachers`, `groups` or `memberships`.
    pub resource: &'static str,
    /// The record's position in its list (0-based).
    pub index: usize,
    /// The field within the record (`birth_date`, `honours[0].year`, `school_sourced_id` ...).
    pub field: String,
    pub message: String,
}

/// Applies every record of `batch` inside `txn`, resources in dependency order. Either every
/// record is valid and applied (`Ok(Ok(outcome))`), or the errors of every bad record come back
/// (`Ok(Err(errors))`) and the caller must roll `txn` back. `Err` is a failure of the database.
pub async fn apply_roster(
    txn: &DatabaseTransaction,
    access: &Access,
    batch: &RosterBatch,
) -> ApiResult<Result<RosterOutcome, Vec<RecordError>>> {
    let _ = (txn, access, batch);
    todo!("issue 5: the sync of each resource")
}
