//! What the sync of every resource shares: the transaction and the caller, the errors found so
//! far, the checks of each record's `sourced_id`, and bulk loading by `sourced_id`.
//!
//! The sync keeps going after a bad record, so that one answer lists every bad record of the
//! batch; the caller rolls the transaction back when any error was found.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use super::records::RecordStatus;
use super::refs::{Ref, Refs};
use super::{Counts, RecordError};
use crate::clients::access::Access;
use crate::domain::ids::SourcedId;
use crate::domain::DomainError;
use crate::error::ApiResult;
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
    ) -> ApiResult<bool> {
        match result.map_err(Into::into) {
            Ok(()) => Ok(true),
            Err(DomainError::Conflict { detail, field }) => {
                self.fail(resource, index, field.unwrap_or_else(|| "sourced_id".into()), detail);
                Ok(false)
            }
            Err(other) => Err(other.into()),
        }
    }
}

impl Sync<'_> {
    /// The archive pass every resource starts with: of the rows that `tobedeleted` records
    /// (`(index, sourced_id)`) name, those to archive. A record naming no row, or an archived
    /// one, changes nothing (`unchanged`); one naming a row that is not the caller's is an error.
    /// `reference` tells whose a row is and whether it is live (`None`: its owner is gone).
    pub fn rows_to_archive<M>(
        &mut self,
        resource: &'static str,
        noun: &str,
        gone: &[(usize, &str)],
        mut existing: HashMap<String, M>,
        reference: impl Fn(&M) -> Option<Ref>,
        counts: &mut Counts,
    ) -> Vec<(usize, M)> {
        let mut out = Vec::new();
        for (index, sourced_id) in gone {
            let Some(row) = existing.remove(*sourced_id) else {
                counts.unchanged += 1;
                continue;
            };
            let Some(r) = reference(&row) else {
                self.fail(resource, *index, "sourced_id", format!("is the sourced_id of a {noun} whose owner is gone"));
                continue;
            };
            if !self.owns(resource, *index, noun, r) {
                continue;
            }
            if r.live {
                out.push((*index, row));
            } else {
                counts.unchanged += 1;
            }
        }
        out
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

/// The `tobedeleted` records of a list, as `(index, sourced_id)`.
pub fn tombstones<'r, T>(
    records: &'r [T],
    ok: &[bool],
    status: impl Fn(&T) -> RecordStatus,
    sourced_id: impl Fn(&'r T) -> &'r str,
) -> Vec<(usize, &'r str)> {
    split(records, ok, status).1.into_iter().map(|(i, r)| (i, sourced_id(r))).collect()
}

/// Checks the `sourced_id` of every record of a list: present, at most 64 characters, not in the
/// reserved namespace, and each at most once in the list. Returns which records may go on.
pub fn check_sourced_ids<'r>(
    sync: &mut Sync<'_>,
    resource: &'static str,
    ids: impl Iterator<Item = &'r str>,
) -> Vec<bool> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut ok = Vec::new();
    for (index, id) in ids.enumerate() {
        let problem = sourced_id_problem(id, seen.get(id).copied());
        seen.entry(id).or_insert(index);
        if let Some(message) = &problem {
            sync.fail(resource, index, "sourced_id", message.clone());
        }
        ok.push(problem.is_none());
    }
    ok
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
) -> ApiResult<HashMap<String, E::Model>>
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

/// Records of a list with their indexes.
pub type Indexed<'r, T> = Vec<(usize, &'r T)>;

/// The records of a list to create or update (`active`) or to archive, with their indexes.
pub fn split<'r, T>(
    records: &'r [T],
    ok: &[bool],
    status: impl Fn(&T) -> RecordStatus,
) -> (Indexed<'r, T>, Indexed<'r, T>) {
    records.iter().enumerate().filter(|(i, _)| ok[*i]).partition(|(_, r)| status(r) == RecordStatus::Active)
}

/// What is wrong with one `sourced_id` ([`SourcedId::parse`]), if anything; `first` is the
/// index of an earlier record of the list with the same id.
pub fn sourced_id_problem(id: &str, first: Option<usize>) -> Option<String> {
    match SourcedId::parse("sourced_id", id) {
        Err(e) => Some(e.message),
        Ok(_) => first.map(|first| format!("is also the sourced_id of record {first} of this batch")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_repeated_and_padded_ids_are_refused() {
        assert!(sourced_id_problem("T-0012", None).is_none());
        assert!(sourced_id_problem("jiaoyan-school-3", None).unwrap().contains("reserved"));
        assert!(sourced_id_problem("a", Some(0)).unwrap().contains("record 0"));
        assert!(sourced_id_problem(" b", None).is_some());
        assert!(sourced_id_problem("", None).is_some());
    }

    #[test]
    fn long_and_control_ids_are_refused() {
        assert!(sourced_id_problem(&"x".repeat(65), None).is_some());
        assert!(sourced_id_problem(&"长".repeat(64), None).is_none());
        assert!(sourced_id_problem("a\u{7}b", None).is_some());
    }
}
