//! Reading what a check counts: each source once, for every rule that counts it.
//!
//! A rule's metric names a *source* (the table its rows come from, and whose id a row belongs
//! to) and a *measure* (the filters and the aggregate). [`plan`] groups a check's rules by
//! source and gives each distinct measure its columns; [`scan`] runs one aggregate statement
//! per source — `GROUP BY subject, segment` with a filtered `SUM` column per measure, see
//! [`sql`]; on SQLite wrapped to give one row a subject ([`sql::packed`]) — and streams its rows
//! into one small table per subject. The pure fold
//! ([`crate::quota::fold`]) then adds segments up into each rule's periods.
//!
//! No statement binds one parameter per subject: the population is a subquery over the
//! district, zone or school ([`Place`]), and a narrower target (a teacher, a group) is filtered
//! afterwards, in memory.

mod sql;

use std::collections::{BTreeMap, HashMap};

use futures_util::TryStreamExt;
use sea_orm::{ConnectionTrait, DatabaseBackend, StreamTrait};

use crate::domain::{DomainError, DomainResult};
use crate::quota::counting::no_data;
use crate::quota::fold::{fold, segment, Fold, Segmentation};
use crate::quota::periods::{Period, PeriodKind};
use crate::quota::rules::{Metric, SubjectType};

pub use sql::{Place, Within};

/// Where a metric's rows come from, and whose they are: one scan each per check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// Observations, by observer.
    Observations,
    /// Observations between the two teachers of a pair, by pair.
    PairObservations,
    /// Records, by author (and co-author).
    Records,
    /// Lessons given at held activities, by teacher.
    Lessons,
    /// Held activities organised by a group, by group.
    GroupActivities,
    /// Held activities organised by a school, by school.
    SchoolActivities,
    /// Participations at held activities, by participant.
    TeacherParticipations,
    /// Participations at held activities, by the activity's group.
    GroupParticipations,
    /// Submitted drafts of collective preparations, by lead preparer.
    PrepDrafts,
    /// Revision notes on collective preparations, by co-preparer.
    PrepNotes,
    /// Collective preparations, by group.
    GroupPreparations,
}

impl Source {
    /// How many rows a scan of the source reads per subject, roughly: a term's observations or
    /// records per teacher are dozens, its drafts or pair observations a few. A check starts its
    /// scans the longest first.
    pub fn rows_per_subject(self) -> u32 {
        match self {
            Source::Records | Source::Observations => 50,
            Source::TeacherParticipations | Source::PrepNotes => 20,
            Source::GroupParticipations | Source::PrepDrafts | Source::GroupActivities => 5,
            Source::PairObservations | Source::Lessons | Source::SchoolActivities | Source::GroupPreparations => 1,
        }
    }
}

/// The source and fold of a metric measuring `subject_type` (one [`Metric::measures`]).
pub fn source_of(subject_type: SubjectType, metric: &Metric) -> (Source, Fold) {
    match metric {
        Metric::Observations { .. } => (Source::Observations, Fold::Count),
        Metric::MentorObservesMentee { .. } | Metric::MenteeObservesMentor { .. } => {
            (Source::PairObservations, Fold::Count)
        }
        Metric::Records { .. } => (Source::Records, Fold::Count),
        Metric::RecordWords { .. } | Metric::RecordHours { .. } => (Source::Records, Fold::Sum),
        Metric::FullLessonPlanShare => (Source::Records, Fold::Share),
        Metric::LessonsGiven { .. } => (Source::Lessons, Fold::Count),
        Metric::ActivitiesHeld { .. } => match subject_type {
            SubjectType::School => (Source::SchoolActivities, Fold::Count),
            _ => (Source::GroupActivities, Fold::Count),
        },
        Metric::ActivitiesAttended { .. } => (Source::TeacherParticipations, Fold::Count),
        Metric::AttendanceRate => match subject_type {
            SubjectType::Group => (Source::GroupParticipations, Fold::Attendance),
            _ => (Source::TeacherParticipations, Fold::Attendance),
        },
        Metric::PrepDraftsOnTime => (Source::PrepDrafts, Fold::Count),
        Metric::PrepNotesGiven => (Source::PrepNotes, Fold::Count),
        Metric::PrepCompletionShare => (Source::GroupPreparations, Fold::Share),
    }
}

/// One distinct measure of a scan and where its columns start.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub metric: Metric,
    pub fold: Fold,
    pub column: usize,
}

/// Everything one source is scanned for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourcePlan {
    pub measures: Vec<Measure>,
    /// The period kinds of the rules reading this source (the segmentation's lists, in order).
    pub kinds: Vec<PeriodKind>,
    /// Columns per segment.
    pub width: usize,
}

/// How finely a scan cuts its days: rules by the week or the fortnight need segments of a week
/// at most, rules by the month, the semester or the year only month boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grain {
    Weeks,
    Months,
}

impl Grain {
    pub fn of(kind: PeriodKind) -> Grain {
        match kind {
            PeriodKind::Week | PeriodKind::Fortnight => Grain::Weeks,
            PeriodKind::Month | PeriodKind::Semester | PeriodKind::SchoolYear => Grain::Months,
        }
    }
}

/// One scan of a check: a source read at one grain.
///
/// A source counted by rules of both grains is read twice, each time only for the rows its
/// measures count ([`sql`] filters them): a weekly reflection rule groups the reflections by
/// week, not every record, and the monthly rules group every other record by month, not by week
/// (at district scale, about a fifth of the records scan's time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScanKey {
    pub source: Source,
    pub grain: Grain,
}

/// Where a rule finds its values: its scan, its measure and its periods' list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSlot {
    pub scan: ScanKey,
    pub measure: usize,
    pub list: usize,
}

/// The scans a set of rules needs, and each rule's place in them (`None` for rules not given).
pub fn plan(
    rules: &[Option<(SubjectType, &Metric, PeriodKind)>],
) -> (BTreeMap<ScanKey, SourcePlan>, Vec<Option<RuleSlot>>) {
    let mut plans: BTreeMap<ScanKey, SourcePlan> = BTreeMap::new();
    let slots = rules
        .iter()
        .map(|rule| {
            let (subject_type, metric, kind) = (*rule)?;
            let (source, how) = source_of(subject_type, metric);
            let scan = ScanKey { source, grain: Grain::of(kind) };
            let p = plans.entry(scan).or_default();
            let measure = match p.measures.iter().position(|m| m.metric == *metric && m.fold == how) {
                Some(i) => i,
                None => {
                    p.measures.push(Measure { metric: metric.clone(), fold: how, column: p.width });
                    p.width += how.width();
                    p.measures.len() - 1
                }
            };
            let list = match p.kinds.iter().position(|k| *k == kind) {
                Some(i) => i,
                None => {
                    p.kinds.push(kind);
                    p.kinds.len() - 1
                }
            };
            Some(RuleSlot { scan, measure, list })
        })
        .collect();
    (plans, slots)
}

/// What a scan read: per subject with rows, its table (segment after segment, `width` columns).
#[derive(Debug, Default)]
pub struct Scanned {
    pub segmentation: Segmentation,
    pub width: usize,
    pub tables: HashMap<i64, Vec<f64>>,
}

impl Scanned {
    /// One measure's per-period values for `subject`, over the periods of list `list`.
    pub fn values(&self, plan: &SourcePlan, slot: RuleSlot, subject: i64, period_count: usize) -> Vec<f64> {
        self.values_mapped(plan, slot, subject, &self.segmentation.maps[slot.list], period_count)
    }

    /// The same over other periods: `map` gives each segment's period among them (a subject's
    /// periods cut to its presence, [`crate::quota::presence::Presence::map`]).
    pub fn values_mapped(
        &self,
        plan: &SourcePlan,
        slot: RuleSlot,
        subject: i64,
        map: &[Option<u32>],
        period_count: usize,
    ) -> Vec<f64> {
        let measure = &plan.measures[slot.measure];
        fold(
            self.tables.get(&subject).map(Vec::as_slice),
            self.width,
            measure.column,
            measure.fold,
            map,
            period_count,
            no_data(&measure.metric),
        )
    }

    /// The first day of each segment.
    pub fn starts(&self) -> Vec<chrono::NaiveDate> {
        self.segmentation.segments.iter().map(|s| s.start).collect()
    }
}

/// Runs the one statement of `key` for `plan` over `place`, up to `as_of`, streaming its rows
/// into per-subject tables. `periods(kind)` gives the periods of each list; segments are also
/// cut at `cuts` (where subjects' presences start and end).
pub async fn scan<C>(
    db: &C,
    place: &Place,
    key: ScanKey,
    plan: &SourcePlan,
    periods: &HashMap<PeriodKind, Vec<Period>>,
    cuts: &[chrono::NaiveDate],
    as_of: chrono::NaiveDate,
) -> DomainResult<Scanned>
where
    C: ConnectionTrait + StreamTrait,
{
    let lists: Vec<&[Period]> = plan.kinds.iter().map(|k| periods[k].as_slice()).collect();
    let segmentation = segment(&lists, cuts, as_of);
    let mut scanned = Scanned { width: plan.width, tables: HashMap::new(), segmentation };
    if scanned.segmentation.segments.is_empty() || plan.width == 0 {
        return Ok(scanned);
    }
    let statement = sql::statement(key.source, place, plan, &scanned.segmentation.segments);
    let backend = ConnectionTrait::get_database_backend(db);
    let segments = scanned.segmentation.segments.len();
    let width = plan.width;
    if backend == DatabaseBackend::Sqlite {
        // One row a subject, its groups packed ([`sql::packed`]).
        let statement = sql::packed(statement, width);
        tracing::trace!(sql = %backend.build(&statement), "quota check scan");
        let mut rows = std::pin::pin!(db.stream(&statement).await?);
        while let Some(row) = rows.try_next().await? {
            let subject: i64 = row.try_get_by_index(0)?;
            let packed: String = row.try_get_by_index(1)?;
            let groups: Vec<Vec<Option<f64>>> = serde_json::from_str(&packed)
                .map_err(|e| DomainError::Internal(anyhow::anyhow!("a packed scan row of subject {subject}: {e}")))?;
            for group in groups {
                let Some((seg, values)) = group.split_first() else { continue };
                if values.len() != width {
                    return Err(DomainError::Internal(anyhow::anyhow!(
                        "a packed scan group of {} values",
                        group.len()
                    )));
                }
                let seg = seg.map(|s| s as i64);
                add(&mut scanned.tables, subject, seg, segments, width, values.iter().map(|v| v.unwrap_or(0.0)));
            }
        }
        return Ok(scanned);
    }
    tracing::trace!(sql = %backend.build(&statement), "quota check scan");
    let decimal = sql::decimal_columns(plan);
    let mut rows = std::pin::pin!(db.stream(&statement).await?);
    let mut values = Vec::with_capacity(width);
    while let Some(row) = rows.try_next().await? {
        let subject: i64 = row.try_get_by_index(0)?;
        let seg = row.try_get_by_index::<Option<i64>>(1)?;
        values.clear();
        for (k, decimal) in decimal.iter().enumerate() {
            values.push(if *decimal {
                row.try_get_by_index::<Option<f64>>(k + 2)?.unwrap_or(0.0)
            } else {
                row.try_get_by_index::<Option<i64>>(k + 2)?.unwrap_or(0) as f64
            });
        }
        add(&mut scanned.tables, subject, seg, segments, width, values.iter().copied());
    }
    Ok(scanned)
}

/// Adds one group's `values` (a subject's row for segment `seg`) into its table; a group of no
/// segment (a day in a gap between segments) or past the last counts for nothing.
fn add(
    tables: &mut HashMap<i64, Vec<f64>>,
    subject: i64,
    seg: Option<i64>,
    segments: usize,
    width: usize,
    values: impl Iterator<Item = f64>,
) {
    let Some(seg) = seg.and_then(|s| usize::try_from(s).ok()).filter(|s| *s < segments) else {
        return;
    };
    let table = tables.entry(subject).or_insert_with(|| vec![0.0; segments * width]);
    for (cell, value) in table[seg * width..(seg + 1) * width].iter_mut().zip(values) {
        // Two branches of one statement (authors and co-authors) may give the same segment.
        *cell += value;
    }
}
