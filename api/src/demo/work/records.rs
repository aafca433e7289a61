//! The flagship teachers' records up to the as-of day, and the school's record tasks: monthly
//! reflections (met every month by most, missed in one month by others), lesson plans (详案 or
//! 简案 by teaching years), study notes of varied length, the reading note the school asked for
//! by 15 October (a few late, a few missing), papers (some under seed's 500字), courseware,
//! training, one research project with co-authors, and awards.

use chrono::{Datelike, NaiveDate, TimeDelta};
use entities::enums::{AwardRank, LessonPlanForm, Level, ProjectStage, RecordKind};
use entities::{record, record_coauthor, record_task};
use sea_orm::{ActiveModelTrait, DbErr, Set};

use super::super::created::DemoTeacher;
use super::super::organisation::date;
use super::super::write::insert_chunked;
use super::{as_of, teaching_days, texts, Work};
use crate::records::words::word_count;

/// A record before it is written: the parts that vary.
struct Draft {
    kind: RecordKind,
    title: String,
    body: Option<String>,
    written_on: NaiveDate,
    submitted_on: NaiveDate,
    /// (task id, due day) when the record answers a task.
    task: Option<(i64, NaiveDate)>,
}

/// The school's tasks: (kind, title, description, due, only the 语文教研组).
fn tasks() -> [(RecordKind, &'static str, &'static str, NaiveDate, bool); 3] {
    [
        (
            RecordKind::ReadingNote,
            "读书笔记：读一本教育专著",
            "每学期读一本教育专著，撰写一篇读书笔记（seed 000、001），10月15日前上交教导处。",
            date(2026, 10, 15),
            false,
        ),
        (
            RecordKind::Paper,
            "教学论文或教学案例",
            "每学期至少一篇教学论文或个案，字数不少于500字（seed 002）。",
            date(2026, 11, 13),
            false,
        ),
        (
            RecordKind::LessonPlan,
            "单元作业设计教案",
            "语文教研组：结合分层作业研究，每人交一份单元作业设计教案。",
            date(2026, 11, 27),
            true,
        ),
    ]
}

pub(super) async fn write(w: &mut Work<'_>) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let yuwen = school.group("语文教研组").expect("语文教研组").clone();
    let mut task_ids = Vec::new();
    for (kind, title, description, due_on, group_only) in tasks() {
        let saved = record_task::ActiveModel {
            district_id: Set(w.district.district_id),
            school_id: Set(Some(school.id)),
            group_id: Set(group_only.then_some(yuwen.id)),
            semester_id: Set(w.semester_id),
            kind: Set(Some(kind)),
            title: Set(title.into()),
            description: Set(Some(description.into())),
            due_on: Set(due_on),
            created_at: Set(w.at),
            updated_at: Set(w.at),
            archived_at: Set(None),
            ..Default::default()
        }
        .insert(w.txn)
        .await?;
        task_ids.push((saved.id, due_on));
        w.counts.record_tasks += 1;
    }
    let mut rows = Vec::new();
    for (i, teacher) in school.teachers.iter().enumerate() {
        let mut drafts = Vec::new();
        reflections(w, i, teacher, &mut drafts);
        lesson_plans(w, teacher, &mut drafts);
        study_notes(w, i, &mut drafts);
        task_answers(w, i, yuwen.member_ids.contains(&teacher.id), &task_ids, &mut drafts);
        extras(w, i, teacher, &mut drafts);
        for d in drafts {
            rows.push(row(w, school.id, teacher, d));
        }
    }
    w.counts.records = rows.len();
    insert_chunked::<record::Entity, _>(w.txn, rows.into_iter()).await?;
    research_project(w).await
}

/// A teaching day of the month (1–12) of 2026 up to the as-of day.
fn day_in_month(w: &mut Work<'_>, month: u32) -> NaiveDate {
    let first = date(2026, month, 1);
    let last = (date(2026, month + 1, 1) - TimeDelta::days(1)).min(as_of());
    let days = teaching_days(&w.calendar, first, last);
    *w.rng.pick(&days)
}

/// Handed in the same day or within two days, never after the as-of day.
fn handed_in(w: &mut Work<'_>, written_on: NaiveDate) -> NaiveDate {
    (written_on + TimeDelta::days(w.rng.between(0, 2).into())).min(as_of()).max(written_on)
}

/// seed 000's "每月至少进行一次教学反思": about half reflect every month (one to three times), a
/// third miss September or October, the rest wrote only one.
fn reflections(w: &mut Work<'_>, i: usize, teacher: &DemoTeacher, out: &mut Vec<Draft>) {
    let roll = w.rng.below(100);
    let months: Vec<(u32, usize)> = match roll {
        _ if i == 0 => vec![(9, 1), (11, 1)],
        0..=54 => [9, 10, 11].iter().map(|&m| (m, w.rng.between(1, 3) as usize)).collect(),
        55..=84 => {
            let missed = if w.rng.chance(70) { 10 } else { 9 };
            [9, 10, 11].iter().filter(|&&m| m != missed).map(|&m| (m, w.rng.between(1, 2) as usize)).collect()
        }
        _ => vec![(10, 1)],
    };
    for (month, count) in months {
        for _ in 0..count {
            let lesson = w.lesson_title(teacher.spec.subject);
            let written_on = day_in_month(w, month);
            let body = texts::reflection(&mut w.rng, &lesson);
            let submitted_on = handed_in(w, written_on);
            out.push(Draft {
                kind: RecordKind::Reflection,
                title: format!("{lesson}教学反思"),
                body: Some(body),
                written_on,
                submitted_on,
                task: None,
            });
        }
    }
}

/// Two to four lesson plans; the young write 详案 (seed 002: 5年内教龄精备).
fn lesson_plans(w: &mut Work<'_>, teacher: &DemoTeacher, out: &mut Vec<Draft>) {
    let years = 2026 - teacher.spec.teaching_start_year;
    let full_percent = if years < 5 {
        90
    } else if years <= 10 {
        60
    } else {
        30
    };
    for _ in 0..w.rng.between(2, 4) {
        let lesson = w.lesson_title(teacher.spec.subject);
        let full = w.rng.chance(full_percent);
        let month = *w.rng.pick(&[9, 10, 11]);
        let written_on = day_in_month(w, month);
        let body = texts::lesson_plan(&mut w.rng, &lesson, full);
        let submitted_on = handed_in(w, written_on);
        out.push(Draft {
            kind: RecordKind::LessonPlan,
            title: format!("{lesson}教学设计（{}）", if full { "详案" } else { "简案" }),
            body: Some(body),
            written_on,
            submitted_on,
            task: None,
        });
    }
}

/// 校本研修心得: none to six of 4–12 sentences for most, so that the word sums spread widely; nine
/// long ones (three a month, about 3000字 by mid-semester: on track for seed 003's 5000字) for
/// a diligent few.
fn study_notes(w: &mut Work<'_>, i: usize, out: &mut Vec<Draft>) {
    let diligent = i % 9 == 2;
    let count = match i {
        _ if diligent => 9,
        _ if i % 10 == 7 => 0,
        _ => w.rng.between(1, 6),
    };
    for n in 0..count {
        let month = [9, 10, 11][n as usize % 3];
        let written_on = day_in_month(w, month);
        let sentences = if diligent { 12 } else { w.rng.between(4, 12) as usize };
        let body = texts::study_note(&mut w.rng, sentences);
        let submitted_on = handed_in(w, written_on);
        out.push(Draft {
            kind: RecordKind::StudyNote,
            title: format!("校本研修心得（{month}月）"),
            body: Some(body),
            written_on,
            submitted_on,
            task: None,
        });
    }
}

/// The answers to the school's tasks. Reading notes: every teacher but a few, a few after the
/// due day. Papers: a quarter of the teachers, half of those under 500字, two late. The 语文
/// group's 单元作业设计 (due after the as-of day): a third of the group already.
fn task_answers(w: &mut Work<'_>, i: usize, in_yuwen: bool, tasks: &[(i64, NaiveDate)], out: &mut Vec<Draft>) {
    let (reading, reading_due) = tasks[0];
    if i % 13 != 7 {
        let late = i % 11 == 5;
        let written_on = *w.rng.pick(&teaching_days(&w.calendar, date(2026, 9, 21), date(2026, 10, 14)));
        let submitted_on = if late {
            reading_due + TimeDelta::days(w.rng.between(1, 8).into())
        } else {
            (written_on + TimeDelta::days(w.rng.between(0, 3).into())).min(reading_due)
        };
        out.push(Draft {
            kind: RecordKind::ReadingNote,
            title: "读《给教师的建议》有感".into(),
            body: Some(texts::reading_note(&mut w.rng)),
            written_on,
            submitted_on,
            task: Some((reading, reading_due)),
        });
    }
    let (paper, paper_due) = tasks[1];
    if i.is_multiple_of(4) {
        let written_on = *w.rng.pick(&teaching_days(&w.calendar, date(2026, 10, 19), date(2026, 11, 12)));
        let submitted_on = if i % 24 == 4 { paper_due + TimeDelta::days(3) } else { written_on.min(paper_due) };
        out.push(Draft {
            kind: RecordKind::Paper,
            title: "浅谈农村小学分层作业的设计与实施".into(),
            body: Some(texts::paper(i.is_multiple_of(8))),
            written_on,
            submitted_on,
            task: Some((paper, paper_due)),
        });
    }
    let (design, design_due) = tasks[2];
    if in_yuwen && i.is_multiple_of(3) {
        let lesson = w.lesson_title("语文");
        let written_on = *w.rng.pick(&teaching_days(&w.calendar, date(2026, 11, 9), as_of()));
        let body = texts::lesson_plan(&mut w.rng, &lesson, true);
        out.push(Draft {
            kind: RecordKind::LessonPlan,
            title: format!("{lesson}单元作业设计"),
            body: Some(body),
            written_on,
            submitted_on: as_of(),
            task: Some((design, design_due)),
        });
    }
}

/// Courseware, training and awards for some.
fn extras(w: &mut Work<'_>, i: usize, teacher: &DemoTeacher, out: &mut Vec<Draft>) {
    if i % 6 == 1 {
        let lesson = w.lesson_title(teacher.spec.subject);
        let written_on = day_in_month(w, 10);
        out.push(Draft {
            kind: RecordKind::Courseware,
            title: format!("{lesson}课件"),
            body: None,
            written_on,
            submitted_on: written_on,
            task: None,
        });
    }
    if i.is_multiple_of(3) {
        out.push(Draft {
            kind: RecordKind::Training,
            title: "国培计划（2026）乡村教师网络研修".into(),
            body: Some("完成网络研修课程学习并提交研修作业。".into()),
            written_on: date(2026, 10, 30),
            submitted_on: date(2026, 11, 2),
            task: None,
        });
    }
    if teacher.spec.subject == "语文" && i % 4 == 1 {
        out.push(Draft {
            kind: RecordKind::Training,
            title: "罗田县小学语文新课标专题培训".into(),
            body: Some("聆听专家解读语文新课标的学习任务群，并分组研讨。".into()),
            written_on: date(2026, 9, 18),
            submitted_on: date(2026, 9, 18),
            task: None,
        });
    }
    for (index, title, _, _, on) in AWARDS {
        if index == i {
            out.push(Draft {
                kind: RecordKind::Award,
                title: title.to_string(),
                body: None,
                written_on: date(2026, on.0, on.1),
                submitted_on: date(2026, on.0, on.1),
                task: None,
            });
        }
    }
}

/// (roster index, title, level, rank, (month, day)).
type Award = (usize, &'static str, Level, AwardRank, (u32, u32));

const AWARDS: [Award; 4] = [
    (12, "罗田县小学语文优质课比赛", Level::County, AwardRank::First, (10, 23)),
    (39, "黄冈市小学数学优质课评比", Level::City, AwardRank::Second, (11, 6)),
    (42, "罗田县小学英语教师基本功大赛", Level::County, AwardRank::Third, (10, 16)),
    (9, "罗田县教学论文评选", Level::County, AwardRank::Second, (11, 13)),
];

fn row(w: &Work<'_>, school_id: i64, teacher: &DemoTeacher, d: Draft) -> record::ActiveModel {
    let words = d.body.as_deref().map(word_count).unwrap_or(0) as i32;
    let award = AWARDS.iter().find(|a| d.kind == RecordKind::Award && d.title == a.1);
    let courseware = d.kind == RecordKind::Courseware;
    let hours = match (d.kind, d.title.contains("国培")) {
        (RecordKind::Training, true) => Some(20.0),
        (RecordKind::Training, false) => Some(6.0),
        _ => None,
    };
    let form = (d.kind == RecordKind::LessonPlan).then(|| {
        if d.title.contains("简案") {
            LessonPlanForm::Brief
        } else {
            LessonPlanForm::Full
        }
    });
    record::ActiveModel {
        district_id: Set(w.district.district_id),
        school_id: Set(school_id),
        author_teacher_id: Set(teacher.id),
        semester_id: Set(Some(w.semester_id)),
        kind: Set(d.kind),
        title: Set(d.title),
        body: Set(d.body),
        attachment_url: Set(courseware.then(|| {
            format!("https://files.jiaoyan.example.cn/2026/courseware/{}-{}.pptx", teacher.id, d.written_on.ordinal())
        })),
        written_on: Set(d.written_on),
        word_count: Set(words),
        hours: Set(hours),
        lesson_plan_form: Set(form),
        project_level: Set(None),
        project_stage: Set(None),
        award_level: Set(award.map(|a| a.2)),
        award_rank: Set(award.map(|a| a.3)),
        activity_id: Set(None),
        observation_id: Set(None),
        task_id: Set(d.task.map(|t| t.0)),
        due_on: Set(d.task.map(|t| t.1)),
        late: Set(d.task.is_some_and(|t| d.submitted_on > t.1)),
        submitted_on: Set(d.submitted_on),
        created_by_user_id: Set(None),
        created_at: Set(w.at),
        updated_at: Set(w.at),
        archived_at: Set(None),
        ..Default::default()
    }
}

/// The 数学教研组's county-level 课题 on its research topic, opened in October, with three
/// co-authors.
async fn research_project(w: &mut Work<'_>) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let (author, coauthors) = (36, [31, 39, 33]);
    let body =
        "本课题立足农村小学数学课堂，研究分层作业的设计原则、实施策略与评价方式，构建“有效课堂＋分层作业”的教学模式。";
    let written_on = date(2026, 10, 12);
    let saved = record::ActiveModel {
        district_id: Set(w.district.district_id),
        school_id: Set(school.id),
        author_teacher_id: Set(school.teachers[author].id),
        semester_id: Set(Some(w.semester_id)),
        kind: Set(RecordKind::ResearchProject),
        title: Set("基于有效课堂的农村小学数学分层作业设计研究".into()),
        body: Set(Some(body.into())),
        attachment_url: Set(None),
        written_on: Set(written_on),
        word_count: Set(word_count(body) as i32),
        hours: Set(None),
        lesson_plan_form: Set(None),
        project_level: Set(Some(Level::County)),
        project_stage: Set(Some(ProjectStage::Opened)),
        award_level: Set(None),
        award_rank: Set(None),
        activity_id: Set(None),
        observation_id: Set(None),
        task_id: Set(None),
        due_on: Set(None),
        submitted_on: Set(written_on),
        late: Set(false),
        created_by_user_id: Set(None),
        created_at: Set(w.at),
        updated_at: Set(w.at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(w.txn)
    .await?;
    w.counts.records += 1;
    let rows = coauthors
        .iter()
        .map(|&c| record_coauthor::ActiveModel { record_id: Set(saved.id), teacher_id: Set(school.teachers[c].id) });
    insert_chunked::<record_coauthor::Entity, _>(w.txn, rows).await
}
