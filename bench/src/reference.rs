//! The hand-written SQL aggregates a quota check needs, run directly on the database: what the
//! service's check is measured against. Plain SQL that runs on both engines (only the month and
//! week expressions differ); every row is fetched into memory and counted.

use std::time::Instant;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde::Serialize;

/// One aggregate's rows and time.
#[derive(Debug, Clone, Serialize)]
pub struct Timed {
    pub name: &'static str,
    pub rows: usize,
    pub seconds: f64,
}

/// The best of `runs` runs of every aggregate (best total; each aggregate's best too).
#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub best_total_seconds: f64,
    pub runs: Vec<f64>,
    pub queries: Vec<Timed>,
}

/// The aggregates for `semester_id` as of `as_of`: (name, SQL).
pub fn queries(
    backend: DatabaseBackend,
    semester_id: i64,
    week1_start: NaiveDate,
    as_of: NaiveDate,
) -> Vec<(&'static str, String)> {
    let pg = backend == DatabaseBackend::Postgres;
    let month = |col: &str| if pg { format!("to_char({col}, 'YYYY-MM')") } else { format!("strftime('%Y-%m', {col})") };
    let week = |col: &str| {
        if pg {
            format!("(({col} - DATE '{week1_start}') / 7)")
        } else {
            format!("CAST((julianday({col}) - julianday('{week1_start}')) / 7 AS INTEGER)")
        }
    };
    let (s, a) = (semester_id, as_of);
    let held = format!(
        "a.semester_id = {s} AND a.archived_at IS NULL AND a.status IN ('held', 'archived') AND a.date <= '{a}'"
    );
    vec![
        (
            "observations per observer, month and lesson kind",
            format!(
                "SELECT o.observer_teacher_id, {m} AS month, o.lesson_kind, COUNT(*) AS n, \
                 SUM(CASE WHEN o.critique_given THEN 1 ELSE 0 END) AS critiques \
                 FROM observations o WHERE o.semester_id = {s} AND o.archived_at IS NULL AND o.observed_on <= '{a}' \
                 GROUP BY o.observer_teacher_id, {m}, o.lesson_kind",
                m = month("o.observed_on")
            ),
        ),
        (
            "records per author, kind and month (words, hours)",
            format!(
                "SELECT r.author_teacher_id, r.kind, {m} AS month, COUNT(*) AS n, SUM(r.word_count) AS words, \
                 SUM(r.hours) AS hours FROM records r \
                 WHERE r.semester_id = {s} AND r.archived_at IS NULL AND r.written_on <= '{a}' \
                 GROUP BY r.author_teacher_id, r.kind, {m}",
                m = month("r.written_on")
            ),
        ),
        (
            "attendance per teacher, status and expected",
            format!(
                "SELECT p.teacher_id, p.status, p.expected, COUNT(*) AS n FROM activity_participants p \
                 JOIN activities a ON a.id = p.activity_id WHERE {held} \
                 GROUP BY p.teacher_id, p.status, p.expected"
            ),
        ),
        (
            "lessons given per teacher and kind",
            format!(
                "SELECT l.teacher_id, l.lesson_kind, COUNT(*) AS n FROM activity_lessons l \
                 JOIN activities a ON a.id = l.activity_id WHERE {held} \
                 GROUP BY l.teacher_id, l.lesson_kind"
            ),
        ),
        (
            "activities held per group, type, modality and month",
            format!(
                "SELECT a.group_id, a.activity_type, a.modality, {m} AS month, COUNT(*) AS n FROM activities a \
                 WHERE {held} AND a.group_id IS NOT NULL GROUP BY a.group_id, a.activity_type, a.modality, {m}",
                m = month("a.date")
            ),
        ),
        (
            "mentor's observations of the mentee per pair and week",
            format!(
                "SELECT m.id, {w} AS week, COUNT(*) AS n FROM mentorships m \
                 JOIN observations o ON o.observer_teacher_id = m.mentor_teacher_id \
                 AND o.observed_teacher_id = m.mentee_teacher_id \
                 WHERE m.archived_at IS NULL AND o.semester_id = {s} AND o.archived_at IS NULL \
                 AND o.observed_on <= '{a}' GROUP BY m.id, {w}",
                w = week("o.observed_on")
            ),
        ),
    ]
    .into_iter()
    .chain(preparation_queries(backend, semester_id, as_of))
    .collect()
}

/// The collective-preparation aggregates (集体备课) for `semester_id` as of `as_of`: (name, SQL).
fn preparation_queries(backend: DatabaseBackend, s: i64, a: NaiveDate) -> Vec<(&'static str, String)> {
    let pg = backend == DatabaseBackend::Postgres;
    let month = |col: &str| if pg { format!("to_char({col}, 'YYYY-MM')") } else { format!("strftime('%Y-%m', {col})") };
    vec![
        (
            "drafts submitted per lead, lateness and month",
            format!(
                "SELECT p.lead_teacher_id, p.draft_late, {m} AS month, COUNT(*) AS n FROM preparations p \
                 WHERE p.semester_id = {s} AND p.archived_at IS NULL AND p.draft_submitted_on <= '{a}' \
                 GROUP BY p.lead_teacher_id, p.draft_late, {m}",
                m = month("p.draft_submitted_on")
            ),
        ),
        (
            "revision notes per co-preparer and month",
            format!(
                "SELECT n.teacher_id, {m} AS month, COUNT(*) AS n FROM preparation_notes n \
                 JOIN preparations p ON p.id = n.preparation_id \
                 WHERE p.semester_id = {s} AND p.archived_at IS NULL AND n.written_on <= '{a}' \
                 GROUP BY n.teacher_id, {m}",
                m = month("n.written_on")
            ),
        ),
        (
            "preparations per group, completed or not, and month",
            format!(
                "SELECT p.group_id, {m} AS month, COUNT(*) AS n, \
                 SUM(CASE WHEN p.completed_on IS NOT NULL THEN 1 ELSE 0 END) AS completed FROM preparations p \
                 WHERE p.semester_id = {s} AND p.archived_at IS NULL AND p.session_on <= '{a}' \
                 GROUP BY p.group_id, {m}",
                m = month("p.session_on")
            ),
        ),
    ]
}

/// Runs every aggregate `runs` times.
pub async fn run(
    db: &DatabaseConnection,
    semester_id: i64,
    as_of: NaiveDate,
    runs: usize,
) -> anyhow::Result<Reference> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT CAST(week1_start AS TEXT) AS w FROM semesters WHERE id = {semester_id}"),
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no semester {semester_id}"))?;
    let week1: String = row.try_get("", "w")?;
    let week1: NaiveDate = week1.get(..10).unwrap_or(&week1).parse()?;
    let list = queries(backend, semester_id, week1, as_of);
    let mut best: Vec<Option<Timed>> = vec![None; list.len()];
    let mut totals = Vec::new();
    for _ in 0..runs.max(1) {
        let mut total = 0.0;
        for (i, (name, sql)) in list.iter().enumerate() {
            let started = Instant::now();
            let rows = db.query_all_raw(Statement::from_string(backend, sql.clone())).await?;
            let seconds = started.elapsed().as_secs_f64();
            total += seconds;
            if best[i].as_ref().is_none_or(|b| seconds < b.seconds) {
                best[i] = Some(Timed { name, rows: rows.len(), seconds });
            }
        }
        totals.push(total);
    }
    Ok(Reference {
        best_total_seconds: totals.iter().copied().fold(f64::INFINITY, f64::min),
        runs: totals,
        queries: best.into_iter().flatten().collect(),
    })
}
