//! 集体备课 at the flagship (seed 003): one 语文 lesson-prep group prepares a lesson every other
//! week, so that a newcomer finds a preparation in every stage on the as-of day (2026-11-20):
//! completed; in its reflections with a late draft and a co-preparer who gave no notes (so
//! `prep_notes_given` and `prep_drafts_on_time` have someone short); waiting for the consensus;
//! being annotated; waiting for its draft. The reflections are reflection records (counted with
//! the demo's records).

use chrono::{Days, NaiveDate};
use entities::enums::{GroupKind, PreparationRole, RecordKind};
use entities::{preparation, preparation_note, preparation_participant, record};
use sea_orm::{ActiveModelTrait, DbErr, Set};
use serde_json::json;

use super::super::created::DemoGroup;
use super::super::organisation::date;
use super::Work;
use crate::preparations::rules::{completed_on, draft_due_on, is_late, DEFAULT_DRAFT_LEAD_DAYS};

/// (session day, days before it the draft came in (`None`: not yet), co-preparers who noted
/// (`None`: all), consensus, reflections by the first n participants).
type Plan = (NaiveDate, Option<u64>, Option<usize>, bool, usize);

fn plans() -> [Plan; 5] {
    [
        (date(2026, 10, 22), Some(3), None, true, usize::MAX),
        (date(2026, 11, 5), Some(1), Some(1), true, 2),
        (date(2026, 11, 19), Some(4), None, false, 0),
        (date(2026, 11, 26), Some(7), Some(1), false, 0),
        (date(2026, 12, 3), None, Some(0), false, 0),
    ]
}

const LESSONS: [(&str, &str); 5] = [
    ("第三单元", "秋天的雨"),
    ("第三单元", "听听，秋的声音"),
    ("第四单元", "去年的树"),
    ("第四单元", "那一定会很好"),
    ("第五单元", "搭船的鸟"),
];

fn group_of(w: &Work<'_>) -> Option<DemoGroup> {
    w.flagship()
        .groups
        .iter()
        .find(|g| g.kind == GroupKind::LessonPrep && g.subject == Some("语文") && g.member_ids.len() >= 3)
        .cloned()
}

pub(super) async fn write(w: &mut Work<'_>) -> Result<(), DbErr> {
    let Some(group) = group_of(w) else { return Ok(()) };
    let school_id = w.flagship().id;
    let others: Vec<i64> = group.member_ids.iter().copied().filter(|t| *t != group.leader_teacher_id).collect();
    for (i, (session_on, drafted, noted, consensus, reflected)) in plans().into_iter().enumerate() {
        let lead = others[i % others.len()];
        let due = draft_due_on(session_on, DEFAULT_DRAFT_LEAD_DAYS);
        let submitted = drafted.map(|d| session_on - Days::new(d));
        let grade = w.teacher(lead).0.spec.grades.first().copied().unwrap_or(3);
        let (unit, lesson) = LESSONS[i];
        let p = preparation::ActiveModel {
            district_id: Set(w.district.district_id),
            school_id: Set(school_id),
            group_id: Set(group.id),
            semester_id: Set(Some(w.semester_id)),
            activity_id: Set(None),
            subject: Set("语文".into()),
            grade: Set(grade),
            unit_title: Set(Some(unit.into())),
            lesson_title: Set(lesson.into()),
            lead_teacher_id: Set(lead),
            session_on: Set(session_on),
            draft_lead_days: Set(DEFAULT_DRAFT_LEAD_DAYS),
            draft_due_on: Set(due),
            draft_sections: Set(submitted.map(|_| {
                json!([{"title": "教学目标", "body": format!("学习《{lesson}》，能正确、流利、有感情地朗读课文。")},
                       {"title": "教学重难点", "body": "体会作者的情感，积累优美词句。"},
                       {"title": "教学过程", "body": "一、谈话导入；二、初读感知；三、精读品味；四、拓展练笔。"}])
            })),
            draft_submitted_on: Set(submitted),
            draft_late: Set(submitted.is_some_and(|s| is_late(s, due))),
            consensus_body: Set(consensus.then(|| "按研讨意见调整导入与朗读指导，增加小组合作学习环节。".to_string())),
            consensus_teacher_id: Set(consensus.then_some(lead)),
            consensus_on: Set(consensus.then_some(session_on)),
            completed_on: Set(None),
            created_by_user_id: Set(None),
            created_at: Set(w.at),
            updated_at: Set(w.at),
            archived_at: Set(None),
            ..Default::default()
        }
        .insert(w.txn)
        .await?;
        let people: Vec<(i64, PreparationRole)> = std::iter::once((lead, PreparationRole::Lead))
            .chain(group.member_ids.iter().filter(|t| **t != lead).map(|t| (*t, PreparationRole::CoPreparer)))
            .collect();
        let mut rows = Vec::new();
        let mut co = 0;
        for (k, (teacher_id, role)) in people.into_iter().enumerate() {
            let notes = role == PreparationRole::CoPreparer && submitted.is_some() && noted.is_none_or(|n| co < n);
            if role == PreparationRole::CoPreparer {
                co += 1;
            }
            let noted_on = submitted.filter(|_| notes).map(|s| s + Days::new(1));
            if let Some(on) = noted_on {
                preparation_note::ActiveModel {
                    preparation_id: Set(p.id),
                    teacher_id: Set(teacher_id),
                    section: Set(2),
                    body: Set("导入部分可以结合学生生活，朗读指导再细一些。".into()),
                    written_on: Set(on),
                    created_at: Set(w.at),
                    ..Default::default()
                }
                .insert(w.txn)
                .await?;
            }
            let reflected_on = (consensus && k < reflected).then(|| session_on + Days::new(2));
            let record_id = match reflected_on {
                Some(on) => {
                    w.counts.records += 1;
                    Some(reflection(w, school_id, teacher_id, lesson, on).await?)
                }
                None => None,
            };
            rows.push(
                preparation_participant::ActiveModel {
                    preparation_id: Set(p.id),
                    teacher_id: Set(teacher_id),
                    role: Set(role),
                    first_noted_on: Set(noted_on),
                    reflection_record_id: Set(record_id),
                    reflected_on: Set(reflected_on),
                    ..Default::default()
                }
                .insert(w.txn)
                .await?,
            );
        }
        if let Some(done) = completed_on(&p, &rows) {
            let mut active: preparation::ActiveModel = p.into();
            active.completed_on = Set(Some(done));
            active.update(w.txn).await?;
        }
        w.counts.preparations += 1;
    }
    Ok(())
}

/// The teacher's 教后反思 of the lesson, a reflection record.
async fn reflection(w: &Work<'_>, school_id: i64, teacher_id: i64, lesson: &str, on: NaiveDate) -> Result<i64, DbErr> {
    let body = format!("《{lesson}》教后反思：学生朗读兴趣浓，小组合作还需加强指导。");
    Ok(record::ActiveModel {
        district_id: Set(w.district.district_id),
        school_id: Set(school_id),
        author_teacher_id: Set(teacher_id),
        semester_id: Set(Some(w.semester_id)),
        kind: Set(RecordKind::Reflection),
        title: Set(format!("《{lesson}》教后反思")),
        word_count: Set(i32::try_from(crate::records::words::word_count(&body)).unwrap_or(0)),
        body: Set(Some(body)),
        written_on: Set(on),
        submitted_on: Set(on),
        late: Set(false),
        created_at: Set(w.at),
        updated_at: Set(w.at),
        ..Default::default()
    }
    .insert(w.txn)
    .await?
    .id)
}
