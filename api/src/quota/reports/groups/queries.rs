//! What the group report reads: one GROUP BY per figure, and the group's check results.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use entities::enums::{ActivityType, LessonKind, Modality};
use entities::{activity, activity_lesson, group, observation, research_topic, semester};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};

use super::rules::{
    activities_table, attendance_table, by_type_table, open_lessons_table, rules_table, topics_table, HeldActivity,
    OpenLesson,
};
use super::OPEN_LESSON_KINDS;
use crate::activities::attendance::rules::AttendanceCounts;
use crate::domain::{DomainError, DomainResult};
use crate::quota::checks::service::{results_for, Request};
use crate::quota::checks::subjects::Target;
use crate::quota::reports::common::{attendance_per_activity, held, ids_of, join_on, teacher_names, Window};
use crate::quota::reports::table::{Bilingual, Lang, Report, Table};
use crate::quota::rules::SubjectType;
use crate::state::AppState;

/// The group's held activities in the window, by type and modality and one by one.
async fn held_activities(
    db: &impl ConnectionTrait,
    group_id: i64,
    window: Window,
) -> DomainResult<(Vec<(ActivityType, Modality, i64)>, Vec<HeldActivity>)> {
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
async fn open_lessons(db: &impl ConnectionTrait, group_id: i64, window: Window) -> DomainResult<Vec<OpenLesson>> {
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
pub async fn build(db: &impl ConnectionTrait, group: &group::Model, window: Window) -> DomainResult<Report> {
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

/// The group's quota check results (the rules that measure the group, as `GET /quota-checks`
/// gives them), for everyone who may read the report.
pub async fn rule_results(state: &AppState, group: &group::Model, window: Window, lang: Lang) -> DomainResult<Table> {
    let db = state.reads();
    let semester = semester::Entity::find_by_id(window.semester_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::invalid("semester_id", "no such semester"))?;
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
    Ok(rules_table(items, lang))
}
