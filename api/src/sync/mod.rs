//! Bulk sync of the roster by the source system's ids (docs/API-DESIGN.md, "Bulk sync"):
//! `PUT /sync/{resource}` for semesters, zones, schools, teachers, groups and memberships, each
//! batch one transaction; the CSV import applies its files through the same [`apply_roster`].
//!
//! - [`records`]: the wire types of the records, shared with the CSV import;
//! - [`batch`] and [`refs`]: what every resource shares (errors, sourced_id checks, references);
//!   [`write`]: writing and archiving a row;
//! - one module per resource, each with an `upsert` and an `archive` pass;
//! - [`handlers`]: the HTTP endpoints;
//! - [`csv`]: the CSV import (`POST /sync/csv`).
//!
//! Order: upserts first, in dependency order (semesters, zones, schools, the zones' lead
//! schools, teachers, groups, memberships), then the archives of `tobedeleted` records in the
//! reverse order, so that a batch may archive a school together with its teachers and groups.

pub mod batch;
pub mod csv;
pub mod handlers;
pub mod records;
pub mod refs;

mod groups;
mod memberships;
mod schools;
mod semesters;
mod teachers;
mod write;
mod zones;

use sea_orm::{DatabaseConnection, DatabaseTransaction};
use serde::Serialize;
use utoipa::ToSchema;

use crate::clients::access::Access;
use crate::clients::scopes::ClientScope;
use crate::domain::{DomainError, DomainResult};
use batch::Sync;
use records::{RosterBatch, MAX_BATCH_RECORDS};

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

impl Counts {
    pub fn add(&mut self, written: Written) {
        match written {
            Written::Created => self.created += 1,
            Written::Updated => self.updated += 1,
            Written::Unchanged => self.unchanged += 1,
        }
    }
}

/// What the first pass did to one record (the zones' second pass may turn unchanged into updated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    Unchanged,
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

/// What a push or an import kept (or, for a dry run, would have).
#[derive(Debug, Clone, Copy)]
pub struct Applied {
    pub outcome: RosterOutcome,
    /// The newest change version after it (the change feed's `newest`), read under the write
    /// lock: the version of its last change, or of an earlier one when it changed nothing (a
    /// re-sent batch) or was a dry run (its versions are rolled back).
    pub change_version: i64,
}

/// Applies `batch` in one writing transaction ([`apply_roster`]), kept unless `dry_run`; the
/// errors of every bad record (nothing kept) otherwise.
pub async fn apply_batch(
    db: &DatabaseConnection,
    access: &Access,
    batch: &RosterBatch,
    dry_run: bool,
) -> DomainResult<Result<Applied, Vec<RecordError>>> {
    for (resource, records) in batch.sizes() {
        crate::telemetry::sync_batch(resource, records);
    }
    let txn = crate::db::begin_write(db).await?;
    let outcome = match apply_roster(&txn, access, batch).await? {
        Ok(outcome) => outcome,
        Err(errors) => {
            txn.rollback().await?;
            return Ok(Err(errors));
        }
    };
    let change_version = if dry_run {
        txn.rollback().await?;
        crate::changes::newest_version(db).await?
    } else {
        let version = crate::changes::newest_version(&txn).await?;
        txn.commit().await?;
        version
    };
    Ok(Ok(Applied { outcome, change_version }))
}

/// Applies every record of `batch` inside `txn`, resources in dependency order. Either every
/// record is valid and applied (`Ok(Ok(outcome))`), or the errors of every bad record come back
/// (`Ok(Err(errors))`) and the caller must roll `txn` back. `Err` is a failure of the database.
pub async fn apply_roster(
    txn: &DatabaseTransaction,
    access: &Access,
    batch: &RosterBatch,
) -> DomainResult<Result<RosterOutcome, Vec<RecordError>>> {
    access.require(ClientScope::RosterWrite)?;
    let district_level =
        [("semesters", batch.semesters.len()), ("zones", batch.zones.len()), ("schools", batch.schools.len())];
    if !access.whole_district() {
        if let Some((name, _)) = district_level.iter().find(|(_, n)| *n > 0) {
            return Err(DomainError::forbidden(format!(
                "{name} belong to the whole district; your access is limited to some of its schools"
            )));
        }
    }
    let total = batch.semesters.len()
        + batch.zones.len()
        + batch.schools.len()
        + batch.teachers.len()
        + batch.groups.len()
        + batch.memberships.len();
    if total > MAX_BATCH_RECORDS {
        return Err(DomainError::invalid(
            "records",
            format!("at most {MAX_BATCH_RECORDS} records per batch, got {total}"),
        ));
    }
    let mut sync = Sync::new(txn, access);
    let semesters = sync.sourced("semesters", &batch.semesters);
    let zones = sync.sourced("zones", &batch.zones);
    let schools = sync.sourced("schools", &batch.schools);
    let teachers = sync.sourced("teachers", &batch.teachers);
    let groups = sync.sourced("groups", &batch.groups);
    let memberships = sync.sourced("memberships", &batch.memberships);

    let mut out = RosterOutcome::default();
    semesters::upsert(&mut sync, &semesters.active, &mut out.semesters).await?;
    let zones_written = zones::upsert(&mut sync, &zones.active, &mut out.zones).await?;
    schools::upsert(&mut sync, &schools.active, &mut out.schools).await?;
    zones::set_lead_schools(&mut sync, &zones.active, &zones_written, &mut out.zones).await?;
    teachers::upsert(&mut sync, &teachers.active, &mut out.teachers).await?;
    groups::upsert(&mut sync, &groups.active, &mut out.groups).await?;
    memberships::upsert(&mut sync, &memberships.active, &mut out.memberships).await?;

    memberships::archive(&mut sync, &memberships.gone, &mut out.memberships).await?;
    groups::archive(&mut sync, &groups.gone, &mut out.groups).await?;
    teachers::archive(&mut sync, &teachers.gone, &mut out.teachers).await?;
    schools::archive(&mut sync, &schools.gone, &mut out.schools).await?;
    zones::archive(&mut sync, &zones.gone, &mut out.zones).await?;
    semesters::archive(&mut sync, &semesters.gone, &mut out.semesters).await?;

    if sync.errors.is_empty() {
        return Ok(Ok(out));
    }
    let order = ["semesters", "zones", "schools", "teachers", "groups", "memberships"];
    let mut errors = sync.errors;
    errors.sort_by_key(|e| (order.iter().position(|r| *r == e.resource), e.index));
    Ok(Err(errors))
}
