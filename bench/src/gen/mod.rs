//! The generator: fills an empty, migrated database with a county of `schools` × `teachers_per_school`
//! teachers and their autumn semester of work, deterministically from a seed, with multi-row
//! INSERTs and explicit ids (1, 2, ... in every table).
//!
//! The change-log triggers stay on (every row takes a change version, as any write does).

mod calendar;
mod insert;
mod roster;
mod roster_rows;
mod work;

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait};

pub use calendar::{autumn, spring, Semester};
pub use roster::{Roster, SUBJECTS};

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub schools: usize,
    pub teachers_per_school: usize,
    pub seed: u64,
    /// Multiplies the number of observations, records and activities (the roster stays the
    /// same): a test can have a big roster with little work.
    pub work_scale: f64,
    /// Activities after this day are `scheduled`; nothing else is dated after it. Default: the
    /// autumn semester's last day.
    pub until: Option<NaiveDate>,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions { schools: 100, teachers_per_school: 60, seed: 7, work_scale: 1.0, until: None }
    }
}

/// What was generated.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GenSummary {
    /// Rows per table.
    pub counts: BTreeMap<String, u64>,
    /// Live memberships on the autumn semester's first day.
    pub live_memberships_at_start: u64,
    pub district_id: i64,
    pub autumn_semester_id: i64,
    pub spring_semester_id: i64,
    pub zone_ids: Vec<i64>,
    /// The first few schools (the first is a zone's lead school).
    pub school_ids: Vec<i64>,
    pub until: NaiveDate,
    pub seconds: f64,
}

pub const DISTRICT_ID: i64 = 1;
pub const AUTUMN_ID: i64 = 1;
pub const SPRING_ID: i64 = 2;

/// A UTC timestamp on `day` at `hour`:`minute` UTC.
pub(crate) fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(hour, minute % 60, 0).expect("a valid time")))
}

/// Every table the generator writes with an `id` column, in writing order.
const TABLES_WITH_ID: &[&str] = &[
    "districts",
    "zones",
    "schools",
    "semesters",
    "teachers",
    "teacher_honours",
    "groups",
    "group_memberships",
    "mentorships",
    "activities",
    "activity_lessons",
    "activity_participants",
    "observations",
    "records",
    "preparations",
    "preparation_participants",
    "preparation_notes",
];

/// Fills `db` (migrated, without any district) with a generated county.
pub async fn generate(db: &DatabaseConnection, opts: &GenOptions) -> anyhow::Result<GenSummary> {
    let started = Instant::now();
    if opts.schools == 0 || opts.teachers_per_school < 8 {
        bail!("the generator needs at least 1 school and 8 teachers per school");
    }
    if !(opts.work_scale >= 0.0 && opts.work_scale.is_finite()) {
        bail!("work_scale must be a finite number ≥ 0");
    }
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(backend, "SELECT COUNT(*) AS n FROM districts"))
        .await
        .context("the database must be migrated first")?
        .context("a count")?;
    let districts: i64 = row.try_get("", "n")?;
    if districts > 0 {
        bail!("the database already has {districts} district(s): the generator fills an empty database only");
    }
    let autumn = autumn();
    let until = opts.until.unwrap_or(autumn.end);
    if until < autumn.start {
        bail!("until ({until}) is before the autumn semester starts ({})", autumn.start);
    }
    let roster = roster::build(opts.seed, opts.schools, opts.teachers_per_school, &autumn);
    let mut counts = BTreeMap::new();

    let txn = db.begin().await?;
    for batch in roster_rows::write(&txn, &roster).await? {
        counts.insert(batch.table().to_string(), batch.written);
    }
    txn.commit().await?;

    let ctx = work::Work::new(&roster, opts, &autumn, until);
    for part in [work::Part::Activities, work::Part::Observations, work::Part::Records, work::Part::Preparations] {
        let txn = db.begin().await?;
        for (table, n) in ctx.write(&txn, part).await? {
            counts.insert(table.to_string(), n);
        }
        txn.commit().await?;
    }

    if backend == DatabaseBackend::Postgres {
        for table in TABLES_WITH_ID {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))"
            ))
            .await?;
        }
        // Planner statistics for the bulk-loaded tables now, as autovacuum would do a little
        // later: measurements must not depend on when it wakes up. (SQLite keeps no statistics
        // unless the application runs ANALYZE, which the service does not.)
        db.execute_unprepared("ANALYZE").await?;
    }
    let live = roster.groups.iter().map(|g| g.members_on(autumn.start).count() as u64).sum();
    Ok(GenSummary {
        counts,
        live_memberships_at_start: live,
        district_id: DISTRICT_ID,
        autumn_semester_id: AUTUMN_ID,
        spring_semester_id: SPRING_ID,
        zone_ids: (1..=roster.zones.len() as i64).collect(),
        school_ids: roster.schools.iter().take(5).map(|s| s.id).collect(),
        until,
        seconds: started.elapsed().as_secs_f64(),
    })
}

macro_rules! row {
    ($($v:expr),+ $(,)?) => { vec![$(sea_orm::Value::from($v)),+] };
}
pub(crate) use row;

const NO_I64: Option<i64> = None;
const NO_STR: Option<String> = None;
const NO_TIME: Option<DateTime<Utc>> = None;
const NO_DATE: Option<NaiveDate> = None;
