//! The generator: fills an empty, migrated database with a county of `schools` × `teachers_per_school`
//! teachers and their autumn semester of work, deterministically from a seed, with multi-row
//! INSERTs and explicit ids (1, 2, ... in every table).
//!
//! The change-log triggers stay on (every row takes a change version, as any write does).

mod calendar;
mod insert;
mod roster;
mod work;

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait, Value};
use serde_json::json;

pub use calendar::{autumn, spring, Semester};
use insert::Batch;
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
    for batch in write_roster(&txn, &roster).await? {
        counts.insert(batch.table().to_string(), batch.written);
    }
    txn.commit().await?;

    let ctx = work::Work::new(&roster, opts, &autumn, until);
    for part in [work::Part::Activities, work::Part::Observations, work::Part::Records] {
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

async fn write_roster(db: &impl ConnectionTrait, r: &Roster) -> anyhow::Result<Vec<Batch>> {
    let t0 = at(calendar::date(2026, 8, 25), 1, 0);
    let mut district = Batch::new("districts", &["id", "name", "code", "created_at", "updated_at", "archived_at"]);
    district.push(db, row![DISTRICT_ID, "罗田县（生成）", Some("421123-G".to_string()), t0, t0, NO_TIME]).await?;
    district.flush(db).await?;

    // Zones before schools (their lead school is set once the schools exist).
    let mut zones = Batch::new(
        "zones",
        &["id", "district_id", "name", "lead_school_id", "sourced_id", "created_at", "updated_at", "archived_at"],
    );
    for (i, (name, _)) in r.zones.iter().enumerate() {
        zones.push(db, row![i as i64 + 1, DISTRICT_ID, name.clone(), NO_I64, NO_STR, t0, t0, NO_TIME]).await?;
    }
    zones.flush(db).await?;
    let mut schools = Batch::new(
        "schools",
        &[
            "id",
            "district_id",
            "zone_id",
            "name",
            "tier",
            "code",
            "address",
            "sourced_id",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    for s in &r.schools {
        schools
            .push(
                db,
                row![
                    s.id,
                    DISTRICT_ID,
                    Some(s.zone as i64 + 1),
                    s.name.clone(),
                    s.tier.code(),
                    Some(format!("G{:04}", s.id)),
                    Some(s.address.clone()),
                    NO_STR,
                    t0,
                    t0,
                    NO_TIME
                ],
            )
            .await?;
    }
    schools.flush(db).await?;
    for (i, (_, lead)) in r.zones.iter().enumerate() {
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                DatabaseBackend::Postgres => "UPDATE zones SET lead_school_id = $1 WHERE id = $2",
                _ => "UPDATE zones SET lead_school_id = ? WHERE id = ?",
            },
            [Value::from(r.schools[*lead].id), Value::from(i as i64 + 1)],
        ))
        .await?;
    }

    let mut semesters = Batch::new(
        "semesters",
        &[
            "id",
            "district_id",
            "name",
            "school_year",
            "start_date",
            "end_date",
            "week1_start",
            "holidays",
            "sourced_id",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    for (id, s) in [(AUTUMN_ID, autumn()), (SPRING_ID, spring())] {
        semesters
            .push(
                db,
                row![
                    id,
                    DISTRICT_ID,
                    s.name,
                    calendar::SCHOOL_YEAR,
                    s.start,
                    s.end,
                    s.week1_start,
                    s.holidays_json(),
                    NO_STR,
                    t0,
                    t0,
                    NO_TIME
                ],
            )
            .await?;
    }
    semesters.flush(db).await?;

    let mut teachers = Batch::new(
        "teachers",
        &[
            "id",
            "school_id",
            "name",
            "gender",
            "birth_date",
            "teaching_start_year",
            "degree",
            "employment_type",
            "professional_title",
            "status",
            "external_id",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    let mut subjects = Batch::new("teacher_subjects", &["teacher_id", "subject", "created_at", "updated_at"]);
    let mut grades = Batch::new("teacher_grades", &["teacher_id", "grade", "created_at", "updated_at"]);
    let mut posts = Batch::new("teacher_posts", &["teacher_id", "post", "created_at", "updated_at"]);
    let mut honours =
        Batch::new("teacher_honours", &["id", "teacher_id", "title", "level", "year", "created_at", "updated_at"]);
    let mut honour_id = 0i64;
    for t in &r.teachers {
        teachers
            .push(
                db,
                row![
                    t.id,
                    r.schools[t.school].id,
                    t.name.clone(),
                    Some(t.gender.code()),
                    Some(t.birth_date),
                    Some(t.teaching_start_year),
                    Some(t.degree.code()),
                    t.employment_type.code(),
                    Some(t.title.code()),
                    t.status.code(),
                    Some(format!("GEN-T{:06}", t.id)),
                    t0,
                    t0,
                    NO_TIME
                ],
            )
            .await?;
    }
    teachers.flush(db).await?;
    for t in &r.teachers {
        for s in &t.subjects {
            subjects.push(db, row![t.id, *s, t0, t0]).await?;
        }
        for g in &t.grades {
            grades.push(db, row![t.id, *g, t0, t0]).await?;
        }
        for p in &t.posts {
            posts.push(db, row![t.id, p.code(), t0, t0]).await?;
        }
        for (title, level, year) in &t.honours {
            honour_id += 1;
            honours.push(db, row![honour_id, t.id, title.code(), level.code(), *year, t0, t0]).await?;
        }
    }
    for b in [&mut subjects, &mut grades, &mut posts, &mut honours] {
        b.flush(db).await?;
    }

    let mut groups = Batch::new(
        "groups",
        &[
            "id",
            "district_id",
            "school_id",
            "kind",
            "name",
            "subject",
            "grade_band",
            "parent_id",
            "leader_teacher_id",
            "description",
            "sourced_id",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    for g in &r.groups {
        groups
            .push(
                db,
                row![
                    g.id,
                    DISTRICT_ID,
                    g.school.map(|s| r.schools[s].id),
                    g.kind.code(),
                    g.name.clone(),
                    g.subject.map(str::to_string),
                    g.band.map(|b| b.code().to_string()),
                    g.parent,
                    g.leader.map(|t| r.teachers[t].id),
                    NO_STR,
                    NO_STR,
                    t0,
                    t0,
                    NO_TIME
                ],
            )
            .await?;
    }
    groups.flush(db).await?;
    let mut memberships = Batch::new(
        "group_memberships",
        &[
            "id",
            "group_id",
            "teacher_id",
            "role",
            "since",
            "until",
            "sourced_id",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    for g in &r.groups {
        for m in &g.members {
            let stamp = at(m.since.min(calendar::date(2026, 8, 28)), 1, 0).max(t0);
            let updated = m.until.map(|u| at(u, 2, 0)).unwrap_or(stamp);
            memberships
                .push(
                    db,
                    row![
                        m.id,
                        g.id,
                        r.teachers[m.teacher].id,
                        m.role.code(),
                        m.since,
                        m.until,
                        NO_STR,
                        stamp,
                        updated,
                        NO_TIME
                    ],
                )
                .await?;
        }
    }
    memberships.flush(db).await?;

    let mut pairs = Batch::new(
        "mentorships",
        &[
            "id",
            "district_id",
            "school_id",
            "mentor_teacher_id",
            "mentee_teacher_id",
            "start_semester_id",
            "end_semester_id",
            "start_date",
            "end_date",
            "agreement",
            "duties",
            "status",
            "grade_band_mismatch",
            "assessment_grade",
            "assessment_comment",
            "reward",
            "assessed_on",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    let duties = json!([
        "每周师傅听徒弟一节课",
        "每学期指导徒弟上一节有价值的研究课",
        "每学期至少相互随堂听课2节以上",
        "学期末徒弟上一节汇报课"
    ]);
    let (autumn, spring) = (autumn(), spring());
    for p in &r.pairs {
        // One pair in seven was formed in week 7 (a new teacher arrived): judged from then on.
        let start_date = if p.id % 7 == 0 { calendar::date(2026, 10, 12) } else { autumn.start };
        let end_date = if p.whole_year { spring.end } else { autumn.end };
        pairs
            .push(
                db,
                row![
                    p.id,
                    DISTRICT_ID,
                    r.schools[p.school].id,
                    r.teachers[p.mentor].id,
                    r.teachers[p.mentee].id,
                    AUTUMN_ID,
                    if p.whole_year { SPRING_ID } else { AUTUMN_ID },
                    start_date,
                    end_date,
                    Some("师徒结对协议：师傅每周听徒弟一节课，徒弟每学期上一节汇报课。".to_string()),
                    duties.clone(),
                    "active",
                    p.band_mismatch,
                    NO_STR,
                    NO_STR,
                    NO_STR,
                    NO_DATE,
                    t0,
                    t0,
                    NO_TIME
                ],
            )
            .await?;
    }
    pairs.flush(db).await?;
    Ok(vec![
        district,
        zones,
        schools,
        semesters,
        teachers,
        subjects,
        grades,
        posts,
        honours,
        groups,
        memberships,
        pairs,
    ])
}
