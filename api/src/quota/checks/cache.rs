//! Computed checks, kept between requests (see "Kept check results" in `docs/API-DESIGN.md`).
//!
//! A kept result is found by what it was computed from: the district and the part of it (the
//! whole district, a zone or a school), the subject types, the semester, `as_of`, the draft rules
//! (for simulations) and the database's **change version** — the newest version of the change
//! log, which every write to any table a check reads takes in its own transaction (triggers keep
//! it, whoever writes). A write therefore makes every kept result unreachable at once, in every
//! service process sharing the database: the next request reads a newer version and computes
//! again. Nothing has to be told to forget anything, so there is nothing to get wrong.
//!
//! A result is computed in one read transaction (one snapshot) begun after the version was read,
//! so it holds every write up to that version (and perhaps a few later ones, never fewer).
//! Concurrent requests for the same key wait for one computation ([`moka`]'s `try_get_with`).
//! The cache is bounded in bytes (`JIAOYAN_CHECK_CACHE_MB`) and evicts the least recently used.

use std::sync::Arc;

use chrono::NaiveDate;
use moka::future::Cache;

use super::kept::Kept;
use super::scan::{Place, Within};
use super::subjects::Target;
use crate::domain::{DomainError, DomainResult};
use crate::quota::rules::SubjectType;

/// What a kept result was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub place: Place,
    /// The subject types computed, as bits of [`kind_bit`].
    pub kinds: u8,
    pub semester_id: i64,
    pub as_of: NaiveDate,
    /// The database's change version when the computation began.
    pub version: i64,
    /// The draft rules of a simulation (their JSON, with whether saved rules run too); `None`
    /// for the saved rules alone.
    pub drafts: Option<String>,
}

pub fn kind_bit(kind: SubjectType) -> u8 {
    match kind {
        SubjectType::Teacher => 1,
        SubjectType::Group => 2,
        SubjectType::Mentorship => 4,
        SubjectType::School => 8,
    }
}

pub const ALL_KINDS: u8 = 15;

impl Key {
    /// The keys of kept results that hold everything this one would: itself, then the whole
    /// district with the same or every subject type (the same drafts, version and day).
    pub fn covering(&self) -> Vec<Key> {
        let mut keys = vec![self.clone()];
        if self.place.within != Within::District {
            let district = Place { within: Within::District, ..self.place };
            keys.push(Key { place: district, ..self.clone() });
            if self.kinds != ALL_KINDS {
                keys.push(Key { place: district, kinds: ALL_KINDS, ..self.clone() });
            }
        } else if self.kinds != ALL_KINDS {
            keys.push(Key { kinds: ALL_KINDS, ..self.clone() });
        }
        keys
    }

    /// The subject types a target of these kinds may hold.
    pub fn kinds_of(target: &Target, subject_type: Option<SubjectType>) -> u8 {
        super::engine::ALL_KINDS
            .iter()
            .filter(|k| subject_type.is_none_or(|t| t == **k))
            .filter(|k| target.ids(**k).is_none_or(|ids| !ids.is_empty()))
            .fold(0, |bits, k| bits | kind_bit(*k))
    }
}

/// The kept results of one service process.
#[derive(Clone)]
pub struct CheckCache {
    cache: Cache<Key, Arc<Kept>>,
    /// Computations under way at once: each takes a few connections and a core, so a crowd of
    /// different checks queues here instead of exhausting the pool.
    computing: Arc<tokio::sync::Semaphore>,
}

impl CheckCache {
    /// A cache holding at most `megabytes` of results.
    pub fn new(megabytes: u64) -> CheckCache {
        let cache = Cache::builder()
            .max_capacity(megabytes.saturating_mul(1 << 20))
            .weigher(|_key: &Key, kept: &Arc<Kept>| u32::try_from(kept.bytes()).unwrap_or(u32::MAX))
            .build();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        CheckCache { cache, computing: Arc::new(tokio::sync::Semaphore::new(cores.max(2))) }
    }

    /// A kept result holding everything `key` asks for, if there is one.
    pub async fn find(&self, key: &Key) -> Option<Arc<Kept>> {
        for k in key.covering() {
            if let Some(found) = self.cache.get(&k).await {
                return Some(found);
            }
        }
        None
    }

    /// The result of `key`: kept, or computed by `compute` (once, however many ask at once).
    pub async fn get_or_compute<F>(&self, key: Key, compute: F) -> DomainResult<Arc<Kept>>
    where
        F: std::future::Future<Output = DomainResult<Kept>>,
    {
        if let Some(found) = self.find(&key).await {
            crate::telemetry::quota_check_kept(true);
            return Ok(found);
        }
        crate::telemetry::quota_check_kept(false);
        let within = match key.place.within {
            Within::District => "district",
            Within::Zone(_) => "zone",
            Within::School(_) => "school",
        };
        let computing = self.computing.clone();
        let init = async move {
            let _permit = computing.acquire_owned().await.map_err(|e| DomainError::Internal(e.into()))?;
            let started = std::time::Instant::now();
            let computed = compute.await;
            crate::telemetry::quota_check_computed(within, started.elapsed());
            computed.map(Arc::new)
        };
        self.cache.try_get_with(key, init).await.map_err(shared_error)
    }
}

/// An error several waiting requests share, as each one's own.
fn shared_error(e: Arc<DomainError>) -> DomainError {
    match &*e {
        DomainError::Invalid(errors) => DomainError::Invalid(errors.clone()),
        DomainError::NotFound(detail) => DomainError::NotFound(detail.clone()),
        DomainError::Forbidden(detail) => DomainError::Forbidden(detail.clone()),
        other => DomainError::Internal(anyhow::anyhow!("computing a quota check: {other}")),
    }
}
