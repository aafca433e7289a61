//! Running rules over subjects: which rule measures whom (owner, subject type, applicability,
//! families: [`jiaoyan_quota::assign`], re-exported here), one aggregate per source over the
//! whole place ([`super::scan`]), then the pure fold and evaluation per subject. The number of queries grows with the number of sources the
//! rules read (at most eight), never with the number of rules or teachers.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use entities::semester;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, StreamTrait};
use serde::Serialize;
use utoipa::ToSchema;

pub use jiaoyan_quota::assign::{assign, cuts, in_reach, kind_rank, presence_for, CheckRule, RuleRef, ALL_KINDS};

use super::kept::{Kept, KeptItem, KeptPeriod, KeptRule};
use super::scan::{plan, scan, Place, RuleSlot, ScanKey, Scanned, SourcePlan};
use super::subjects::{Subject, SubjectRef};
use crate::domain::DomainResult;
use crate::org::calendar::Calendar;
use crate::org::semesters::calendar_of;
use crate::quota::evaluate::{PeriodStatus, Schedule, Status};
use crate::quota::periods::{periods, Period, PeriodKind};
use crate::quota::presence::{clip, Presence};

/// One period of a result, with the teaching days that decided its minimum (a period cut by the
/// semester needs `ceil(min × teaching_days / full_teaching_days)`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"start": "2026-09-01", "end": "2026-09-30", "required": 4.0, "actual": 4.0, "status": "met",
    "teaching_days": 21, "full_teaching_days": 22}))]
pub struct CheckPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub required: f64,
    pub actual: f64,
    pub status: PeriodStatus,
    pub teaching_days: u32,
    pub full_teaching_days: u32,
}

/// Where one subject stands with one rule.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"subject": {"type": "teacher", "id": 5, "name": "王芳", "school_id": 2},
    "rule": {"id": 3, "index": null, "name": "教师每月听课不少于4节", "severity": "required", "metric": "observations",
        "period": "month", "min": 4.0, "family": null},
    "required": 20.0, "actual": 7.0, "status": "on_track", "expected_by_now": 6.26, "projected": 22.35,
    "periods": [{"start": "2026-09-01", "end": "2026-09-30", "required": 4.0, "actual": 4.0, "status": "met",
        "teaching_days": 21, "full_teaching_days": 22}]}))]
pub struct CheckItem {
    pub subject: SubjectRef,
    pub rule: RuleRef,
    pub required: f64,
    pub actual: f64,
    pub status: Status,
    pub expected_by_now: f64,
    pub projected: f64,
    pub periods: Vec<CheckPeriod>,
}

/// The semester being checked, with what periods need.
pub struct Term {
    pub semester: semester::Model,
    pub calendar: Calendar,
    /// The school year's first and last day: the first day of its first semester to the last day
    /// of its last one (the semesters of the district sharing `school_year`).
    pub school_year: (NaiveDate, NaiveDate),
}

impl Term {
    pub async fn load(db: &impl ConnectionTrait, semester: semester::Model) -> DomainResult<Term> {
        let calendar = calendar_of(&semester)?;
        let siblings = semester::Entity::find()
            .filter(semester::Column::DistrictId.eq(semester.district_id))
            .filter(semester::Column::SchoolYear.eq(semester.school_year.clone()))
            .filter(semester::Column::ArchivedAt.is_null())
            .all(db)
            .await?;
        let start =
            siblings.iter().map(|s| s.start_date).chain([semester.start_date]).min().unwrap_or(semester.start_date);
        let end = siblings.iter().map(|s| s.end_date).chain([semester.end_date]).max().unwrap_or(semester.end_date);
        Ok(Term { semester, calendar, school_year: (start, end) })
    }

    pub fn periods(&self, kind: PeriodKind) -> Vec<Period> {
        periods(&self.calendar, kind, Some(self.school_year))
    }
}

/// The scans a check's rules need: per source what it is read for, each rule's place in them
/// (`None` for a rule left out), the periods of every kind the rules count over, and per scan
/// the days its segments are cut at besides (where the presences of the subjects of the rules
/// reading it start and end, [`cuts`]).
pub struct Work {
    pub plans: BTreeMap<ScanKey, SourcePlan>,
    pub slots: Vec<Option<RuleSlot>>,
    pub periods: HashMap<PeriodKind, Vec<Period>>,
    pub cuts: BTreeMap<ScanKey, Vec<NaiveDate>>,
}

impl Work {
    /// The days the segments of scan `key` are cut at.
    pub fn cuts_for(&self, key: ScanKey) -> &[NaiveDate] {
        self.cuts.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The rules reading scan `key`.
    pub fn readers(&self, key: ScanKey) -> Vec<usize> {
        self.slots.iter().enumerate().filter(|(_, s)| s.is_some_and(|s| s.scan == key)).map(|(r, _)| r).collect()
    }
}

/// The scans of the rules `wanted` keeps; each scan's segments are cut at `cuts(readers)`, the
/// cuts of the rules reading it. Per scan, because a cut splits every segment of the scan it is
/// in: the membership days of a rule for lesson-prep members cut the preparation scans, not the
/// observations (at district scale, cutting every scan at every rule's days doubled the check).
pub fn work_for(
    term: &Term,
    rules: &[CheckRule],
    wanted: impl Fn(usize) -> bool,
    cuts: impl Fn(&[usize]) -> Vec<NaiveDate>,
) -> Work {
    let selected: Vec<_> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| wanted(i).then_some((r.spec.subject_type, &r.spec.metric, r.spec.period)))
        .collect();
    let (plans, slots) = plan(&selected);
    let mut periods: HashMap<PeriodKind, Vec<Period>> = HashMap::new();
    for (rule, slot) in rules.iter().zip(&slots) {
        if slot.is_some() {
            periods.entry(rule.spec.period).or_insert_with(|| term.periods(rule.spec.period));
        }
    }
    let mut work = Work { plans, slots, periods, cuts: BTreeMap::new() };
    let keys: Vec<ScanKey> = work.plans.keys().copied().collect();
    for key in keys {
        let readers = work.readers(key);
        work.cuts.insert(key, cuts(&readers));
    }
    work
}

/// The cuts of the rules `readers` only: [`cuts`] of the subjects' assignments kept to those.
pub fn cuts_of(
    rules: &[CheckRule],
    subjects: &[Subject],
    assigned: &[Vec<usize>],
    readers: &[usize],
) -> Vec<NaiveDate> {
    let kept: Vec<Vec<usize>> =
        assigned.iter().map(|rs| rs.iter().copied().filter(|r| readers.contains(r)).collect()).collect();
    cuts(rules, subjects, &kept)
}

/// Sorts subjects in list order: type, name, id.
pub fn sort_subjects(subjects: &mut [Subject]) {
    subjects.sort_by(|a, b| {
        (kind_rank(a.subject.kind), &a.subject.name, a.subject.id).cmp(&(
            kind_rank(b.subject.kind),
            &b.subject.name,
            b.subject.id,
        ))
    });
}

/// Every (subject, rule) result of `subjects` as of `as_of`, kept in list order: subjects sorted
/// by type, name and id, each with its rules in order. Each source is read once for every rule
/// that counts it ([`scan`]), one after the other on `db`, then folded and evaluated per
/// subject ([`assemble`]).
pub async fn compute<C>(
    db: &C,
    term: &Term,
    place: &Place,
    rules: &[CheckRule],
    mut subjects: Vec<Subject>,
    as_of: NaiveDate,
) -> DomainResult<Kept>
where
    C: ConnectionTrait + StreamTrait,
{
    sort_subjects(&mut subjects);
    let assigned = assign(rules, &subjects, term.semester.start_date);
    let mut used = vec![false; rules.len()];
    for r in assigned.iter().flatten() {
        used[*r] = true;
    }
    let work = work_for(term, rules, |r| used[r], |readers| cuts_of(rules, &subjects, &assigned, readers));
    let mut scanned: HashMap<ScanKey, Scanned> = HashMap::new();
    for (key, source_plan) in &work.plans {
        scanned.insert(*key, scan(db, place, *key, source_plan, &work.periods, work.cuts_for(*key), as_of).await?);
    }
    Ok(assemble(term, rules, subjects, &work, &scanned, as_of))
}

/// The kept check from what the scans read: each subject's rules (families chosen), each rule's
/// values folded into its periods and evaluated against the rule's schedule.
pub fn assemble(
    term: &Term,
    rules: &[CheckRule],
    mut subjects: Vec<Subject>,
    work: &Work,
    scanned: &HashMap<ScanKey, Scanned>,
    as_of: NaiveDate,
) -> Kept {
    sort_subjects(&mut subjects);
    let assigned = assign(rules, &subjects, term.semester.start_date);
    let mut kept = Kept {
        subjects: subjects.iter().map(|s| s.subject.clone()).collect(),
        rules: Vec::with_capacity(rules.len()),
        ..Kept::default()
    };
    let mut schedules: Vec<Option<Schedule>> = Vec::with_capacity(rules.len());
    for (rule, slot) in rules.iter().zip(&work.slots) {
        let list = slot.and_then(|_| work.periods.get(&rule.spec.period));
        let schedule =
            list.map(|list| Schedule::new(list, rule.spec.min, rule.spec.metric.shape(), as_of, &term.calendar));
        let kept_periods = match (list, &schedule) {
            (Some(list), Some(schedule)) => kept_periods(list, schedule),
            _ => Vec::new(),
        };
        kept.rules.push(KeptRule { rule: RuleRef::of(rule), periods: kept_periods });
        schedules.push(schedule);
    }
    // Subjects present over part of the semester: per (rule, presence) the periods cut to it,
    // their schedule, their index in `kept.clipped` and per-segment map (computed once).
    let mut partial: HashMap<(usize, Presence), Option<Partial>> = HashMap::new();
    for (s, (subject, rule_indexes)) in subjects.iter().zip(assigned).enumerate() {
        for r in rule_indexes {
            let (Some(slot), Some(schedule)) = (work.slots[r], &schedules[r]) else { continue };
            let Some(read) = scanned.get(&slot.scan) else { continue };
            let plan = &work.plans[&slot.scan];
            let id = subject.subject.id;
            let presence = presence_for(&rules[r], subject);
            let list = &work.periods[&rules[r].spec.period];
            let (values, schedule, clipped) = if presence.covers(list) {
                (read.values(plan, slot, id, schedule.slots.len()), schedule, None)
            } else {
                let entry = partial.entry((r, presence)).or_insert_with(|| {
                    Partial::new(
                        term,
                        &rules[r],
                        list,
                        presence,
                        &read.starts(),
                        &read.segmentation.maps[slot.list],
                        as_of,
                    )
                    .map(|p| p.kept_in(&mut kept))
                });
                let Some(p) = entry.as_ref() else { continue };
                (read.values_mapped(plan, slot, id, &p.map, p.schedule.slots.len()), &p.schedule, Some(p.index))
            };
            let first_period = kept.actuals.len() as u32;
            let verdict = schedule.judge(&values, &mut kept.statuses);
            kept.actuals.extend(values);
            kept.items.push(KeptItem { subject: s as u32, rule: r as u32, first_period, clipped, verdict });
        }
    }
    kept.finish()
}

/// The periods of `list` as a kept check holds them, with their schedule's slots.
fn kept_periods(list: &[Period], schedule: &Schedule) -> Vec<KeptPeriod> {
    list.iter()
        .zip(&schedule.slots)
        .map(|(p, slot)| KeptPeriod {
            slot: *slot,
            teaching_days: p.teaching_days,
            full_teaching_days: p.full_teaching_days,
        })
        .collect()
}

/// A rule's periods cut to a presence: their schedule, their index in [`Kept::clipped`] and
/// each scan segment's period among them.
struct Partial {
    schedule: Schedule,
    periods: Vec<KeptPeriod>,
    index: u32,
    map: Vec<Option<u32>>,
}

impl Partial {
    /// `None` when the presence has no teaching day in any period: the rule does not judge it.
    fn new(
        term: &Term,
        rule: &CheckRule,
        list: &[Period],
        presence: Presence,
        starts: &[NaiveDate],
        map: &[Option<u32>],
        as_of: NaiveDate,
    ) -> Option<Partial> {
        let clipped = clip(&term.calendar, list, presence);
        if clipped.is_empty() {
            return None;
        }
        let kept_indexes: Vec<usize> = clipped.iter().map(|(i, _)| *i).collect();
        let cut: Vec<Period> = clipped.into_iter().map(|(_, p)| p).collect();
        let schedule = Schedule::new(&cut, rule.spec.min, rule.spec.metric.shape(), as_of, &term.calendar);
        let periods = kept_periods(&cut, &schedule);
        Some(Partial { map: presence.map(starts, map, &kept_indexes), schedule, periods, index: 0 })
    }

    /// Records the periods in `kept`.
    fn kept_in(mut self, kept: &mut Kept) -> Partial {
        self.index = kept.clipped.len() as u32;
        kept.clipped.push(std::mem::take(&mut self.periods));
        self
    }
}
