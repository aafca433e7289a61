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

use super::common::{
    attendance_per_school, average, held, ids_of, join_on, required_semester, teacher_names, window, Window,
};
use super::table::{rate_cell, respond, Bilingual, Cell, Column, Lang, Output, Report, ReportFormat, Table};
use crate::activities::attendance::rules::AttendanceCounts;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::org::districts::load_district;
use crate::org::schools::load_school;
use crate::quota::checks::engine::{CheckItem, Term};
use crate::quota::checks::service::{check_target, Request};
use crate::quota::checks::subjects::Target;
use crate::quota::evaluate::Status;
use crate::quota::rules::SubjectType;
use crate::state::State;

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
    /// Required.
    #[param(required = true)]
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

/// A group's output over the window, and its rule compliance.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupOutput {
    pub group_id: i64,
    pub name: String,
    pub kind: GroupKind,
    pub school: Option<String>,
    pub members: i64,
    pub activities_held: i64,
    pub lessons_given: i64,
    pub member_records: i64,
    /// The group's own quota checks (group rules that measure it) and how many of them are met
    /// or on track; `None` when no rule measures the group.
    pub compliance: Option<Compliance>,
}

/// How a group stands with the rules that measure it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compliance {
    pub checked: i64,
    /// Results `met` or `on_track`.
    pub in_good_standing: i64,
}

impl Compliance {
    /// The share in good standing, 0–1.
    pub fn share(&self) -> f64 {
        if self.checked > 0 {
            self.in_good_standing as f64 / self.checked as f64
        } else {
            1.0
        }
    }
}

/// Per group, its results of the checks engine: a result counts in the group's favour when it is
/// `met` or `on_track` (decided for it, or on course); `at_risk` and `short` count against it.
pub fn compliance_by_group(items: &[CheckItem]) -> BTreeMap<i64, Compliance> {
    let mut by_group: BTreeMap<i64, Compliance> = BTreeMap::new();
    for item in items.iter().filter(|i| i.subject.kind == SubjectType::Group) {
        let entry = by_group.entry(item.subject.id).or_insert(Compliance { checked: 0, in_good_standing: 0 });
        entry.checked += 1;
        if matches!(item.status, Status::Met | Status::OnTrack) {
            entry.in_good_standing += 1;
        }
    }
    by_group
}

/// A group with its place in the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedGroup {
    pub rank: usize,
    /// 0–100.
    pub score: f64,
    pub output: GroupOutput,
}

/// Ranks groups by output (优秀教研组 shortlist): each component is scaled to 0–1 against the best
/// group of the scope — activities held, lessons given at the group's activities, and member
/// records per member (so that large groups do not win on headcount alone) — plus, for a group
/// that rules measure, the share of its quota checks met or on track; the score is their mean ×
/// 100, rounded to 1 decimal. Ties: more activities, more lessons, then name and id.
pub fn rank_groups(groups: Vec<GroupOutput>) -> Vec<RankedGroup> {
    let per_member = |g: &GroupOutput| if g.members > 0 { g.member_records as f64 / g.members as f64 } else { 0.0 };
    let max = |f: &dyn Fn(&GroupOutput) -> f64| groups.iter().map(f).fold(0.0_f64, f64::max);
    let max_activities = max(&|g| g.activities_held as f64);
    let max_lessons = max(&|g| g.lessons_given as f64);
    let max_records = max(&per_member);
    let scaled = |value: f64, best: f64| if best > 0.0 { value / best } else { 0.0 };
    let mut ranked: Vec<RankedGroup> = groups
        .into_iter()
        .map(|g| {
            let mut parts = vec![
                scaled(g.activities_held as f64, max_activities),
                scaled(g.lessons_given as f64, max_lessons),
                scaled(per_member(&g), max_records),
            ];
            if let Some(c) = g.compliance {
                parts.push(c.share().clamp(0.0, 1.0));
            }
            let score = parts.iter().sum::<f64>() / parts.len() as f64 * 100.0;
            RankedGroup { rank: 0, score: (score * 10.0).round() / 10.0, output: g }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.output.activities_held.cmp(&a.output.activities_held))
            .then(b.output.lessons_given.cmp(&a.output.lessons_given))
            .then(a.output.name.cmp(&b.output.name))
            .then(a.output.group_id.cmp(&b.output.group_id))
    });
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    ranked
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

/// A mentorship pair covering the semester, with its observations each way.
struct Pair {
    school_id: i64,
    mentor: i64,
    mentee: i64,
    status: MentorshipStatus,
    mentor_to_mentee: i64,
    mentee_to_mentor: i64,
}

async fn pairs(
    db: &impl ConnectionTrait,
    scope: &[i64],
    window: Window,
    semester: &semester::Model,
) -> ApiResult<Vec<Pair>> {
    let started_by = semester::Entity::find()
        .select_only()
        .column(semester::Column::Id)
        .filter(semester::Column::DistrictId.eq(semester.district_id))
        .filter(semester::Column::StartDate.lte(semester.start_date))
        .into_query();
    let ends_after = semester::Entity::find()
        .select_only()
        .column(semester::Column::Id)
        .filter(semester::Column::DistrictId.eq(semester.district_id))
        .filter(semester::Column::EndDate.gte(semester.end_date))
        .into_query();
    let covering = Condition::all()
        .add(mentorship::Column::SchoolId.is_in(scope.iter().copied()))
        .add(mentorship::Column::ArchivedAt.is_null())
        .add(mentorship::Column::StartSemesterId.in_subquery(started_by))
        .add(mentorship::Column::EndSemesterId.in_subquery(ends_after));
    let listed: Vec<(i64, i64, i64, i64, MentorshipStatus)> = mentorship::Entity::find()
        .select_only()
        .column(mentorship::Column::Id)
        .column(mentorship::Column::SchoolId)
        .column(mentorship::Column::MentorTeacherId)
        .column(mentorship::Column::MenteeTeacherId)
        .column(mentorship::Column::Status)
        .filter(covering.clone())
        .order_by_asc(mentorship::Column::SchoolId)
        .order_by_asc(mentorship::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    // Observations between each pair's two teachers, one GROUP BY per direction.
    let direction = |observer: mentorship::Column, observed: mentorship::Column| {
        observation::Entity::find()
            .join(
                JoinType::InnerJoin,
                observation::Entity::belongs_to(mentorship::Entity)
                    .from((observation::Column::ObserverTeacherId, observation::Column::ObservedTeacherId))
                    .to((observer, observed))
                    .into(),
            )
            .select_only()
            .column(mentorship::Column::Id)
            .column_as(observation::Column::Id.count(), "n")
            .filter(covering.clone())
            .filter(observation::Column::SemesterId.eq(window.semester_id))
            .filter(observation::Column::ArchivedAt.is_null())
            .filter(observation::Column::ObservedOn.lte(window.as_of))
            .group_by(mentorship::Column::Id)
    };
    let down: BTreeMap<i64, i64> = direction(mentorship::Column::MentorTeacherId, mentorship::Column::MenteeTeacherId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let up: BTreeMap<i64, i64> = direction(mentorship::Column::MenteeTeacherId, mentorship::Column::MentorTeacherId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(listed
        .into_iter()
        .map(|(id, school_id, mentor, mentee, status)| Pair {
            school_id,
            mentor,
            mentee,
            status,
            mentor_to_mentee: n(down.get(&id).copied()),
            mentee_to_mentor: n(up.get(&id).copied()),
        })
        .collect())
}

async fn mentorship_tables(
    db: &impl ConnectionTrait,
    scope: &Scope,
    window: Window,
    semester: &semester::Model,
) -> ApiResult<(Table, Table)> {
    let pairs = pairs(db, &scope.ids(), window, semester).await?;
    let school_names: BTreeMap<i64, &str> = scope.schools.iter().map(|(id, name)| (*id, name.as_str())).collect();
    let mut by_status = Table::new(
        "mentorships",
        Bilingual::new("Mentorship pairs by school and status", "师徒结对（按学校、状态）"),
        vec![
            Column::new("school", "School", "学校"),
            Column::new("status", "Status", "状态"),
            Column::new("pairs", "Pairs", "结对数"),
            Column::new("mentor_observations", "Mentor observed mentee", "师傅听徒弟课节数"),
            Column::new("mentee_observations", "Mentee observed mentor", "徒弟听师傅课节数"),
        ],
    );
    let mut totals: BTreeMap<(i64, MentorshipStatus), (i64, i64, i64)> = BTreeMap::new();
    for p in &pairs {
        let t = totals.entry((p.school_id, p.status)).or_default();
        t.0 += 1;
        t.1 += p.mentor_to_mentee;
        t.2 += p.mentee_to_mentor;
    }
    for (school_id, _) in &scope.schools {
        for status in MentorshipStatus::iter() {
            if let Some((count, down, up)) = totals.get(&(*school_id, status)) {
                by_status.push(vec![
                    school_names[school_id].into(),
                    status.code().into(),
                    (*count).into(),
                    (*down).into(),
                    (*up).into(),
                ]);
            }
        }
    }
    let ids: Vec<i64> = pairs.iter().flat_map(|p| [p.mentor, p.mentee]).collect();
    let names = teacher_names(db, &ids).await?;
    let mut list = Table::new(
        "mentorship_pairs",
        Bilingual::new("Mentorship pairs", "师徒结对一览"),
        vec![
            Column::new("school", "School", "学校"),
            Column::new("mentor", "Mentor", "师傅"),
            Column::new("mentee", "Mentee", "徒弟"),
            Column::new("status", "Status", "状态"),
            Column::new("mentor_observations", "Mentor observed mentee", "师傅听徒弟课节数"),
            Column::new("mentee_observations", "Mentee observed mentor", "徒弟听师傅课节数"),
        ],
    );
    for p in &pairs {
        list.push(vec![
            school_names.get(&p.school_id).copied().unwrap_or_default().into(),
            names.get(&p.mentor).cloned().unwrap_or_default().into(),
            names.get(&p.mentee).cloned().unwrap_or_default().into(),
            p.status.code().into(),
            p.mentor_to_mentee.into(),
            p.mentee_to_mentor.into(),
        ]);
    }
    Ok((by_status, list))
}

/// Every live group of the scope with its output in the window (four GROUP BY queries).
async fn group_outputs(db: &impl ConnectionTrait, scope: &Scope, window: Window) -> ApiResult<Vec<GroupOutput>> {
    let mut placed = Condition::any().add(group::Column::SchoolId.is_in(scope.ids()));
    if scope.district_groups {
        placed = placed.add(
            Condition::all()
                .add(group::Column::SchoolId.is_null())
                .add(group::Column::DistrictId.eq(scope.district_id)),
        );
    }
    let groups: Vec<(i64, String, GroupKind, Option<i64>)> = group::Entity::find()
        .select_only()
        .column(group::Column::Id)
        .column(group::Column::Name)
        .column(group::Column::Kind)
        .column(group::Column::SchoolId)
        .filter(placed)
        .filter(group::Column::ArchivedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let group_ids: Vec<i64> = groups.iter().map(|g| g.0).collect();
    if group_ids.is_empty() {
        return Ok(Vec::new());
    }
    let of_groups = || activity::Column::GroupId.is_in(group_ids.clone());
    let activities: BTreeMap<i64, i64> = held(window)
        .filter(of_groups())
        .select_only()
        .column(activity::Column::GroupId)
        .column_as(activity::Column::Id.count(), "n")
        .group_by(activity::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let lessons: BTreeMap<i64, i64> = activity_lesson::Entity::find()
        .join(
            JoinType::InnerJoin,
            join_on::<activity_lesson::Entity, activity::Entity>(
                activity_lesson::Column::ActivityId,
                activity::Column::Id,
            ),
        )
        .select_only()
        .column(activity::Column::GroupId)
        .column_as(activity_lesson::Column::Id.count(), "n")
        .filter(activity_lesson::Column::ActivityId.in_subquery(ids_of(held(window).filter(of_groups()))))
        .group_by(activity::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    // Members: memberships live at some point of the window (not archived, begun by `as_of`,
    // not ended before the semester began).
    let live = |start: NaiveDate| {
        Condition::all()
            .add(group_membership::Column::GroupId.is_in(group_ids.clone()))
            .add(group_membership::Column::ArchivedAt.is_null())
            .add(group_membership::Column::Since.lte(window.as_of))
            .add(
                Condition::any()
                    .add(group_membership::Column::Until.is_null())
                    .add(group_membership::Column::Until.gte(start)),
            )
    };
    let start =
        semester::Entity::find_by_id(window.semester_id).one(db).await?.map(|s| s.start_date).unwrap_or(window.as_of);
    let members: BTreeMap<i64, i64> = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::GroupId)
        .column_as(Expr::col((group_membership::Entity, group_membership::Column::TeacherId)).count_distinct(), "n")
        .filter(live(start))
        .group_by(group_membership::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let records: BTreeMap<i64, i64> = record::Entity::find()
        .join(
            JoinType::InnerJoin,
            join_on::<record::Entity, group_membership::Entity>(
                record::Column::AuthorTeacherId,
                group_membership::Column::TeacherId,
            ),
        )
        .select_only()
        .column(group_membership::Column::GroupId)
        .column_as(Expr::col((record::Entity, record::Column::Id)).count_distinct(), "n")
        .filter(live(start))
        .filter(record::Column::SemesterId.eq(window.semester_id))
        .filter(record::Column::ArchivedAt.is_null())
        .filter(record::Column::WrittenOn.lte(window.as_of))
        .group_by(group_membership::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let school_names: BTreeMap<i64, &str> = scope.schools.iter().map(|(id, name)| (*id, name.as_str())).collect();
    Ok(groups
        .into_iter()
        .map(|(id, name, kind, school_id)| GroupOutput {
            group_id: id,
            name,
            kind,
            school: school_id.and_then(|s| school_names.get(&s).map(|n| n.to_string())),
            members: n(members.get(&id).copied()),
            activities_held: n(activities.get(&id).copied()),
            lessons_given: n(lessons.get(&id).copied()),
            member_records: n(records.get(&id).copied()),
            compliance: None,
        })
        .collect())
}

/// The groups' results with the saved group rules, from the checks engine (one aggregate query
/// per rule), so the ranking cannot disagree with `/quota-checks`.
async fn group_compliance(
    db: &impl ConnectionTrait,
    scope: &Scope,
    window: Window,
    semester: &semester::Model,
    groups: &[GroupOutput],
) -> ApiResult<BTreeMap<i64, Compliance>> {
    if groups.is_empty() {
        return Ok(BTreeMap::new());
    }
    let term = Term::load(db, semester.clone()).await?;
    let target = Target {
        district_id: scope.district_id,
        school_ids: if scope.district_groups { None } else { Some(scope.ids()) },
        teachers: Some(vec![]),
        groups: Some(groups.iter().map(|g| g.group_id).collect()),
        mentorships: Some(vec![]),
        schools: Some(vec![]),
    };
    let request = Request {
        semester_id: window.semester_id,
        as_of: window.as_of,
        subject_type: Some(SubjectType::Group),
        include_saved: true,
        ..Default::default()
    };
    Ok(compliance_by_group(&check_target(db, &term, &target, &request).await?))
}

fn excellent_groups_table(ranked: &[RankedGroup]) -> Table {
    let mut table = Table::new(
        "excellent_groups",
        Bilingual::new(
            "Excellent group shortlist (ranked by output and rule compliance)",
            "优秀教研组推荐（按成果与考核达标排序）",
        ),
        vec![
            Column::new("rank", "Rank", "名次"),
            Column::new("group_id", "Group id", "教研组编号"),
            Column::new("group", "Group", "教研组"),
            Column::new("kind", "Kind", "类型"),
            Column::new("school", "School", "学校"),
            Column::new("members", "Members", "成员数"),
            Column::new("activities_held", "Activities held", "开展活动次数"),
            Column::new("lessons_given", "Lessons given", "上课节数"),
            Column::new("member_records", "Members' records", "成员成果数"),
            Column::new("rules_checked", "Rules checked", "考核规则数"),
            Column::new("rules_in_good_standing", "Rules met or on track", "达标或进度正常规则数"),
            Column::new("score", "Score", "得分"),
        ],
    );
    for r in ranked {
        let g = &r.output;
        table.push(vec![
            (r.rank as i64).into(),
            g.group_id.into(),
            g.name.clone().into(),
            g.kind.code().into(),
            g.school.clone().into(),
            g.members.into(),
            g.activities_held.into(),
            g.lessons_given.into(),
            g.member_records.into(),
            g.compliance.map(|c| c.checked).into(),
            g.compliance.map(|c| c.in_good_standing).into(),
            r.score.into(),
        ]);
    }
    table
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
    db: &impl ConnectionTrait,
    scope: &Scope,
    window: Window,
    semester: &semester::Model,
    per_teacher: bool,
) -> ApiResult<Vec<Table>> {
    let ids = scope.ids();
    let figures = school_figures(db, &ids, window).await?;
    let (mentorships, pairs) = mentorship_tables(db, scope, window, semester).await?;
    let mut outputs = group_outputs(db, scope, window).await?;
    let compliance = group_compliance(db, scope, window, semester, &outputs).await?;
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
        (status = 422, description = "Unknown semester, format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
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
    let school = load_school(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(school.district_id, school.id), "read this school's summary")?;
    let (window, semester) =
        window(&state.db, school.district_id, required_semester(query.semester_id)?, query.as_of).await?;
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
    report.tables = build(&state.db, &scope, window, &semester, true).await?;
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
        (status = 422, description = "Unknown semester, format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
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
    let district = load_district(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(district.id), "read the district's summary")?;
    let (window, semester) = window(&state.db, district.id, required_semester(query.semester_id)?, query.as_of).await?;
    let schools: Vec<(i64, String)> = school::Entity::find()
        .select_only()
        .column(school::Column::Id)
        .column(school::Column::Name)
        .filter(school::Column::DistrictId.eq(district.id))
        .filter(school::Column::ArchivedAt.is_null())
        .order_by_asc(school::Column::Name)
        .order_by_asc(school::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    let scope = Scope { district_id: district.id, schools, district_groups: true };
    let mut report = Report::new(
        Bilingual::new(format!("District summary: {}", district.name), format!("{}教研工作汇总", district.name)),
        format!("district-{}-summary", district.id),
    )
    .meta("district_id", district.id)
    .meta("semester_id", window.semester_id)
    .meta("as_of", window.as_of);
    report.tables = build(&state.db, &scope, window, &semester, false).await?;
    respond(&report, &Output::new(query.format, query.lang, query.table))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(id: i64, name: &str, activities: i64, lessons: i64, records: i64, members: i64) -> GroupOutput {
        GroupOutput {
            group_id: id,
            name: name.into(),
            kind: GroupKind::Research,
            school: None,
            members,
            activities_held: activities,
            lessons_given: lessons,
            member_records: records,
            compliance: None,
        }
    }

    #[test]
    fn groups_rank_by_scaled_output_with_records_per_member() {
        let ranked = rank_groups(vec![
            output(1, "语文", 4, 2, 10, 5), // 1, 1, 2/2.5 = 0.8 → 93.3
            output(2, "数学", 2, 2, 10, 4), // 0.5, 1, 1 → 83.3
            output(3, "英语", 0, 0, 0, 0),
        ]);
        let order: Vec<(usize, i64, f64)> = ranked.iter().map(|r| (r.rank, r.output.group_id, r.score)).collect();
        assert_eq!(order, vec![(1, 1, 93.3), (2, 2, 83.3), (3, 3, 0.0)]);
    }

    #[test]
    fn compliance_joins_the_score_when_known_and_ties_break_by_activities_then_name() {
        let mut a = output(1, "乙", 2, 0, 0, 1);
        a.compliance = Some(Compliance { checked: 2, in_good_standing: 2 });
        let b = output(2, "甲", 2, 0, 0, 1);
        let ranked = rank_groups(vec![b.clone(), a]);
        assert_eq!(ranked[0].output.group_id, 1);
        // Activities 1, lessons 0, records 0, compliance 1: a half; without compliance a third.
        assert_eq!((ranked[0].score, ranked[1].score), (50.0, 33.3));
        let tie = rank_groups(vec![output(3, "b", 1, 0, 0, 0), output(4, "a", 1, 0, 0, 0)]);
        assert_eq!(tie.iter().map(|r| r.output.group_id).collect::<Vec<_>>(), vec![4, 3]);
        assert!(rank_groups(Vec::new()).is_empty());
    }

    fn result(kind: SubjectType, id: i64, status: Status) -> CheckItem {
        use crate::quota::checks::engine::RuleRef;
        use crate::quota::checks::subjects::SubjectRef;
        use crate::quota::periods::PeriodKind;
        use crate::quota::rules::Severity;
        CheckItem {
            subject: SubjectRef { kind, id, name: format!("s{id}"), school_id: Some(1) },
            rule: RuleRef {
                id: Some(1),
                index: None,
                name: "r".into(),
                severity: Severity::Required,
                metric: "activities_held".into(),
                period: PeriodKind::Semester,
                min: 2.0,
                family: None,
            },
            required: 2.0,
            actual: 1.0,
            status,
            expected_by_now: 1.0,
            projected: 2.0,
            periods: vec![],
        }
    }

    #[test]
    fn a_group_is_in_good_standing_with_rules_met_or_on_track_only() {
        let items = vec![
            result(SubjectType::Group, 7, Status::Met),
            result(SubjectType::Group, 7, Status::OnTrack),
            result(SubjectType::Group, 7, Status::AtRisk),
            result(SubjectType::Group, 8, Status::Short),
            // A teacher's result never counts for a group with the same id.
            result(SubjectType::Teacher, 8, Status::Met),
        ];
        let by_group = compliance_by_group(&items);
        assert_eq!(by_group[&7], Compliance { checked: 3, in_good_standing: 2 });
        assert_eq!(by_group[&8], Compliance { checked: 1, in_good_standing: 0 });
        assert_eq!(by_group.len(), 2);
        assert!((by_group[&7].share() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn training_days_are_eight_hours() {
        assert_eq!(person_days(12.0), 1.5);
        assert_eq!(person_days(0.0), 0.0);
        assert_eq!(person_days(10.0), 1.3);
    }
}
