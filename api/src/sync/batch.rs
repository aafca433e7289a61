//! What the sync of every resource shares: the transaction and the caller, the errors found so
//! far, the records whose `sourced_id` passed its checks ([`Sourced`]), and bulk loading by
//! `sourced_id`.
//!
//! The sync keeps going after a bad record, so that one answer lists every bad record of the
//! batch; the caller rolls the transaction back when any error was found.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use super::records::{Record, RecordStatus};
use super::refs::{Ref, Refs};
use super::{Counts, RecordError};
use crate::clients::access::Access;
use crate::domain::ids::SourcedId;
use crate::domain::{DomainError, DomainResult};
use crate::validate::Checks;

/// How many ids go into one `IN (...)` list: well under SQLite's and PostgreSQL's limits on
/// bound parameters.
pub const CHUNK: usize = 500;

/// One sync in progress.
pub struct Sync<'a> {
    pub txn: &'a DatabaseTransaction,
    pub access: &'a Access,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub refs: Refs,
    pub errors: Vec<RecordError>,
}

impl<'a> Sync<'a> {
    pub fn new(txn: &'a DatabaseTransaction, access: &'a Access) -> Self {
        Sync {
            txn,
            access,
            now: crate::resource::now(),
            today: crate::clock::today(),
            refs: Refs::default(),
            errors: vec![],
        }
    }

    pub fn district_id(&self) -> i64 {
        self.access.district_id
    }

    pub fn fail(&mut self, resource: &'static str, index: usize, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(RecordError { resource, index, field: field.into(), message: message.into() });
    }

    /// Takes over the errors of `checks` as errors of record `index`, renaming the fields the
    /// shared checks name by our ids (`parent_id`) to the record's fields (`parent_sourced_id`).
    /// Whether there were none.
    pub fn absorb(&mut self, resource: &'static str, index: usize, checks: Checks, renames: &[(&str, &str)]) -> bool {
        let errors = checks.into_errors();
        let clean = errors.is_empty();
        for e in errors {
            let field = renames.iter().find(|(from, _)| *from == e.field).map_or(e.field, |(_, to)| to.to_string());
            self.fail(resource, index, field, e.message);
        }
        clean
    }

    /// A 409 from a shared uniqueness check becomes an error of record `index`; anything else
    /// is a real failure. Whether the check passed.
    pub fn conflict_of(
        &mut self,
        resource: &'static str,
        index: usize,
        result: Result<(), impl Into<DomainError>>,
    ) -> DomainResult<bool> {
        match result.map_err(Into::into) {
            Ok(()) => Ok(true),
            Err(DomainError::Conflict { detail, field }) => {
                self.fail(resource, index, field.unwrap_or_else(|| "sourced_id".into()), detail);
                Ok(false)
            }
            Err(other) => Err(other),
        }
    }
}

impl Sync<'_> {
    /// The archive pass every resource starts with: of the rows that `tobedeleted` records
    /// name, those to archive. A record naming no row, or an archived one, changes nothing
    /// (`unchanged`); one naming a row that is not the caller's is an error. `reference` tells
    /// whose a row is and whether it is live (`None`: its owner is gone).
    pub fn rows_to_archive<T, M>(
        &mut self,
        resource: &'static str,
        noun: &str,
        gone: &[Sourced<'_, T>],
        mut existing: HashMap<String, M>,
        reference: impl Fn(&M) -> Option<Ref>,
        counts: &mut Counts,
    ) -> Vec<(usize, M)> {
        let mut out = Vec::new();
        for record in gone {
            let index = record.index;
            let Some(row) = existing.remove(record.id.as_str()) else {
                counts.unchanged += 1;
                continue;
            };
            let Some(r) = reference(&row) else {
                self.fail(resource, index, "sourced_id", format!("is the sourced_id of a {noun} whose owner is gone"));
                continue;
            };
            if !self.owns(resource, index, noun, r) {
                continue;
            }
            if r.live {
                out.push((index, row));
            } else {
                counts.unchanged += 1;
            }
        }
        out
    }

    /// The records of a list whose `sourced_id` holds ([`SourcedId::parse`]) and is the first
    /// of its kind in the list, split into those to create or update (`active`) and those to
    /// archive; every other record is an error of its `sourced_id`.
    pub fn sourced<'r, T: Record>(&mut self, resource: &'static str, records: &'r [T]) -> Split<'r, T> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut split = Split { active: vec![], gone: vec![] };
        for (index, record) in records.iter().enumerate() {
            let raw = record.sourced_id();
            let first = seen.get(raw).copied();
            seen.entry(raw).or_insert(index);
            match sourced_id(raw, first) {
                Err(message) => self.fail(resource, index, "sourced_id", message),
                Ok(id) if record.status() == RecordStatus::Active => split.active.push(Sourced { index, id, record }),
                Ok(id) => split.gone.push(Sourced { index, id, record }),
            }
        }
        split
    }
}

impl Sync<'_> {
    /// An archive the API would refuse, because `live` rows still depend on the row, is an error
    /// of the record's `status` (`what` says which rows, after the count). Whether it was.
    pub fn still_used(&mut self, resource: &'static str, index: usize, live: u64, what: &str) -> bool {
        if live > 0 {
            self.fail(resource, index, "status", format!("{live} {what}"));
        }
        live > 0
    }
}

/// A required field of an active record.
pub fn required<'v, T>(checks: &mut Checks, field: &str, value: &'v Option<T>) -> Option<&'v T> {
    if value.is_none() {
        checks.fail(field, "is required unless status is tobedeleted");
    }
    value.as_ref()
}

/// The rows of `E` whose `sourced_id` column is one of `ids`, by sourced_id.
pub async fn load_by_sourced_id<E>(
    txn: &DatabaseTransaction,
    column: E::Column,
    ids: &[&str],
    key: impl Fn(&E::Model) -> Option<&str>,
) -> DomainResult<HashMap<String, E::Model>>
where
    E: EntityTrait,
{
    let mut out = HashMap::new();
    let unique: Vec<&str> = ids.iter().copied().collect::<HashSet<_>>().into_iter().collect();
    for chunk in unique.chunks(CHUNK) {
        for row in E::find().filter(column.is_in(chunk.iter().copied())).all(txn).await? {
            if let Some(k) = key(&row).map(str::to_string) {
                out.insert(k, row);
            }
        }
    }
    Ok(out)
}

/// A record whose `sourced_id` passed its checks: it exists only with a valid one.
#[derive(Debug)]
pub struct Sourced<'r, T> {
    /// The record's position in its list (0-based), which errors name.
    pub index: usize,
    pub id: SourcedId,
    pub record: &'r T,
}

/// The valid records of a list, by status.
#[derive(Debug)]
pub struct Split<'r, T> {
    pub active: Vec<Sourced<'r, T>>,
    pub gone: Vec<Sourced<'r, T>>,
}

/// The sourced ids of records, for loading their rows.
pub fn ids_of<'a, T>(records: &'a [Sourced<'_, T>]) -> Vec<&'a str> {
    records.iter().map(|r| r.id.as_str()).collect()
}

/// `raw` as a sourced id ([`SourcedId::parse`]), unless `first`, the index of an earlier record
/// of the list, has it already; the error's message otherwise.
pub fn sourced_id(raw: &str, first: Option<usize>) -> Result<SourcedId, String> {
    let id = SourcedId::parse("sourced_id", raw).map_err(|e| e.message)?;
    match first {
        Some(first) => Err(format!("is also the sourced_id of record {first} of this batch")),
        None => Ok(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_repeated_and_padded_ids_are_refused() {
        assert_eq!(sourced_id("T-0012", None).unwrap().as_str(), "T-0012");
        assert!(sourced_id("jiaoyan-school-3", None).unwrap_err().contains("reserved"));
        assert!(sourced_id("a", Some(0)).unwrap_err().contains("record 0"));
        assert!(sourced_id(" b", None).is_err());
        assert!(sourced_id("", None).is_err());
    }

    #[test]
    fn long_and_control_ids_are_refused() {
        assert!(sourced_id(&"x".repeat(65), None).is_err());
        assert!(sourced_id(&"长".repeat(64), None).is_ok());
        assert!(sourced_id("a\u{7}b", None).is_err());
    }
}
