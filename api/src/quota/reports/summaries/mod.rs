//! School and district summaries (学期教研工作汇总): per school, teachers, observations made (and
//! per teacher), lessons given, attendance, papers, awards and training; lessons by subject and
//! lesson kind; papers and awards by level and rank; mentorship pairs and their observations; the
//! "excellent group" shortlist; and for a school, the observations of each of its teachers.
//!
//! Every figure comes from a GROUP BY query over the whole scope (a school, or every live school
//! of the district), never from a loop over teachers. What is counted, in the semester and on or
//! before `as_of`:
//! - teachers: active, non-archived teachers (the population of the teacher statistics);
//! - observations: live observations made by those teachers (by `observed_on`), grouped by the
//!   observer's current school;
//! - lessons: lessons given at held (or filed) live activities (by the activity's date) by any
//!   teacher of the school, whatever the activity's organiser;
//! - attendance: expected participants of held activities who are teachers of the school, with
//!   `activities::attendance::rules::attendance_rate`;
//! - papers, awards, training: live records of the school (`records.school_id`) by `written_on`;
//!   papers have no level, awards are counted by `award_level` × `award_rank`;
//! - training: person-times = training records, person-days = their hours / 8 (an eight-hour
//!   training day, as the district's continuing-education credits count; the records model has
//!   hours, not days), rounded to one decimal on the total, never per record;
//! - mentorship pairs that cover the semester (start semester starting no later, end semester
//!   ending no earlier), not archived, by status, with live observations each way between the two
//!   teachers in the semester;
//! - excellent groups: see [`rank_groups`].
//!
//! School summary: the school's administrators and the district's; district summary: the
//! district's administrators. Others who see the school or district get 403, the rest 404.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entities::enums::{GroupKind, LessonKind, MentorshipStatus, RecordKind, TeacherStatus};
use entities::{
    activity, activity_lesson, group, group_membership, mentorship, observation, record, school, semester, teacher,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Iterable, JoinType, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::common::{attendance_per_school, held, ids_of, join_on, teacher_names, Window};
use super::table::{Bilingual, Cell, Column, Table};
use crate::domain::DomainResult;
use crate::quota::checks::engine::CheckItem;
use crate::quota::checks::service::{results_for, Request};
use crate::quota::checks::subjects::Target;
use crate::quota::evaluate::Status;
use crate::quota::rules::SubjectType;
use crate::state::AppState;

mod excellent;
mod handlers;
mod mentorships;
pub mod rules;
pub mod views;

pub use excellent::{compliance_by_group, rank_groups, Compliance, GroupOutput, RankedGroup};
use excellent::{excellent_groups_table, group_compliance, group_outputs};
use mentorships::mentorship_tables;
use rules::{lesson_kind_zh, schools_table};
pub use rules::{person_days, SchoolFigures, HOURS_PER_DAY};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::school_summary).service(handlers::district_summary);
}

/// Whose summary: a school, or every live school of a district (with its district teams).
struct Scope {
    district_id: i64,
    /// `(id, name)` in name order.
    schools: Vec<(i64, String)>,
    /// Include district teams (中心组, no school) among the groups.
    district_groups: bool,
}

impl Scope {
    fn ids(&self) -> Vec<i64> {
        self.schools.iter().map(|(id, _)| *id).collect()
    }
}

fn n(value: Option<i64>) -> i64 {
    value.unwrap_or(0)
}

/// `(school_id, n)` rows into a map.
fn by_school(rows: Vec<(i64, i64)>) -> BTreeMap<i64, i64> {
    rows.into_iter().collect()
}

/// The live records of the scope's schools in the window.
fn records_in(scope: &[i64], window: Window) -> sea_orm::Select<record::Entity> {
    record::Entity::find()
        .filter(record::Column::SchoolId.is_in(scope.iter().copied()))
        .filter(record::Column::SemesterId.eq(window.semester_id))
        .filter(record::Column::ArchivedAt.is_null())
        .filter(record::Column::WrittenOn.lte(window.as_of))
}

/// Active, non-archived teachers of the scope.
fn teachers_in(scope: &[i64]) -> sea_orm::Select<teacher::Entity> {
    teacher::Entity::find()
        .filter(teacher::Column::SchoolId.is_in(scope.iter().copied()))
        .filter(teacher::Column::Status.eq(TeacherStatus::Active))
        .filter(teacher::Column::ArchivedAt.is_null())
}

/// Live observations in the window made by the scope's active teachers.
fn observations_in(scope: &[i64], window: Window) -> sea_orm::Select<observation::Entity> {
    let observers = teachers_in(scope).select_only().column(teacher::Column::Id).into_query();
    observation::Entity::find()
        .filter(observation::Column::ObserverTeacherId.in_subquery(observers))
        .filter(observation::Column::SemesterId.eq(window.semester_id))
        .filter(observation::Column::ArchivedAt.is_null())
        .filter(observation::Column::ObservedOn.lte(window.as_of))
}

/// Lessons given in the window at held activities by teachers of the scope (joined to teachers).
fn lessons_in(scope: &[i64], window: Window) -> sea_orm::Select<activity_lesson::Entity> {
    activity_lesson::Entity::find()
        .join(
            JoinType::InnerJoin,
            join_on::<activity_lesson::Entity, teacher::Entity>(
                activity_lesson::Column::TeacherId,
                teacher::Column::Id,
            ),
        )
        .filter(activity_lesson::Column::ActivityId.in_subquery(ids_of(held(window))))
        .filter(teacher::Column::SchoolId.is_in(scope.iter().copied()))
}

async fn school_figures(
    db: &impl ConnectionTrait,
    scope: &[i64],
    window: Window,
) -> DomainResult<BTreeMap<i64, SchoolFigures>> {
    let teachers = by_school(
        teachers_in(scope)
            .select_only()
            .column(teacher::Column::SchoolId)
            .column_as(teacher::Column::Id.count(), "n")
            .group_by(teacher::Column::SchoolId)
            .into_tuple()
            .all(db)
            .await?,
    );
    let observations = by_school(
        observations_in(scope, window)
            .join(
                JoinType::InnerJoin,
                join_on::<observation::Entity, teacher::Entity>(
                    observation::Column::ObserverTeacherId,
                    teacher::Column::Id,
                ),
            )
            .select_only()
            .column(teacher::Column::SchoolId)
            .column_as(observation::Column::Id.count(), "n")
            .group_by(teacher::Column::SchoolId)
            .into_tuple()
            .all(db)
            .await?,
    );
    let lessons = by_school(
        lessons_in(scope, window)
            .select_only()
            .column(teacher::Column::SchoolId)
            .column_as(activity_lesson::Column::Id.count(), "n")
            .group_by(teacher::Column::SchoolId)
            .into_tuple()
            .all(db)
            .await?,
    );
    let mut attendance = attendance_per_school(db, ids_of(held(window)), scope).await?;
    let mut figures: BTreeMap<i64, SchoolFigures> = scope
        .iter()
        .map(|&id| {
            let f = SchoolFigures {
                teachers: n(teachers.get(&id).copied()),
                observations: n(observations.get(&id).copied()),
                lessons: n(lessons.get(&id).copied()),
                attendance: attendance.remove(&id).unwrap_or_default(),
                ..SchoolFigures::default()
            };
            (id, f)
        })
        .collect();
    add_records(db, scope, window, &mut figures).await?;
    Ok(figures)
}

/// Adds each school's papers, awards and training (records and hours) to its figures.
async fn add_records(
    db: &impl ConnectionTrait,
    scope: &[i64],
    window: Window,
    figures: &mut BTreeMap<i64, SchoolFigures>,
) -> DomainResult<()> {
    let records: Vec<(i64, RecordKind, i64, Option<f64>)> = records_in(scope, window)
        .select_only()
        .column(record::Column::SchoolId)
        .column(record::Column::Kind)
        .column_as(record::Column::Id.count(), "n")
        .column_as(record::Column::Hours.sum(), "hours")
        .filter(record::Column::Kind.is_in([RecordKind::Paper, RecordKind::Award, RecordKind::Training]))
        .group_by(record::Column::SchoolId)
        .group_by(record::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    for (school_id, kind, count, hours) in records {
        let Some(f) = figures.get_mut(&school_id) else { continue };
        match kind {
            RecordKind::Paper => f.papers += count,
            RecordKind::Award => f.awards += count,
            RecordKind::Training => {
                f.training_records += count;
                f.training_hours += hours.unwrap_or(0.0);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Lessons by subject (rows) and lesson kind (columns).
async fn lessons_table(db: &impl ConnectionTrait, scope: &[i64], window: Window) -> DomainResult<Table> {
    let rows: Vec<(String, LessonKind, i64)> = lessons_in(scope, window)
        .select_only()
        .column(activity_lesson::Column::Subject)
        .column(activity_lesson::Column::LessonKind)
        .column_as(activity_lesson::Column::Id.count(), "n")
        .group_by(activity_lesson::Column::Subject)
        .group_by(activity_lesson::Column::LessonKind)
        .into_tuple()
        .all(db)
        .await?;
    let kinds: Vec<LessonKind> = LessonKind::iter().collect();
    let mut columns = vec![Column::new("subject", "Subject", "学科")];
    columns.extend(kinds.iter().map(|k| Column::new(k.code(), k.code(), lesson_kind_zh(*k))));
    columns.push(Column::new("total", "Total", "合计"));
    let mut table =
        Table::new("lessons", Bilingual::new("Lessons given by subject and kind", "上课情况（按学科、课型）"), columns);
    let mut per_subject: BTreeMap<String, BTreeMap<LessonKind, i64>> = BTreeMap::new();
    for (subject, kind, count) in rows {
        *per_subject.entry(subject).or_default().entry(kind).or_default() += count;
    }
    for (subject, counts) in per_subject {
        let mut row: Vec<Cell> = vec![subject.into()];
        row.extend(kinds.iter().map(|k| Cell::from(counts.get(k).copied().unwrap_or(0))));
        row.push(counts.values().sum::<i64>().into());
        table.push(row);
    }
    Ok(table)
}

/// Papers (no level) and awards by level and rank.
async fn papers_awards_table(db: &impl ConnectionTrait, scope: &[i64], window: Window) -> DomainResult<Table> {
    let rows: Vec<(RecordKind, Option<String>, Option<String>, i64)> = records_in(scope, window)
        .select_only()
        .column(record::Column::Kind)
        .column(record::Column::AwardLevel)
        .column(record::Column::AwardRank)
        .column_as(record::Column::Id.count(), "n")
        .filter(record::Column::Kind.is_in([RecordKind::Paper, RecordKind::Award]))
        .group_by(record::Column::Kind)
        .group_by(record::Column::AwardLevel)
        .group_by(record::Column::AwardRank)
        .order_by_asc(record::Column::Kind)
        .order_by_asc(record::Column::AwardLevel)
        .order_by_asc(record::Column::AwardRank)
        .into_tuple()
        .all(db)
        .await?;
    let mut table = Table::new(
        "papers_awards",
        Bilingual::new("Papers and awards by level and rank", "论文与获奖（按级别、等次）"),
        vec![
            Column::new("kind", "Kind", "类别"),
            Column::new("level", "Level", "级别"),
            Column::new("rank", "Rank", "等次"),
            Column::new("count", "Count", "数量"),
        ],
    );
    for (kind, level, rank, count) in rows {
        table.push(vec![kind.code().into(), level.into(), rank.into(), count.into()]);
    }
    Ok(table)
}

async fn observations_by_teacher_table(
    db: &impl ConnectionTrait,
    scope: &[i64],
    window: Window,
) -> DomainResult<Table> {
    let teachers: Vec<(i64, String)> = teachers_in(scope)
        .select_only()
        .column(teacher::Column::Id)
        .column(teacher::Column::Name)
        .order_by_asc(teacher::Column::Name)
        .order_by_asc(teacher::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let counts: BTreeMap<i64, i64> = observations_in(scope, window)
        .select_only()
        .column(observation::Column::ObserverTeacherId)
        .column_as(observation::Column::Id.count(), "n")
        .group_by(observation::Column::ObserverTeacherId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut table = Table::new(
        "observations_by_teacher",
        Bilingual::new("Observations made per teacher", "教师听课情况"),
        vec![
            Column::new("teacher_id", "Teacher id", "教师编号"),
            Column::new("teacher", "Teacher", "教师"),
            Column::new("observations", "Observations made", "听课节数"),
        ],
    );
    for (id, name) in teachers {
        table.push(vec![id.into(), name.into(), n(counts.get(&id).copied()).into()]);
    }
    Ok(table)
}

async fn build(
    state: &AppState,
    scope: &Scope,
    window: Window,
    semester: &semester::Model,
    per_teacher: bool,
) -> DomainResult<Vec<Table>> {
    let db = state.reads();
    let ids = scope.ids();
    let figures = school_figures(db, &ids, window).await?;
    let (mentorships, pairs) = mentorship_tables(db, scope, window, semester).await?;
    let mut outputs = group_outputs(db, scope, window).await?;
    let compliance = group_compliance(state, scope, window, semester, &outputs).await?;
    for output in &mut outputs {
        output.compliance = compliance.get(&output.group_id).copied();
    }
    let ranked = rank_groups(outputs);
    let mut tables = vec![
        schools_table(scope, &figures),
        lessons_table(db, &ids, window).await?,
        papers_awards_table(db, &ids, window).await?,
        mentorships,
        pairs,
        excellent_groups_table(&ranked),
    ];
    if per_teacher {
        tables.push(observations_by_teacher_table(db, &ids, window).await?);
    }
    Ok(tables)
}

/// The district's live schools, `(id, name)` in name order.
async fn live_schools(db: &impl ConnectionTrait, district_id: i64) -> DomainResult<Vec<(i64, String)>> {
    Ok(school::Entity::find()
        .select_only()
        .column(school::Column::Id)
        .column(school::Column::Name)
        .filter(school::Column::DistrictId.eq(district_id))
        .filter(school::Column::ArchivedAt.is_null())
        .order_by_asc(school::Column::Name)
        .order_by_asc(school::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
