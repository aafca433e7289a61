//! A check from request to results, shared by the checks endpoints and the reports: the caller's
//! target, then the kept result that holds it — computed once per database version
//! ([`super::cache`]) — read through a [`Filter`].

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::StreamExt;

use chrono::NaiveDate;
use entities::semester;
use jiaoyan_quota::vocab::GroupKind;
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use super::audience::{target_for, Selection};
use super::cache::{kind_bit, CheckCache, Key, ALL_KINDS as ALL_KIND_BITS};
use super::edges::presence_edges;
use super::engine::{assemble, assign, cuts_of, work_for, CheckRule, Term, Work, ALL_KINDS};
use super::kept::{Filter, Kept};
use super::scan::Within;
use super::scan::{scan, Place, ScanKey, Scanned};
use super::subjects::{load_subjects, Target};
use crate::auth::Actor;
use crate::changes::{newest_version, state_version};
use crate::db::begin_read;
use crate::domain::{DomainError, DomainResult};
use crate::org::semester_days::semester_of_day;
use crate::org::semesters::load_semester;
use crate::quota::evaluate::Status;
use crate::quota::rules::{RuleSpec, SubjectType};
use crate::quota::store::queries::rules_for;
use crate::state::AppState;

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `None`: the semester of the caller's district containing `as_of`.
    pub semester_id: Option<i64>,
    pub as_of: NaiveDate,
    pub selection: Selection,
    pub subject_type: Option<SubjectType>,
    /// Draft rules (simulation); they measure every school of the target.
    pub drafts: Vec<RuleSpec>,
    /// Whether the saved rules run too (always, unless simulating drafts alone).
    pub include_saved: bool,
}

/// A check's results for a caller: the semester and target, and the kept result holding them.
pub struct Outcome {
    pub semester: semester::Model,
    pub target: Target,
    pub kept: Arc<Kept>,
}

impl Outcome {
    /// The filter that reads exactly the target's results (of `subject_type`, `rule_id` and
    /// `status` when given) from the kept result.
    pub fn filter(&self, subject_type: Option<SubjectType>, rule_id: Option<i64>, status: Option<Status>) -> Filter {
        Filter { target: Some(self.target.clone()), subject_type, rule_id, status }
    }
}

/// The semester and the caller's target for `request` (404 for a semester or subject out of
/// reach, 403 for a school or zone the caller sees but may not check).
pub async fn prepare(
    db: &DatabaseConnection,
    actor: &Actor,
    request: &Request,
) -> DomainResult<(semester::Model, Target)> {
    let semester = match request.semester_id {
        Some(id) => load_semester(db, actor, id).await?,
        None => {
            // An installation administrator has no district whose calendar to take.
            let district_id = actor.district_id.ok_or_else(|| {
                DomainError::invalid("semester_id", "is required: an installation administrator has no district")
            })?;
            semester_of_day(db, district_id, request.as_of).await?
        }
    };
    let target = target_for(db, actor, &semester, request.selection).await?;
    Ok((semester, target))
}

/// Runs a check for `actor`.
pub async fn check(state: &AppState, actor: &Actor, request: &Request) -> DomainResult<Outcome> {
    let (semester, target) = prepare(state.reads(), actor, request).await?;
    let kept = kept_for(state, &semester, &target, request).await?;
    Ok(Outcome { semester, target, kept })
}

/// The kept result holding `target`'s results, whoever asks: for callers that settled access
/// themselves (a group's report is read by whoever sees the group, its rule results included).
pub async fn kept_for(
    state: &AppState,
    semester: &semester::Model,
    target: &Target,
    request: &Request,
) -> DomainResult<Arc<Kept>> {
    let simulated = !request.drafts.is_empty() || !request.include_saved;
    let drafts =
        simulated.then(|| serde_json::to_string(&(&request.drafts, request.include_saved)).unwrap_or_default());
    let place = target.place();
    // A school's or zone's result is computed whole (it is cheap), so that every reader of the
    // school shares it; the district's only for the subject types asked for.
    let kinds = match place.within {
        Within::District => Key::kinds_of(target, request.subject_type),
        _ => ALL_KIND_BITS,
    };
    let key = Key {
        place,
        kinds,
        semester_id: semester.id,
        as_of: request.as_of,
        version: state_version(state.reads()).await?,
        drafts,
    };
    // A replica's newest version, which only grows: what a computation must have seen at least.
    let floor = match state.reads_elsewhere() {
        true => Some(newest_version(state.reads()).await?),
        false => None,
    };
    state
        .service::<CheckCache>()
        .get_or_compute(key.clone(), compute_at_least(state, semester, key, floor, request))
        .await
}

/// Computes the result of `key` on the read connection, or on the primary when the read
/// connection's snapshot is older than `floor` (the replica's newest change version when the key
/// was read). That happens only with a replica that
/// lags another one (several replicas behind one address, a reconnection to another): the
/// result would hold less than its key says and be kept as current for a version it never saw.
/// The primary is never behind any replica.
async fn compute_at_least(
    state: &AppState,
    semester: &semester::Model,
    key: Key,
    floor: Option<i64>,
    request: &Request,
) -> DomainResult<Kept> {
    if let Some(kept) = compute_kept(state.reads(), semester, &key, floor, request).await? {
        return Ok(kept);
    }
    tracing::info!(version = ?floor, "the read replica is behind the check's version; computing on the primary");
    compute_kept(&state.db, semester, &key, floor, request)
        .await?
        .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("the primary is behind change version {floor:?}")))
}

/// How many scans read at once, each on its own connection: on PostgreSQL each runs in a server
/// process of its own, on SQLite on the driver's thread of its connection. SQLite is built
/// without the process-wide page-cache and allocation-statistics mutexes for this
/// (`.cargo/config.toml`); with them, side-by-side scans took turns and ran slower than one after
/// the other (docs/PERFORMANCE.md, "The district check").
const PARALLEL_SCANS: usize = 3;

/// Computes the result of `key`, consistently with the database at one version.
///
/// The rules and subjects are read in one read transaction whose first statement reads the
/// change version (fixing its snapshot). The sources are scanned meanwhile, a few at a time,
/// each in a read transaction of its own that first reads the version too: a scan whose
/// snapshot shows the same version saw exactly the same data (every write to a table a check
/// reads takes a new version), and one that shows another (a write came in between) is read
/// again in the first transaction. So the result always reflects one state of the database.
///
/// `None` when that state is older than `floor`, the newest change version a read replica had
/// when the key was read (a lagging replica; nothing computed).
async fn compute_kept(
    db: &DatabaseConnection,
    semester: &semester::Model,
    key: &Key,
    floor: Option<i64>,
    request: &Request,
) -> DomainResult<Option<Kept>> {
    let txn = begin_read(db).await?;
    if let Some(floor) = floor {
        if newest_version(&txn).await? < floor {
            txn.rollback().await?;
            return Ok(None);
        }
    }
    let version = state_version(&txn).await?;
    let term = &Term::load(&txn, semester.clone()).await?;
    let rules = check_rules(&txn, &key.place, term.semester.id, request).await?;
    let kinds: Vec<SubjectType> = ALL_KINDS
        .iter()
        .copied()
        .filter(|k| key.kinds & kind_bit(*k) != 0 && rules.iter().any(|r| r.spec.subject_type == *k))
        .collect();
    // Scans cut their segments where presences may start or end (a superset of the days the
    // subjects' presences do), so they start at once, beside the subjects.
    let wanted = |r: usize| kinds.contains(&rules[r].spec.subject_type);
    let by_group = group_filters(&rules, &kinds);
    let edges =
        presence_edges(&txn, &key.place, &kinds, &term.semester, key.as_of, term.school_year, &by_group).await?;
    let work = work_for(term, &rules, wanted, |readers| {
        edges.with_filters(readers.iter().filter_map(|r| group_filter_of(&rules[*r], &by_group)))
    });
    let started = std::time::Instant::now();
    // The longest first, so that the short ones fill in beside them at the end.
    let mut order: Vec<ScanKey> = work.plans.keys().copied().collect();
    order.sort_by_key(|k| std::cmp::Reverse(k.source.rows_per_subject()));
    let scans = futures_util::stream::iter(
        order.iter().map(|scan| scan_alone(db, version, &key.place, *scan, &work, key.as_of)),
    )
    .buffered(PARALLEL_SCANS)
    .collect::<Vec<_>>();
    let subjects = load_subjects(&txn, &key.place, &kinds, &term.semester, key.as_of);
    let (scans, subjects) = futures_util::future::join(scans, subjects).await;
    let subjects = subjects?;
    debug_assert!(
        {
            let (first, last) = term.school_year;
            let assigned = assign(&rules, &subjects, term.semester.start_date);
            work.plans.keys().all(|k| {
                cuts_of(&rules, &subjects, &assigned, &work.readers(*k))
                    .iter()
                    .all(|c| *c <= first || last < *c || work.cuts_for(*k).binary_search(c).is_ok())
            })
        },
        "a presence edge was missed"
    );
    let mut scanned = HashMap::new();
    for (scan_key, read) in order.into_iter().zip(scans) {
        let read = match read? {
            Some(read) => read,
            None => {
                let plan = &work.plans[&scan_key];
                scan(&txn, &key.place, scan_key, plan, &work.periods, work.cuts_for(scan_key), key.as_of).await?
            }
        };
        scanned.insert(scan_key, read);
    }
    txn.commit().await?;
    let kept = assemble(term, &rules, subjects, &work, &scanned, key.as_of);
    tracing::debug!(results = kept.items.len(), elapsed = ?started.elapsed(), "quota check computed");
    Ok(Some(kept))
}

/// The rules a check applies: the saved rules of the place covering the semester (unless only
/// drafts are simulated), then the drafts.
async fn check_rules(
    txn: &DatabaseTransaction,
    place: &Place,
    semester_id: i64,
    request: &Request,
) -> DomainResult<Vec<CheckRule>> {
    let mut rules: Vec<CheckRule> = Vec::new();
    if request.include_saved {
        let saved = rules_for(txn, place, semester_id).await?;
        rules.extend(saved.into_iter().enumerate().map(|(index, r)| CheckRule {
            id: Some(r.row.id),
            index,
            owner_school_id: r.row.school_id,
            spec: r.spec,
        }));
    }
    rules.extend(request.drafts.iter().enumerate().map(|(index, spec)| CheckRule {
        id: None,
        index,
        owner_school_id: None,
        spec: spec.clone(),
    }));
    Ok(rules)
}

/// The distinct group filters (group kinds and ids) of the teacher rules of `kinds`: each gives
/// teachers a presence of their own ([`presence_edges`]).
fn group_filters(rules: &[CheckRule], kinds: &[SubjectType]) -> Vec<(Vec<GroupKind>, Vec<i64>)> {
    let mut by_group: Vec<(Vec<GroupKind>, Vec<i64>)> = rules
        .iter()
        .map(|r| &r.spec)
        .filter(|s| s.subject_type == SubjectType::Teacher && kinds.contains(&s.subject_type))
        .map(|s| (s.applies_to.group_kinds.clone(), s.applies_to.group_ids.clone()))
        .filter(|(kinds, ids)| !kinds.is_empty() || !ids.is_empty())
        .collect();
    by_group.sort();
    by_group.dedup();
    by_group
}

/// The index in `by_group` ([`group_filters`]) of the group filter of teacher rule `rule`, if
/// it has one.
fn group_filter_of(rule: &CheckRule, by_group: &[(Vec<GroupKind>, Vec<i64>)]) -> Option<usize> {
    let a = &rule.spec.applies_to;
    if rule.spec.subject_type != SubjectType::Teacher || (a.group_kinds.is_empty() && a.group_ids.is_empty()) {
        return None;
    }
    by_group.iter().position(|(kinds, ids)| *kinds == a.group_kinds && *ids == a.group_ids)
}

/// One source scanned in a read transaction of its own, if its snapshot is at `version`.
async fn scan_alone(
    db: &DatabaseConnection,
    version: i64,
    place: &Place,
    key: ScanKey,
    work: &Work,
    as_of: NaiveDate,
) -> DomainResult<Option<Scanned>> {
    let txn = begin_read(db).await?;
    if state_version(&txn).await? != version {
        return Ok(None);
    }
    let started = std::time::Instant::now();
    let read = scan(&txn, place, key, &work.plans[&key], &work.periods, work.cuts_for(key), as_of).await?;
    txn.commit().await?;
    tracing::debug!(source = ?key.source, grain = ?key.grain, subjects = read.tables.len(), elapsed = ?started.elapsed(), "quota check scan");
    Ok(Some(read))
}

/// Every result of `target` for `request` (of its subject type), in list order.
pub async fn results_for(
    state: &AppState,
    semester: &semester::Model,
    target: &Target,
    request: &Request,
) -> DomainResult<Vec<super::engine::CheckItem>> {
    let kept = kept_for(state, semester, target, request).await?;
    let filter = Filter { target: Some(target.clone()), subject_type: request.subject_type, ..Filter::default() };
    Ok(kept.all(&filter))
}
