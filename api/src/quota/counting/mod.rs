//! Counting what one rule counts, for every subject of a population at once: one aggregate query
//! per rule (GROUP BY subject and period bucket, the bucket a CASE over the periods' date
//! ranges). Checks no longer run this way (they read each source once for all its rules, see
//! `crate::quota::checks::scan`); it is the independent reference the engine is compared with
//! (`crate::quota::checks::reference`, and the differential test). [`crate::quota::evidence`]
//! lists the same rows one by one for `explain`; the two must agree, and a black-box test checks
//! that they do.
//!
//! What is counted, per metric (the subject id each row belongs to in brackets):
//! - `observations` [observer_teacher_id]: live observations (`archived_at` null), dated by
//!   `observed_on`;
//! - `records`, `record_words`, `record_hours` [author_teacher_id, and with `include_coauthored`
//!   also each co-author's teacher id]: live records dated by `written_on`;
//! - `lessons_given` [activity_lessons.teacher_id]: lessons of live activities whose status is
//!   held or archived (filed), dated by the activity's `date`;
//! - `activities_held` [group_id for a group, school_id for a school, with the matching
//!   organiser kind]: live activities held or archived, by `date`;
//! - `activities_attended` [participant teacher_id]: participants present or late at such
//!   activities;
//! - `attendance_rate` [teacher: participant teacher_id; group: the organising group]:
//!   `activities::attendance::rules::attendance_rate` over the expected participants of such
//!   activities; a period with nothing to measure is 1.0 (nothing was missed);
//! - `mentor_observes_mentee` / `mentee_observes_mentor` [mentorship id]: live observations
//!   between the pair's two teachers, in the stated direction;
//! - `full_lesson_plan_share` [author_teacher_id]: lesson-plan records written in full over all
//!   lesson-plan records; 1.0 with none;
//! - `prep_drafts_on_time` [lead_teacher_id]: drafts of live preparations submitted by their due
//!   day, dated by `draft_submitted_on`;
//! - `prep_notes_given` [preparation_notes.teacher_id]: revision notes on live preparations, by
//!   `written_on`;
//! - `prep_completion_share` [group_id]: the group's live preparations completed through every
//!   stage over all of them, dated by `session_on`; 1.0 with none.
//!
//! Only rows dated inside a period and on or before `as_of` count.

//! ## How
//! [`sources`] writes, per metric, a `SELECT subject_id, day [, value | status, expected]` over
//! the metric's base table with every filter of the metric and the population in SQL. [`count`]
//! wraps it in the one statement it runs:
//!
//! ```sql
//! SELECT subject_id, CASE WHEN day BETWEEN p0.start AND min(p0.end, as_of) THEN 0 WHEN ... END AS bucket, <aggregate>
//! FROM (<source>) AS counted
//! WHERE day BETWEEN p0.start AND min(p0.end, as_of) OR ...   -- nothing after as_of or between periods
//! GROUP BY subject_id, bucket [, status, expected]
//! ```
//!
//! and folds the rows into per-period values. A period that starts after `as_of` gets no bucket.

mod sources;

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::enums::AttendanceStatus;
use sea_orm::sea_query::{Alias, CaseStatement, Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};

use crate::activities::attendance::rules::AttendanceCounts;
use crate::domain::{DomainError, DomainResult};
use crate::quota::evaluate::Shape;
use crate::quota::periods::Period;
use crate::quota::rules::{Metric, SubjectType};

/// Whose values to count: the subjects of one district, optionally narrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Population {
    pub district_id: i64,
    /// Only subjects of these schools (teachers, groups, pairs and schools by their school);
    /// `None`: the whole district (district groups such as 中心组 included).
    pub school_ids: Option<Vec<i64>>,
    /// Only these subject ids; `None`: every subject of the scope.
    pub subject_ids: Option<Vec<i64>>,
}

/// The value of a subject (or period) with no rows at all: 0 for a count, 1.0 for a ratio
/// (nothing to measure, so nothing was missed).
pub fn no_data(metric: &Metric) -> f64 {
    match metric.shape() {
        Shape::Count => 0.0,
        Shape::Ratio => 1.0,
    }
}

/// How a source's rows become a period's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    /// `COUNT(*)`: observations, records, lessons, activities.
    Rows,
    /// `SUM(value)`: words, hours.
    Sum,
    /// `SUM(value) / COUNT(*)`, `value` 1 or 0: the share of full lesson plans.
    Share,
    /// `COUNT(*)` per status and expected, folded by [`AttendanceCounts`].
    Attendance,
}

/// Column names of a source and of the counting query.
const SUBJECT: &str = "subject_id";
const DAY: &str = "day";
const VALUE: &str = "value";
const STATUS: &str = "status";
const EXPECTED: &str = "expected";
const COUNTED: &str = "counted";
const BUCKET: &str = "bucket";
const N: &str = "n";
const TOTAL: &str = "total";

fn counted(column: &str) -> Expr {
    Expr::col((Alias::new(COUNTED), Alias::new(column)))
}

/// For every subject of `population` with at least one counted row: the value per period,
/// aligned with `periods` (`result[&id][i]` is what `periods[i]` holds up to `as_of`). Subjects
/// without rows are absent; use [`no_data`] for them.
pub async fn count(
    db: &impl ConnectionTrait,
    population: &Population,
    subject_type: SubjectType,
    metric: &Metric,
    periods: &[Period],
    as_of: NaiveDate,
) -> DomainResult<HashMap<i64, Vec<f64>>> {
    if !metric.measures().contains(&subject_type) {
        return Err(DomainError::invalid(
            "metric.kind",
            format!("{} does not measure this subject type", metric.code()),
        ));
    }
    let Some((bucket, within)) = buckets(periods, as_of) else {
        return Ok(HashMap::new());
    };
    let (source, aggregate) = sources::source(population, subject_type, metric);
    let statement = counting_statement(source, aggregate, bucket, within);
    let rows = db.query_all(&statement).await?;
    fold(&rows, aggregate, metric, periods.len())
}

/// The CASE giving each day its period index, and the condition that a day is in some period
/// and not after `as_of`; `None` when no period has started by `as_of`.
fn buckets(periods: &[Period], as_of: NaiveDate) -> Option<(CaseStatement, Condition)> {
    let mut bucket = CaseStatement::new();
    let mut within = Condition::any();
    let mut any = false;
    for (i, p) in periods.iter().enumerate() {
        if p.start > as_of {
            continue;
        }
        let inside = counted(DAY).between(p.start, Ord::min(p.end, as_of));
        bucket = bucket.case(inside.clone(), Expr::val(i as i64));
        within = within.add(inside);
        any = true;
    }
    any.then_some((bucket, within))
}

fn counting_statement(
    source: SelectStatement,
    aggregate: Aggregate,
    bucket: CaseStatement,
    within: Condition,
) -> SelectStatement {
    let mut q = Query::select();
    q.expr_as(counted(SUBJECT), Alias::new(SUBJECT))
        .expr_as(Into::<Expr>::into(bucket), Alias::new(BUCKET))
        .from_subquery(source, Alias::new(COUNTED))
        .cond_where(within)
        .add_group_by([counted(SUBJECT), Expr::col(Alias::new(BUCKET))]);
    match aggregate {
        Aggregate::Rows => {
            q.expr_as(counted(SUBJECT).count(), Alias::new(N));
        }
        Aggregate::Sum => {
            q.expr_as(counted(VALUE).sum(), Alias::new(TOTAL));
        }
        Aggregate::Share => {
            q.expr_as(counted(VALUE).sum(), Alias::new(TOTAL)).expr_as(counted(SUBJECT).count(), Alias::new(N));
        }
        Aggregate::Attendance => {
            q.expr_as(counted(STATUS), Alias::new(STATUS))
                .expr_as(counted(EXPECTED), Alias::new(EXPECTED))
                .expr_as(counted(SUBJECT).count(), Alias::new(N))
                .add_group_by([counted(STATUS), counted(EXPECTED)]);
        }
    }
    q
}

/// A number column that is an integer on one engine and a float on the other (`SUM` of an
/// integer column is `bigint` on PostgreSQL), or NULL (a sum over nothing).
fn number(row: &QueryResult, column: &str) -> DomainResult<f64> {
    if let Ok(v) = row.try_get::<Option<f64>>("", column) {
        return Ok(v.unwrap_or(0.0));
    }
    Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0) as f64)
}

/// Per-subject values from the counting rows.
fn fold(
    rows: &[QueryResult],
    aggregate: Aggregate,
    metric: &Metric,
    period_count: usize,
) -> DomainResult<HashMap<i64, Vec<f64>>> {
    let mut values: HashMap<i64, Vec<f64>> = HashMap::new();
    let mut attendance: HashMap<(i64, usize), AttendanceCounts> = HashMap::new();
    for row in rows {
        let subject: i64 = row.try_get("", SUBJECT)?;
        let Some(bucket) = usize::try_from(row.try_get::<i64>("", BUCKET)?).ok().filter(|b| *b < period_count) else {
            continue;
        };
        let slot = &mut values.entry(subject).or_insert_with(|| vec![no_data(metric); period_count])[bucket];
        match aggregate {
            Aggregate::Rows => *slot = number(row, N)?,
            Aggregate::Sum => *slot = number(row, TOTAL)?,
            Aggregate::Share => {
                let n = number(row, N)?;
                *slot = if n > 0.0 { number(row, TOTAL)? / n } else { no_data(metric) };
            }
            Aggregate::Attendance => {
                let status: AttendanceStatus = row.try_get("", STATUS)?;
                let expected: bool = row.try_get("", EXPECTED)?;
                let counts = attendance.entry((subject, bucket)).or_default();
                counts.add(status, expected, number(row, N)? as i64);
                *slot = counts.rate.unwrap_or_else(|| no_data(metric));
            }
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use jiaoyan_quota::vocab::RecordKind;
    use sea_orm::{Database, DatabaseConnection};

    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn period(start: NaiveDate, end: NaiveDate) -> Period {
        Period { start, end, teaching_days: 5, full_teaching_days: 5 }
    }

    fn months() -> [Period; 3] {
        [period(day(9, 1), day(9, 30)), period(day(10, 1), day(10, 31)), period(day(11, 1), day(11, 30))]
    }

    /// School 2's teachers 10 and 11 (the population), teacher 12 of school 3 (outside it), and
    /// records around the cases the counting filters: kind, length, lateness, archiving,
    /// co-authors, and dates before, on and after `as_of`.
    async fn records_db() -> DatabaseConnection {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        db.execute_unprepared(
            "CREATE TABLE schools (id INTEGER PRIMARY KEY, district_id INTEGER NOT NULL);
             CREATE TABLE teachers (id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL);
             CREATE TABLE records (id INTEGER PRIMARY KEY, author_teacher_id INTEGER NOT NULL,
                 written_on TEXT NOT NULL, kind TEXT NOT NULL, word_count INTEGER NOT NULL,
                 late BOOLEAN NOT NULL, lesson_plan_form TEXT, hours REAL, archived_at TEXT);
             CREATE TABLE record_coauthors (record_id INTEGER NOT NULL, teacher_id INTEGER NOT NULL);
             INSERT INTO schools VALUES (2, 1), (3, 1), (4, 9);
             INSERT INTO teachers VALUES (10, 2), (11, 2), (12, 3);
             INSERT INTO records (id, author_teacher_id, written_on, kind, word_count, late, archived_at) VALUES
                 (1, 10, '2026-09-05', 'paper', 600, 0, NULL),
                 (2, 10, '2026-09-20', 'paper', 400, 0, NULL),
                 (3, 10, '2026-10-10', 'paper', 800, 1, NULL),
                 (4, 10, '2026-10-14', 'paper', 500, 0, NULL),
                 (5, 10, '2026-10-15', 'paper', 900, 0, NULL),
                 (6, 10, '2026-11-02', 'paper', 900, 0, NULL),
                 (7, 11, '2026-09-10', 'reflection', 900, 0, NULL),
                 (8, 12, '2026-09-10', 'paper', 900, 0, NULL),
                 (9, 10, '2026-09-25', 'paper', 700, 0, '2026-09-26T00:00:00Z'),
                 (10, 10, '2026-10-01', 'paper', 700, 0, NULL);
             INSERT INTO record_coauthors VALUES (8, 11), (10, 10);",
        )
        .await
        .unwrap();
        db
    }

    fn papers() -> Metric {
        Metric::Records {
            kinds: vec![RecordKind::Paper],
            min_words: Some(500),
            on_time_only: true,
            lesson_plan_form: None,
            include_coauthored: true,
        }
    }

    fn school_2() -> Population {
        Population { district_id: 1, school_ids: Some(vec![2]), subject_ids: None }
    }

    #[actix_web::test]
    async fn one_statement_counts_each_period_up_to_as_of() {
        let db = records_db().await;
        let counted = count(&db, &school_2(), SubjectType::Teacher, &papers(), &months(), day(10, 14)).await.unwrap();
        // Teacher 10: September's long enough paper (not the short or archived ones); in October
        // the one written on as_of and the one they co-authored with themselves, once (not the
        // late one, nor the one after as_of); November has not started.
        assert_eq!(counted.get(&10), Some(&vec![1.0, 2.0, 0.0]));
        // Teacher 11: a paper co-authored with a teacher of another school (not their
        // reflection).
        assert_eq!(counted.get(&11), Some(&vec![1.0, 0.0, 0.0]));
        assert_eq!(counted.len(), 2, "teacher 12 is outside the population: {counted:?}");

        let own_only = Metric::Records {
            kinds: vec![RecordKind::Paper],
            min_words: Some(500),
            on_time_only: true,
            lesson_plan_form: None,
            include_coauthored: false,
        };
        let counted = count(&db, &school_2(), SubjectType::Teacher, &own_only, &months(), day(10, 14)).await.unwrap();
        assert_eq!(counted.get(&10), Some(&vec![1.0, 2.0, 0.0]));
        assert_eq!(counted.get(&11), None, "without co-authors teacher 11 has nothing");
    }

    #[actix_web::test]
    async fn nothing_is_counted_before_the_first_period_starts() {
        let db = records_db().await;
        let counted = count(&db, &school_2(), SubjectType::Teacher, &papers(), &months(), day(8, 31)).await.unwrap();
        assert!(counted.is_empty());
    }

    #[actix_web::test]
    async fn a_metric_that_does_not_measure_the_subject_type_is_invalid() {
        let db = records_db().await;
        let err = count(&db, &school_2(), SubjectType::School, &papers(), &months(), day(10, 14)).await.unwrap_err();
        assert!(matches!(&err, DomainError::Invalid(errors) if errors[0].field == "metric.kind"), "{err:?}");
    }

    #[test]
    fn a_subject_without_rows_in_a_period_gets_no_data() {
        assert_eq!(no_data(&Metric::AttendanceRate), 1.0);
        assert_eq!(no_data(&Metric::RecordHours { kinds: vec![] }), 0.0);
    }
}
