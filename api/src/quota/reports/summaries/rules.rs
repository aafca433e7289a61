//! The summaries' pure parts: the per-school figures as a table, training days, the Chinese
//! lesson kinds.

use std::collections::BTreeMap;

use entities::enums::LessonKind;

use super::Scope;
use crate::activities::attendance::rules::AttendanceCounts;
use crate::quota::reports::common::average;
use crate::quota::reports::table::{rate_cell, Bilingual, Column, Table};

/// Hours in a training day (person-days = hours / 8).
pub const HOURS_PER_DAY: f64 = 8.0;

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

pub fn person_days(hours: f64) -> f64 {
    (hours / HOURS_PER_DAY * 10.0).round() / 10.0
}

pub(super) fn schools_table(scope: &Scope, figures: &BTreeMap<i64, SchoolFigures>) -> Table {
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

/// 课型 in Chinese, for the column headers of the lessons table.
pub fn lesson_kind_zh(kind: LessonKind) -> &'static str {
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
