//! Pure rules of a collective preparation: due days, lateness, the status of each stage and of
//! the whole, what is due next and when it was completed. No database; every "today" is given.

use chrono::{Duration, NaiveDate};
use entities::enums::PreparationRole;
use entities::{preparation, preparation_participant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validate::Checks;

/// "主备教师要提前三天把主备教案发到组内教师手中" (seed 003).
pub const DEFAULT_DRAFT_LEAD_DAYS: i32 = 3;
pub const MAX_DRAFT_LEAD_DAYS: i32 = 30;
pub const MAX_SECTIONS: usize = 30;
pub const SECTION_TITLE_MAX: usize = 100;
pub const SECTION_BODY_MAX: usize = 20_000;

/// The day the draft is due: `lead_days` before the session.
pub fn draft_due_on(session_on: NaiveDate, lead_days: i32) -> NaiveDate {
    session_on - Duration::days(i64::from(lead_days))
}

/// A draft handed in after its due day is late (flagged and counted as such, never refused).
pub fn is_late(submitted_on: NaiveDate, due_on: NaiveDate) -> bool {
    submitted_on > due_on
}

/// One section of the lead's draft (教学目标, 教学重难点, 教学过程 ...); notes are anchored to one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "教学目标", "body": "1. 能正确、流利地朗读课文。"}))]
pub struct Section {
    /// 1–100 characters.
    pub title: String,
    /// At most 20,000 characters.
    pub body: String,
}

/// Cleans the draft's sections: 1 to 30, each with a title and a body, each field named.
pub fn clean_sections(checks: &mut Checks, sections: &[Section]) -> Vec<Section> {
    checks.ensure(
        (1..=MAX_SECTIONS).contains(&sections.len()),
        "sections",
        format!("must hold 1 to {MAX_SECTIONS} sections"),
    );
    sections
        .iter()
        .enumerate()
        .map(|(i, s)| Section {
            title: checks.text(&format!("sections[{i}].title"), &s.title, SECTION_TITLE_MAX),
            body: checks.text(&format!("sections[{i}].body"), &s.body, SECTION_BODY_MAX),
        })
        .collect()
}

/// Where the lead's draft (初备) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    /// Not submitted, not yet due.
    Pending,
    /// Not submitted, past its due day.
    Overdue,
    /// Submitted by its due day.
    OnTime,
    /// Submitted after its due day.
    Late,
}

pub fn draft_status(p: &preparation::Model, today: NaiveDate) -> DraftStatus {
    match p.draft_submitted_on {
        Some(_) if p.draft_late => DraftStatus::Late,
        Some(_) => DraftStatus::OnTime,
        None if today > p.draft_due_on => DraftStatus::Overdue,
        None => DraftStatus::Pending,
    }
}

/// Where one teacher's part of a stage stands: a co-preparer's notes (一度调整, due by the
/// session day) or a teacher's reflection (三度调整, after the consensus).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartStatus {
    /// Not possible yet (no draft to annotate, no consensus to reflect on).
    NotYet,
    /// Open, not yet done.
    Pending,
    /// Done in time.
    Done,
    /// Done after the session (notes only).
    Late,
    /// Not done, and the stage has closed (no notes before the consensus).
    Missed,
}

/// A co-preparer's notes: due by the session day, closed by the consensus.
pub fn notes_status(p: &preparation::Model, first_noted_on: Option<NaiveDate>, today: NaiveDate) -> PartStatus {
    match first_noted_on {
        Some(day) if day > p.session_on => PartStatus::Late,
        Some(_) => PartStatus::Done,
        None if p.consensus_on.is_some() => PartStatus::Missed,
        None if p.draft_submitted_on.is_none() => PartStatus::NotYet,
        None if today > p.session_on => PartStatus::Missed,
        None => PartStatus::Pending,
    }
}

pub fn reflection_status(p: &preparation::Model, reflected_on: Option<NaiveDate>) -> PartStatus {
    match (reflected_on, p.consensus_on) {
        (Some(_), _) => PartStatus::Done,
        (None, Some(_)) => PartStatus::Pending,
        (None, None) => PartStatus::NotYet,
    }
}

/// The stage a preparation is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 初备: waiting for the lead's draft.
    Draft,
    /// 一度调整: the co-preparers annotate the draft before the session.
    Notes,
    /// 二度调整: the session is held; waiting for the consensus plan.
    Consensus,
    /// 三度调整: waiting for the teachers' post-lesson reflections.
    Reflections,
    /// Every stage done.
    Completed,
}

pub fn stage_of(p: &preparation::Model, today: NaiveDate) -> Stage {
    if p.completed_on.is_some() {
        Stage::Completed
    } else if p.consensus_on.is_some() {
        Stage::Reflections
    } else if p.draft_submitted_on.is_none() {
        Stage::Draft
    } else if today < p.session_on {
        Stage::Notes
    } else {
        Stage::Consensus
    }
}

/// What is due next, by whom, and by when (`due_on` empty when the stage has no deadline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"stage": "notes", "due_on": "2026-10-15", "teacher_ids": [13, 14]}))]
pub struct NextDue {
    pub stage: Stage,
    pub due_on: Option<NaiveDate>,
    pub teacher_ids: Vec<i64>,
}

/// The next thing due: the draft; the co-preparers' notes still missing before the session; the
/// consensus from the session day on; the missing reflections. `None` once completed.
pub fn next_due(
    p: &preparation::Model,
    participants: &[preparation_participant::Model],
    today: NaiveDate,
) -> Option<NextDue> {
    let who = |f: &dyn Fn(&preparation_participant::Model) -> bool| -> Vec<i64> {
        participants.iter().filter(|t| f(t)).map(|t| t.teacher_id).collect()
    };
    let due = |stage, due_on, teacher_ids| Some(NextDue { stage, due_on, teacher_ids });
    match stage_of(p, today) {
        Stage::Completed => None,
        Stage::Draft => due(Stage::Draft, Some(p.draft_due_on), vec![p.lead_teacher_id]),
        Stage::Notes => {
            let missing = who(&|t| t.role == PreparationRole::CoPreparer && t.first_noted_on.is_none());
            if missing.is_empty() {
                due(Stage::Consensus, Some(p.session_on), vec![p.lead_teacher_id])
            } else {
                due(Stage::Notes, Some(p.session_on), missing)
            }
        }
        Stage::Consensus => due(Stage::Consensus, Some(p.session_on), vec![p.lead_teacher_id]),
        Stage::Reflections => due(Stage::Reflections, None, who(&|t| t.reflected_on.is_none())),
    }
}

/// The day the last stage was done, once every one is: the draft, every co-preparer's first
/// note, the consensus and every teacher's reflection ("一人备课，全体分享" never completes).
pub fn completed_on(p: &preparation::Model, participants: &[preparation_participant::Model]) -> Option<NaiveDate> {
    let mut last = p.draft_submitted_on?.max(p.consensus_on?);
    for t in participants {
        if t.role == PreparationRole::CoPreparer {
            last = last.max(t.first_noted_on?);
        }
        last = last.max(t.reflected_on?);
    }
    Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn prep() -> preparation::Model {
        let at = Utc::now();
        preparation::Model {
            id: 1,
            district_id: 1,
            school_id: 1,
            group_id: 1,
            semester_id: None,
            activity_id: None,
            subject: "语文".into(),
            grade: 3,
            unit_title: None,
            lesson_title: "秋天的雨".into(),
            lead_teacher_id: 10,
            session_on: day(10, 15),
            draft_lead_days: 3,
            draft_due_on: day(10, 12),
            draft_sections: None,
            draft_submitted_on: None,
            draft_late: false,
            consensus_body: None,
            consensus_teacher_id: None,
            consensus_on: None,
            completed_on: None,
            created_by_user_id: None,
            created_at: at,
            updated_at: at,
            archived_at: None,
        }
    }

    fn member(teacher_id: i64, role: PreparationRole) -> preparation_participant::Model {
        preparation_participant::Model {
            id: teacher_id,
            preparation_id: 1,
            teacher_id,
            role,
            first_noted_on: None,
            reflection_record_id: None,
            reflected_on: None,
        }
    }

    #[test]
    fn the_draft_is_due_three_days_before_the_session_and_late_after() {
        assert_eq!(draft_due_on(day(10, 15), DEFAULT_DRAFT_LEAD_DAYS), day(10, 12));
        assert!(!is_late(day(10, 12), day(10, 12)));
        assert!(is_late(day(10, 13), day(10, 12)));
        let p = prep();
        assert_eq!(draft_status(&p, day(10, 12)), DraftStatus::Pending);
        assert_eq!(draft_status(&p, day(10, 13)), DraftStatus::Overdue);
        let late = preparation::Model { draft_submitted_on: Some(day(10, 14)), draft_late: true, ..prep() };
        assert_eq!(draft_status(&late, day(10, 20)), DraftStatus::Late);
    }

    #[test]
    fn stages_follow_the_dates_and_what_is_done() {
        let mut p = prep();
        let mut people = vec![member(10, PreparationRole::Lead), member(11, PreparationRole::CoPreparer)];
        assert_eq!(next_due(&p, &people, day(10, 1)).unwrap().teacher_ids, vec![10]);
        p.draft_submitted_on = Some(day(10, 11));
        let due = next_due(&p, &people, day(10, 13)).unwrap();
        assert_eq!((due.stage, due.teacher_ids.clone()), (Stage::Notes, vec![11]));
        assert_eq!(notes_status(&p, None, day(10, 13)), PartStatus::Pending);
        assert_eq!(notes_status(&p, None, day(10, 16)), PartStatus::Missed);
        assert_eq!(stage_of(&p, day(10, 15)), Stage::Consensus);
        people[1].first_noted_on = Some(day(10, 13));
        assert_eq!(next_due(&p, &people, day(10, 13)).unwrap().stage, Stage::Consensus);
        p.consensus_on = Some(day(10, 15));
        assert_eq!(completed_on(&p, &people), None);
        people[0].reflected_on = Some(day(10, 20));
        let due = next_due(&p, &people, day(10, 20)).unwrap();
        assert_eq!((due.stage, due.teacher_ids), (Stage::Reflections, vec![11]));
        people[1].reflected_on = Some(day(10, 22));
        assert_eq!(completed_on(&p, &people), Some(day(10, 22)));
    }

    #[test]
    fn a_co_preparer_without_notes_keeps_it_from_completing() {
        let mut p = prep();
        p.draft_submitted_on = Some(day(10, 11));
        p.consensus_on = Some(day(10, 15));
        let mut people = vec![member(10, PreparationRole::Lead), member(11, PreparationRole::CoPreparer)];
        people[0].reflected_on = Some(day(10, 20));
        people[1].reflected_on = Some(day(10, 20));
        assert_eq!(completed_on(&p, &people), None);
        assert_eq!(notes_status(&p, None, day(10, 14)), PartStatus::Missed, "closed by the consensus");
    }

    #[test]
    fn sections_name_each_bad_field() {
        let mut checks = Checks::new();
        clean_sections(&mut checks, &[Section { title: " ".into(), body: "x".into() }]);
        let fields: Vec<String> = checks.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["sections[0].title"]);
        let mut checks = Checks::new();
        clean_sections(&mut checks, &[]);
        assert!(!checks.is_empty());
    }
}
