//! The group report (教研组/区中心组工作报告, seed 001's expectations of a 区中心组 or 教研组): what the
//! group held over the semester up to `as_of`, by type and modality and one by one with their
//! attendance, the group's attendance rate, its research topics, and the open lessons given at
//! its activities with how many observations each teacher's lesson drew that day.
//!
//! Counted: the group's activities held or filed (`status` held/archived), not soft-deleted, in
//! the semester and dated on or before `as_of`; attendance as in
//! `activities::attendance::rates` (expected participants; leave excused; pending counts as
//! absent), with every participant counted, whichever school they come from.
//! Open lessons: lessons of kind `open` (公开课), `demo` (示范课) or `research` (研究课) at those
//! activities; their observations are the live observations of the lesson's teacher dated on the
//! activity's day (by anyone, linked to the activity or not).
//!
//! Read by whoever sees the group (`groups::access::sees_group`); others get 404.
//!
//! The quota rule results for the group will be a table named `rules` (placed after
//! `activities_by_type`), filled from the checks engine; until then the report has no such table.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use entities::enums::{ActivityType, LessonKind, Modality};
use entities::{activity, activity_lesson, group, observation, research_topic, semester};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Iterable, JoinType, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::common::{attendance_per_activity, held, ids_of, join_on, teacher_names, window, Window};
use super::table::{rate_cell, respond, Bilingual, Cell, Column, Lang, Output, Report, ReportFormat, Table};
use crate::activities::attendance::rules::AttendanceCounts;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::groups::access::load_group;
use crate::quota::checks::service::{results_for, Request};
use crate::quota::checks::subjects::Target;
use crate::quota::rules::SubjectType;
use crate::state::{AppState, State};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(group_report);
}

/// The lesson kinds an open-lesson review lists: 公开课, 示范课, 研究课.
pub const OPEN_LESSON_KINDS: [LessonKind; 3] = [LessonKind::Open, LessonKind::Demo, LessonKind::Research];

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GroupReportQuery {
    /// The semester reported on (one of the group's district).
    /// Default: the district's semester containing `as_of` (a 422 on `semester_id` when none
    /// does).
    pub semester_id: Option<i64>,
    /// Count what happened up to this day (default: today, UTC+8).
    pub as_of: Option<NaiveDate>,
    /// `json` (default), `csv` (one table, see `table`) or `xlsx` (a sheet per table).
    pub format: Option<ReportFormat>,
    /// Headers and titles in English (`en`, default) or Chinese (`zh`).
    pub lang: Option<Lang>,
    /// With `format=csv`: the table to export (default the first): `activities_by_type`,
    /// `activities`, `attendance`, `topics`, `open_lessons`.
    pub table: Option<String>,
}

/// One held activity, as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldActivity {
    pub id: i64,
    pub date: Option<NaiveDate>,
    pub activity_type: ActivityType,
    pub title: String,
    pub topic: Option<String>,
    pub modality: Modality,
    pub attendance: AttendanceCounts,
}

/// A lesson given at one of the group's activities, with the observations of its teacher that day.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenLesson {
    pub date: Option<NaiveDate>,
    pub activity_title: String,
    pub teacher_name: String,
    pub subject: String,
    pub grade: Option<i32>,
    pub lesson_kind: LessonKind,
    pub title: Option<String>,
    pub observations: i64,
}

/// The `activities_by_type` table from `(type, modality, count)` rows: one row per type held,
/// in the catalogue's order, with on-site, online and total counts.
pub fn by_type_table(counts: &[(ActivityType, Modality, i64)]) -> Table {
    let mut table = Table::new(
        "activities_by_type",
        Bilingual::new("Activities held by type and modality", "活动开展情况（按类型）"),
        vec![
            Column::new("activity_type", "Activity type", "活动类型"),
            Column::new("on_site", "On site", "线下"),
            Column::new("online", "Online", "线上"),
            Column::new("total", "Total", "合计"),
        ],
    );
    for kind in ActivityType::iter() {
        let of = |modality: Modality| -> i64 {
            counts.iter().filter(|(t, m, _)| *t == kind && *m == modality).map(|(_, _, n)| n).sum()
        };
        let (on_site, online) = (of(Modality::OnSite), of(Modality::Online));
        if on_site + online > 0 {
            table.push(vec![kind.code().into(), on_site.into(), online.into(), (on_site + online).into()]);
        }
    }
    table
}

pub fn activities_table(activities: &[HeldActivity]) -> Table {
    let mut table = Table::new(
        "activities",
        Bilingual::new("Activities held", "活动一览"),
        vec![
            Column::new("date", "Date", "日期"),
            Column::new("activity_type", "Type", "类型"),
            Column::new("title", "Title", "活动名称"),
            Column::new("topic", "Topic", "主题"),
            Column::new("modality", "Modality", "形式"),
            Column::new("expected", "Expected", "应到人数"),
            Column::new("attended", "Attended", "实到人数"),
            Column::new("on_leave", "On leave", "请假人数"),
            Column::new("attendance_rate", "Attendance rate", "出勤率"),
        ],
    );
    for a in activities {
        let c = &a.attendance;
        table.push(vec![
            a.date.into(),
            a.activity_type.code().into(),
            a.title.clone().into(),
            a.topic.clone().into(),
            a.modality.code().into(),
            c.expected.into(),
            c.attended.into(),
            c.on_leave.into(),
            rate_cell(c.rate),
        ]);
    }
    table
}

pub fn attendance_table(activities: usize, overall: &AttendanceCounts) -> Table {
    let mut table = Table::new(
        "attendance",
        Bilingual::new("Attendance over the semester", "学期出勤情况"),
        vec![
            Column::new("activities", "Activities", "活动次数"),
            Column::new("expected", "Expected", "应到人次"),
            Column::new("attended", "Attended", "实到人次"),
            Column::new("on_leave", "On leave", "请假人次"),
            Column::new("absent", "Absent (incl. unrecorded)", "缺席人次（含未签到）"),
            Column::new("walk_ins", "Walk-ins", "列席人次"),
            Column::new("attendance_rate", "Attendance rate", "出勤率"),
        ],
    );
    table.push(vec![
        (activities as i64).into(),
        overall.expected.into(),
        overall.attended.into(),
        overall.on_leave.into(),
        (overall.absent + overall.pending).into(),
        overall.walk_ins.into(),
        rate_cell(overall.rate),
    ]);
    table
}

pub fn topics_table(topics: &[(String, Option<String>)]) -> Table {
    let mut table = Table::new(
        "topics",
        Bilingual::new("Research topics", "研究专题"),
        vec![Column::new("title", "Topic", "专题"), Column::new("description", "Description", "说明")],
    );
    for (title, description) in topics {
        table.push(vec![title.clone().into(), description.clone().into()]);
    }
    table
}

pub fn open_lessons_table(lessons: &[OpenLesson]) -> Table {
    let mut table = Table::new(
        "open_lessons",
        Bilingual::new("Open lessons reviewed", "公开课评议"),
        vec![
            Column::new("date", "Date", "日期"),
            Column::new("activity", "Activity", "活动"),
            Column::new("teacher", "Teacher", "执教教师"),
            Column::new("subject", "Subject", "学科"),
            Column::new("grade", "Grade", "年级"),
            Column::new("lesson_kind", "Lesson kind", "课型"),
            Column::new("lesson_title", "Lesson", "课题"),
            Column::new("observations", "Observations that day", "当日听课人次"),
        ],
    );
    for l in lessons {
        table.push(vec![
            l.date.into(),
            l.activity_title.clone().into(),
            l.teacher_name.clone().into(),
            l.subject.clone().into(),
            l.grade.map(i64::from).into(),
            l.lesson_kind.code().into(),
            l.title.clone().into(),
            l.observations.into(),
        ]);
    }
    table
}

/// The group's held activities in the window, by type and modality and one by one.
async fn held_activities(
    db: &impl ConnectionTrait,
    group_id: i64,
    window: Window,
) -> ApiResult<(Vec<(ActivityType, Modality, i64)>, Vec<HeldActivity>)> {
    let organised = held(window).filter(activity::Column::GroupId.eq(group_id));
    let by_type: Vec<(ActivityType, Modality, i64)> = organised
        .clone()
        .select_only()
        .column(activity::Column::ActivityType)
        .column(activity::Column::Modality)
        .column_as(activity::Column::Id.count(), "n")
        .group_by(activity::Column::ActivityType)
        .group_by(activity::Column::Modality)
        .into_tuple()
        .all(db)
        .await?;
    type Row = (i64, Option<NaiveDate>, ActivityType, String, Option<String>, Modality);
    let rows: Vec<Row> = organised
        .clone()
        .select_only()
        .column(activity::Column::Id)
        .column(activity::Column::Date)
        .column(activity::Column::ActivityType)
        .column(activity::Column::Title)
        .column(activity::Column::Topic)
        .column(activity::Column::Modality)
        .order_by_asc(activity::Column::Date)
        .order_by_asc(activity::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut attendance = attendance_per_activity(db, ids_of(organised)).await?;
    let listed = rows
        .into_iter()
        .map(|(id, date, activity_type, title, topic, modality)| HeldActivity {
            id,
            date,
            activity_type,
            title,
            topic,
            modality,
            attendance: attendance.remove(&id).unwrap_or_default(),
        })
        .collect();
    Ok((by_type, listed))
}

/// Open lessons at the group's held activities, with the observations of each lesson's teacher
/// on the activity's day (one GROUP BY over the teachers and days concerned).
async fn open_lessons(db: &impl ConnectionTrait, group_id: i64, window: Window) -> ApiResult<Vec<OpenLesson>> {
    type Row = (Option<NaiveDate>, String, i64, String, Option<i32>, LessonKind, Option<String>);
    let rows: Vec<Row> = activity_lesson::Entity::find()
        .join(
            JoinType::InnerJoin,
            join_on::<activity_lesson::Entity, activity::Entity>(
                activity_lesson::Column::ActivityId,
                activity::Column::Id,
            ),
        )
        .select_only()
        .column(activity::Column::Date)
        .column(activity::Column::Title)
        .column(activity_lesson::Column::TeacherId)
        .column(activity_lesson::Column::Subject)
        .column(activity_lesson::Column::Grade)
        .column(activity_lesson::Column::LessonKind)
        .column(activity_lesson::Column::Title)
        .filter(
            activity_lesson::Column::ActivityId
                .in_subquery(ids_of(held(window).filter(activity::Column::GroupId.eq(group_id)))),
        )
        .filter(activity_lesson::Column::LessonKind.is_in(OPEN_LESSON_KINDS))
        .order_by_asc(activity::Column::Date)
        .order_by_asc(activity::Column::Id)
        .order_by_asc(activity_lesson::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    let teachers: Vec<i64> = rows.iter().map(|r| r.2).collect::<BTreeSet<_>>().into_iter().collect();
    let days: Vec<NaiveDate> = rows.iter().filter_map(|r| r.0).collect::<BTreeSet<_>>().into_iter().collect();
    let observed: BTreeMap<(i64, NaiveDate), i64> = if teachers.is_empty() || days.is_empty() {
        BTreeMap::new()
    } else {
        let counted: Vec<(i64, NaiveDate, i64)> = observation::Entity::find()
            .select_only()
            .column(observation::Column::ObservedTeacherId)
            .column(observation::Column::ObservedOn)
            .column_as(observation::Column::Id.count(), "n")
            .filter(observation::Column::ArchivedAt.is_null())
            .filter(observation::Column::ObservedTeacherId.is_in(teachers.clone()))
            .filter(observation::Column::ObservedOn.is_in(days))
            .group_by(observation::Column::ObservedTeacherId)
            .group_by(observation::Column::ObservedOn)
            .into_tuple()
            .all(db)
            .await?;
        counted.into_iter().map(|(t, d, n)| ((t, d), n)).collect()
    };
    let names = teacher_names(db, &teachers).await?;
    Ok(rows
        .into_iter()
        .map(|(date, activity_title, teacher_id, subject, grade, lesson_kind, title)| OpenLesson {
            observations: date.and_then(|d| observed.get(&(teacher_id, d)).copied()).unwrap_or(0),
            date,
            activity_title,
            teacher_name: names.get(&teacher_id).cloned().unwrap_or_default(),
            subject,
            grade,
            lesson_kind,
            title,
        })
        .collect())
}

/// Builds the group report (without the `rules` table, which the checks engine adds).
pub async fn build(db: &impl ConnectionTrait, group: &group::Model, window: Window) -> ApiResult<Report> {
    let (by_type, activities) = held_activities(db, group.id, window).await?;
    let mut overall = AttendanceCounts::default();
    for a in &activities {
        overall.merge(&a.attendance);
    }
    let topics: Vec<(String, Option<String>)> = research_topic::Entity::find()
        .select_only()
        .column(research_topic::Column::Title)
        .column(research_topic::Column::Description)
        .filter(research_topic::Column::GroupId.eq(group.id))
        .filter(research_topic::Column::SemesterId.eq(window.semester_id))
        .filter(research_topic::Column::ArchivedAt.is_null())
        .order_by_asc(research_topic::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let lessons = open_lessons(db, group.id, window).await?;
    let mut report = Report::new(
        Bilingual::new(format!("Group report: {}", group.name), format!("{}工作报告", group.name)),
        format!("group-{}-report", group.id),
    )
    .meta("group_id", group.id)
    .meta("group_name", &group.name)
    .meta("semester_id", window.semester_id)
    .meta("as_of", window.as_of);
    report.tables = vec![
        by_type_table(&by_type),
        // The lead's `rules` table (the group's quota checks) goes here.
        activities_table(&activities),
        attendance_table(activities.len(), &overall),
        topics_table(&topics),
        open_lessons_table(&lessons),
    ];
    Ok(report)
}

/// A group's semester report: activities by type and modality, each activity with its attendance,
/// the attendance rate, research topics and open-lesson reviews (JSON, CSV or XLSX).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Group id"), GroupReportQuery),
    responses(
        (status = 200, description = "The group report", content(
            (super::table::ReportView = "application/json"),
            (inline(super::table::BinaryFile) = "text/csv"),
            (inline(super::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, description = "No such group, or not within the caller's reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown semester (or none containing `as_of`), format, language or table", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/groups/{id}")]
pub async fn group_report(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<GroupReportQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.0;
    let group = load_group(state.reads(), &actor, id.into_inner()).await?;
    let (window, _) = window(state.reads(), group.district_id, query.semester_id, query.as_of).await?;
    let mut report = build(state.reads(), &group, window).await?;
    let output = Output::new(query.format, query.lang, query.table);
    report.tables.insert(1, rules_table(&state, &group, window, output.lang).await?);
    respond(&report, &output)
}

/// The group's quota check results (the rules that measure the group, as `GET /quota-checks`
/// gives them), for everyone who may read the report.
async fn rules_table(state: &AppState, group: &group::Model, window: Window, lang: Lang) -> ApiResult<Table> {
    let db = state.reads();
    let semester = semester::Entity::find_by_id(window.semester_id)
        .one(db)
        .await?
        .ok_or_else(|| crate::error::ApiError::invalid("semester_id", "no such semester"))?;
    let target = Target {
        district_id: group.district_id,
        zone_id: None,
        school_ids: group.school_id.map(|s| vec![s]),
        teachers: Some(vec![]),
        groups: Some(vec![group.id]),
        mentorships: Some(vec![]),
        schools: Some(vec![]),
    };
    let request = Request {
        semester_id: Some(window.semester_id),
        as_of: window.as_of,
        subject_type: Some(SubjectType::Group),
        include_saved: true,
        ..Default::default()
    };
    let items = results_for(state, &semester, &target, &request).await?;
    let mut table = Table::new(
        "rules",
        Bilingual::new("Rules", "考核规则"),
        vec![
            Column::new("rule_id", "Rule id", "规则编号"),
            Column::new("rule", "Rule", "规则"),
            Column::new("actual", "Actual", "完成"),
            Column::new("required", "Required", "要求"),
            Column::new("status", "Status", "状态"),
            Column::new("projected", "Projected at the end", "预计学期末"),
        ],
    );
    for item in items {
        table.push(vec![
            item.rule.id.into(),
            item.rule.name.into(),
            Cell::Number(item.actual),
            Cell::Number(item.required),
            super::compliance::status_label(item.status, lang).into(),
            Cell::Number(item.projected),
        ]);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_listed_in_catalogue_order_with_both_modalities() {
        let table = by_type_table(&[
            (ActivityType::Lecture, Modality::Online, 1),
            (ActivityType::CollectivePrep, Modality::OnSite, 3),
            (ActivityType::CollectivePrep, Modality::Online, 1),
        ]);
        let rows: Vec<Vec<Cell>> = table.rows;
        assert_eq!(
            rows,
            vec![
                vec!["collective_prep".into(), 3i64.into(), 1i64.into(), 4i64.into()],
                vec!["lecture".into(), 0i64.into(), 1i64.into(), 1i64.into()],
            ]
        );
    }

    #[test]
    fn absent_includes_the_unrecorded() {
        let mut c = AttendanceCounts::default();
        c.add(entities::enums::AttendanceStatus::Present, true, 3);
        c.add(entities::enums::AttendanceStatus::Pending, true, 1);
        c.add(entities::enums::AttendanceStatus::Absent, true, 1);
        let table = attendance_table(2, &c);
        assert_eq!(
            table.rows[0],
            vec![Cell::Integer(2), 5i64.into(), 3i64.into(), 0i64.into(), 2i64.into(), 0i64.into(), Cell::Number(0.6)]
        );
    }
}
