//! The group report's tables from what the queries read: pure, no database.

use chrono::NaiveDate;
use entities::enums::{ActivityType, LessonKind, Modality};
use sea_orm::Iterable;

use crate::activities::attendance::rules::AttendanceCounts;
use crate::quota::checks::engine::CheckItem;
use crate::quota::reports::compliance::status_label;
use crate::quota::reports::table::{rate_cell, Bilingual, Cell, Column, Lang, Table};

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

/// The `rules` table: the group's quota check results.
pub fn rules_table(items: Vec<CheckItem>, lang: Lang) -> Table {
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
            status_label(item.status, lang).into(),
            Cell::Number(item.projected),
        ]);
    }
    table
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
