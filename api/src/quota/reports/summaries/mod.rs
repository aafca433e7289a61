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

use actix_web::{get, web, HttpResponse};
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
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::common::{attendance_per_school, average, held, ids_of, join_on, teacher_names, window, Window};
use super::table::{rate_cell, respond, Bilingual, Cell, Column, Lang, Output, Report, ReportFormat, Table};
use crate::activities::attendance::rules::AttendanceCounts;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::org::districts::load_district;
use crate::org::schools::load_school;
use crate::quota::checks::engine::CheckItem;
use crate::quota::checks::service::{results_for, Request};
use crate::quota::checks::subjects::Target;
use crate::quota::evaluate::Status;
use crate::quota::rules::SubjectType;
use crate::state::{AppState, State};

mod excellent;
mod mentorships;

pub use excellent::{compliance_by_group, rank_groups, Compliance, GroupOutput, RankedGroup};
use excellent::{excellent_groups_table, group_compliance, group_outputs};
use mentorships::mentorship_tables;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(school_summary).service(district_summary);
}

/// Hours in a training day (person-days = hours / 8).
pub const HOURS_PER_DAY: f64 = 8.0;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// The semester summarised (one of the district's).
    /// Default: the district's semester containing `as_of` (a 422 on `semester_id` when none
    /// does).
    pub semester_id: Option<i64>,
    /// Count what happened up to this day (default: today, UTC+8).
    pub as_of: Option<NaiveDate>,
    /// `json` (default), `csv` (one table, see `table`) or `xlsx` (a sheet per table).
    pub format: Option<ReportFormat>,
    /// Headers and titles in English (`en`, default) or Chinese (`zh`).
    pub lang: Option<Lang>,
    /// With `format=csv`: the table to export (default the first): `schools`, `lessons`,
    /// `papers_awards`, `mentorships`, `excellent_groups`, and for a school
    /// `observations_by_teacher`.
    pub table: Option<String>,
}

/// The per-school figures of the `schools` table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchoolFigures {
    pub teachers: i64,
    pub observations: i64,
    pub lessons: i64,
    pub attendance: AttendanceCounts,
    pub papers: i64,
    pub awards: i64,
    pub training_records: i64,
    pub training_hours: f64,
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
) -> ApiResult<BTreeMap<i64, SchoolFigures>> {
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
    Ok(figures)
}

fn person_days(hours: f64) -> f64 {
    (hours / HOURS_PER_DAY * 10.0).round() / 10.0
}

fn schools_table(scope: &Scope, figures: &BTreeMap<i64, SchoolFigures>) -> Table {
    let mut table = Table::new(
        "schools",
        Bilingual::new("Schools", "各校汇总"),
        vec![
            Column::new("school_id", "School id", "学校编号"),
            Column::new("school", "School", "学校"),
            Column::new("teachers", "Teachers", "在岗教师数"),
            Column::new("observations", "Observations made", "听课总节数"),
            Column::new("observations_per_teacher", "Observations per teacher", "人均听课节数"),
            Column::new("lessons", "Lessons given", "上课节数"),
            Column::new("attendance_expected", "Expected at activities", "活动应到人次"),
            Column::new("attendance_attended", "Attended", "活动实到人次"),
            Column::new("attendance_rate", "Attendance rate", "参与教研活动率"),
            Column::new("papers", "Papers", "论文篇数"),
            Column::new("awards", "Awards", "获奖项数"),
            Column::new("training_person_times", "Training person-times", "培训人次"),
            Column::new("training_hours", "Training hours", "培训学时"),
            Column::new("training_person_days", "Training person-days", "培训人天"),
        ],
    );
    for (id, name) in &scope.schools {
        let f = figures.get(id).cloned().unwrap_or_default();
        table.push(vec![
            (*id).into(),
            name.clone().into(),
            f.teachers.into(),
            f.observations.into(),
            average(f.observations, f.teachers).into(),
            f.lessons.into(),
            f.attendance.expected.into(),
            f.attendance.attended.into(),
            rate_cell(f.attendance.rate),
            f.papers.into(),
            f.awards.into(),
            f.training_records.into(),
            f.training_hours.into(),
            person_days(f.training_hours).into(),
        ]);
    }
    table
}

/// Lessons by subject (rows) and lesson kind (columns).
async fn lessons_table(db: &impl ConnectionTrait, scope: &[i64], window: Window) -> ApiResult<Table> {
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

/// 课型 in Chinese, for the column headers of the lessons table.
fn lesson_kind_zh(kind: LessonKind) -> &'static str {
    match kind {
        LessonKind::Unannounced => "推门课",
        LessonKind::DropIn => "随堂课",
        LessonKind::Ordinary => "常态课",
        LessonKind::Open => "公开课",
        LessonKind::Demo => "示范课",
        LessonKind::Research => "研究课",
        LessonKind::Report => "汇报课",
        LessonKind::Showcase => "展示课",
        LessonKind::Competition => "赛课",
    }
}

/// Papers (no level) and awards by level and rank.
async fn papers_awards_table(db: &impl ConnectionTrait, scope: &[i64], window: Window) -> ApiResult<Table> {
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

async fn observations_by_teacher_table(db: &impl ConnectionTrait, scope: &[i64], window: Window) -> ApiResult<Table> {
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
) -> ApiResult<Vec<Table>> {
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

/// A school's semester summary (JSON, CSV or XLSX).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "School id"), SummaryQuery),
    responses(
        (status = 200, description = "The school's summary", content(
            (super::table::ReportView = "application/json"),
            (inline(super::table::BinaryFile) = "text/csv"),
            (inline(super::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The caller sees the school but does not administer it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such school, or not within the caller's reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown semester (or none containing `as_of`), format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/schools/{id}/summary")]
pub async fn school_summary(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<SummaryQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.0;
    let school = load_school(state.reads(), &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(school.district_id, school.id), "read this school's summary")?;
    let (window, semester) = window(state.reads(), school.district_id, query.semester_id, query.as_of).await?;
    let scope = Scope {
        district_id: school.district_id,
        schools: vec![(school.id, school.name.clone())],
        district_groups: false,
    };
    let mut report = Report::new(
        Bilingual::new(format!("School summary: {}", school.name), format!("{}教研工作汇总", school.name)),
        format!("school-{}-summary", school.id),
    )
    .meta("school_id", school.id)
    .meta("semester_id", window.semester_id)
    .meta("as_of", window.as_of);
    report.tables = build(&state, &scope, window, &semester, true).await?;
    respond(&report, &Output::new(query.format, query.lang, query.table))
}

/// A district's semester summary over its live schools (JSON, CSV or XLSX).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "District id"), SummaryQuery),
    responses(
        (status = 200, description = "The district's summary", content(
            (super::table::ReportView = "application/json"),
            (inline(super::table::BinaryFile) = "text/csv"),
            (inline(super::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The caller sees the district but is not its administrator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such district, or not within the caller's reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown semester (or none containing `as_of`), format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/districts/{id}/summary")]
pub async fn district_summary(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<SummaryQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.0;
    let district = load_district(state.reads(), &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(district.id), "read the district's summary")?;
    let (window, semester) = window(state.reads(), district.id, query.semester_id, query.as_of).await?;
    let schools: Vec<(i64, String)> = school::Entity::find()
        .select_only()
        .column(school::Column::Id)
        .column(school::Column::Name)
        .filter(school::Column::DistrictId.eq(district.id))
        .filter(school::Column::ArchivedAt.is_null())
        .order_by_asc(school::Column::Name)
        .order_by_asc(school::Column::Id)
        .into_tuple()
        .all(state.reads())
        .await?;
    let scope = Scope { district_id: district.id, schools, district_groups: true };
    let mut report = Report::new(
        Bilingual::new(format!("District summary: {}", district.name), format!("{}教研工作汇总", district.name)),
        format!("district-{}-summary", district.id),
    )
    .meta("district_id", district.id)
    .meta("semester_id", window.semester_id)
    .meta("as_of", window.as_of);
    report.tables = build(&state, &scope, window, &semester, false).await?;
    respond(&report, &Output::new(query.format, query.lang, query.table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_days_are_eight_hours() {
        assert_eq!(person_days(12.0), 1.5);
        assert_eq!(person_days(0.0), 0.0);
        assert_eq!(person_days(10.0), 1.3);
    }
}
