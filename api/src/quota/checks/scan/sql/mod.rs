//! The one aggregate statement of each source:
//!
//! ```sql
//! SELECT <subject> AS subject_id,
//!        CASE WHEN day <= s0.end THEN 0 WHEN day <= s1.end THEN 1 … END AS seg,
//!        SUM(1) FILTER (WHERE <measure 0's filters>) AS c0,            -- a count
//!        SUM(word_count) FILTER (WHERE <measure 1's filters>) AS c1,   -- a sum
//!        …
//! FROM <source> WHERE <live rows of the place's subjects> AND day BETWEEN s0.start AND sN.end
//! GROUP BY subject_id, seg
//! ```
//!
//! The filters are exactly those of the per-rule counting (`crate::quota::counting::sources`),
//! written as conditions on the row instead of `WHERE` clauses; the population is a subquery
//! over the district, zone or school; nothing binds one parameter per subject.
//!
//! The statements of the sources are in [`observations`], [`records`], [`activities`] and
//! [`preparations`]; the population's subqueries are [`Place`]'s.

mod activities;
mod observations;
mod place;
mod preparations;
mod records;

use entities::activity;
use entities::enums::ActivityStatus;
use sea_orm::sea_query::{Alias, CaseStatement, Condition, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ColumnTrait, EntityName, IdenStatic};

use super::{Source, SourcePlan};
use crate::quota::fold::Segment;
use crate::quota::rules::Metric;

pub use place::{Place, Within};

const SUBJECT: &str = "subject_id";
const SEG: &str = "seg";

fn col<E: EntityName + Copy + 'static, C: IdenStatic + Copy + 'static>(entity: E, column: C) -> Expr {
    Expr::col((entity, column))
}

/// `SUM(value)` over the rows `cond` keeps: `SUM(value) FILTER (WHERE cond)` (SQLite 3.30,
/// PostgreSQL 9.4), or `SUM(value)` when nothing filters. The engine skips the rows a column
/// does not keep, where `SUM(CASE WHEN cond THEN value ELSE 0 END)` evaluated a `CASE` and added
/// a zero for each (the monthly records scan, ten columns, took an eighth longer). A group
/// without a kept row sums to `NULL`, which the scan reads as 0.
fn sum_where(cond: Condition, value: Expr) -> Aggregate {
    if cond.is_empty() {
        return sum(value);
    }
    Aggregate(Func::sum(value).filter(cond).into())
}

/// `SUM(value)` over every row.
fn sum(value: Expr) -> Aggregate {
    Aggregate(value.sum())
}

/// One column of a scan: an aggregate over a group's rows, made by [`sum`] or [`sum_where`]
/// only, so that no bare value can stand among the grouped columns.
#[derive(Clone)]
struct Aggregate(Expr);

/// 32-bit ones and zeros: PostgreSQL sums `integer` to `bigint` (but `bigint` to `numeric`).
fn one() -> Expr {
    Expr::val(1i32)
}

fn zero() -> Expr {
    Expr::val(0i32)
}

/// The segment of `day`, for a day between the first segment's start and the last one's end:
/// a binary search written as nested `CASE WHEN day <= end THEN … ELSE … END` (about log₂ of
/// the segments' count comparisons a row, not half of them), `NULL` for a day in a gap between
/// two segments.
fn segment_of(day: Expr, segments: &[Segment]) -> Expr {
    fn search(day: &Expr, segments: &[Segment], from: usize, to: usize) -> Expr {
        if to - from == 1 {
            let contiguous = segments.get(to).is_none_or(|next| segments[from].end.succ_opt() == Some(next.start));
            let index = Expr::val(from as i64);
            return if contiguous {
                index
            } else {
                CaseStatement::new().case(day.clone().lte(segments[from].end), index).into()
            };
        }
        let middle = (from + to) / 2;
        CaseStatement::new()
            .case(day.clone().lt(segments[middle].start), search(day, segments, from, middle))
            .finally(search(day, segments, middle, to))
            .into()
    }
    search(&day, segments, 0, segments.len())
}

/// The grouped select of one branch: subject, segment, and the aggregates `columns`.
fn grouped(
    mut q: SelectStatement,
    subject: Expr,
    day: Expr,
    segments: &[Segment],
    columns: Vec<Aggregate>,
) -> SelectStatement {
    let (first, last) = (segments[0].start, segments[segments.len() - 1].end);
    q.expr_as(subject.clone(), Alias::new(SUBJECT))
        .expr_as(segment_of(day.clone(), segments), Alias::new(SEG))
        .and_where(day.between(first, last));
    for (k, c) in columns.into_iter().enumerate() {
        q.expr_as(c.0, Alias::new(format!("c{k}")));
    }
    q.add_group_by([subject, Expr::col(Alias::new(SEG))]);
    q
}

/// The rows of `statement` (a scan's: subject, segment and `width` columns) packed one a
/// subject: `SELECT subject_id, json_group_array(json_array(seg, c0, …)) … GROUP BY subject_id`.
/// For SQLite, whose driver hands each value of a row over on its own (an allocation on the
/// connection's thread, freed on the reader's): a district's records scan is 38,000 rows of
/// twelve values, packed 6,000 rows of two (docs/PERFORMANCE.md, "The district check").
pub fn packed(statement: SelectStatement, width: usize) -> SelectStatement {
    let values = std::iter::once(SEG.to_owned()).chain((0..width).map(|k| format!("c{k}")));
    let group = Func::cust(Alias::new("json_array")).args(values.map(|v| Expr::col(Alias::new(v))));
    let mut q = Query::select();
    q.expr(Expr::col(Alias::new(SUBJECT)))
        .expr(Func::cust(Alias::new("json_group_array")).arg(group))
        .from_subquery(statement, Alias::new("scan"))
        .group_by_col(Alias::new(SUBJECT));
    q
}

/// Which columns of the plan hold decimals (hours); the others are integers.
pub fn decimal_columns(plan: &SourcePlan) -> Vec<bool> {
    let mut decimal = vec![false; plan.width];
    for m in &plan.measures {
        if matches!(m.metric, Metric::RecordHours { .. }) {
            decimal[m.column] = true;
        }
    }
    decimal
}

/// The statement of `source` for `plan` over `place` and `segments` (not empty).
pub fn statement(source: Source, place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    match source {
        Source::Observations => observations::observations(place, plan, segments),
        Source::PairObservations => observations::pair_observations(place, plan, segments),
        Source::Records => records::records(place, plan, segments),
        Source::Lessons => activities::lessons(place, plan, segments),
        Source::GroupActivities | Source::SchoolActivities => activities::activities(source, place, plan, segments),
        Source::TeacherParticipations | Source::GroupParticipations => {
            activities::participations(source, place, plan, segments)
        }
        Source::PrepDrafts => preparations::drafts(place, plan, segments),
        Source::PrepNotes => preparations::notes(place, plan, segments),
        Source::GroupPreparations => preparations::group_preparations(place, plan, segments),
    }
}

/// Each measure's columns, from `columns_of(measure)`.
fn columns(plan: &SourcePlan, mut columns_of: impl FnMut(&Metric) -> Vec<Aggregate>) -> Vec<Aggregate> {
    let mut out = Vec::with_capacity(plan.width);
    for m in &plan.measures {
        let cols = columns_of(&m.metric);
        debug_assert_eq!(cols.len(), m.fold.width());
        out.extend(cols);
    }
    out
}

/// Statuses of activities that took place (filed ones included), as the attendance rates count.
const TOOK_PLACE: [ActivityStatus; 2] = [ActivityStatus::Held, ActivityStatus::Archived];

fn held(q: &mut SelectStatement) {
    q.and_where(activity::Column::Status.is_in(TOOK_PLACE)).and_where(activity::Column::ArchivedAt.is_null());
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use sea_orm::sea_query::SqliteQueryBuilder;

    use super::*;
    use crate::quota::checks::scan::{plan, Grain, ScanKey};
    use crate::quota::periods::PeriodKind;
    use crate::quota::rules::SubjectType;
    use jiaoyan_quota::vocab;
    use sea_orm::sea_query::Query;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    /// The nested `CASE` finds every day's segment, and none for a day in a gap, as a linear
    /// search over the segments does; evaluated by SQLite itself.
    #[actix_web::test]
    async fn segment_of_is_a_binary_search_with_gaps() {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let db = Database::connect("sqlite::memory:").await.unwrap();
        // Weeks with a skipped holiday week (a gap), a one-day segment and a month's edge.
        let segments: Vec<Segment> = [
            ((9, 1), (9, 6)),
            ((9, 7), (9, 13)),
            ((9, 21), (9, 27)),
            ((9, 28), (9, 28)),
            ((9, 29), (9, 30)),
            ((10, 8), (10, 11)),
            ((10, 12), (10, 18)),
        ]
        .iter()
        .map(|((m1, d1), (m2, d2))| Segment { start: day(*m1, *d1), end: day(*m2, *d2) })
        .collect();
        for n in 1..=segments.len() {
            let segments = &segments[..n];
            let mut d = segments[0].start;
            while d <= segments[n - 1].end {
                let mut q = Query::select();
                q.expr_as(segment_of(Expr::val(d), segments), Alias::new("seg"));
                let sql = q.to_string(SqliteQueryBuilder);
                let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
                let found: Option<i64> = row.unwrap().try_get("", "seg").unwrap();
                let expected = segments.iter().position(|s| s.start <= d && d <= s.end).map(|i| i as i64);
                assert_eq!(found, expected, "{d} among {n} segments");
                d = d.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn one_statement_for_every_record_rule_and_no_parameter_per_subject() {
        let reflections = Metric::Records {
            kinds: vec![vocab::RecordKind::Reflection],
            min_words: None,
            on_time_only: false,
            lesson_plan_form: None,
            include_coauthored: false,
        };
        let projects = Metric::Records {
            kinds: vec![vocab::RecordKind::ResearchProject],
            min_words: None,
            on_time_only: false,
            lesson_plan_form: None,
            include_coauthored: true,
        };
        let words = Metric::RecordWords { kinds: vec![vocab::RecordKind::StudyNote], on_time_only: false };
        let rules = [
            Some((SubjectType::Teacher, &reflections, PeriodKind::Week)),
            Some((SubjectType::Teacher, &reflections, PeriodKind::Month)),
            Some((SubjectType::Teacher, &projects, PeriodKind::Semester)),
            Some((SubjectType::Teacher, &words, PeriodKind::SchoolYear)),
        ];
        let (plans, slots) = plan(&rules);
        let weeks = ScanKey { source: Source::Records, grain: Grain::Weeks };
        let months = ScanKey { source: Source::Records, grain: Grain::Months };
        assert_eq!(plans.keys().copied().collect::<Vec<_>>(), [weeks, months], "the records, once per grain");
        assert_eq!(plans[&weeks].measures.len(), 1, "the weekly scan reads the reflections only");
        let p = &plans[&months];
        assert_eq!(p.measures.len(), 3, "the monthly reflection rule shares a measure with the others");
        assert_eq!(slots[0].unwrap().scan, weeks);
        assert_eq!(slots[1].unwrap().scan, months);
        assert_eq!(slots[1].unwrap().measure, 0);
        let segments = [
            Segment { start: day(9, 1), end: day(9, 6) },
            Segment { start: day(9, 7), end: day(9, 13) },
            Segment { start: day(9, 21), end: day(9, 27) },
        ];
        let place = Place { district_id: 1, within: Within::School(2) };
        let q = statement(Source::Records, &place, p, &segments);
        // Parameters: the place, and per branch the segments' bounds and the filters' values.
        let (_, values) = q.build(SqliteQueryBuilder);
        assert!(values.0.len() < 40, "parameters grow with segments and filters, not subjects: {}", values.0.len());
        let more_segments: Vec<Segment> =
            (0..20).map(|i| Segment { start: day(10, 1 + i), end: day(10, 1 + i) }).collect();
        let (_, more) = statement(Source::Records, &place, p, &more_segments).build(SqliteQueryBuilder);
        assert!(more.0.len() > values.0.len(), "each segment is a branch of the CASE");
    }
}
