//! Collective preparations (集体备课, seed 003) of the lesson-prep groups: about one lesson every
//! other week per group, its lead (主备) taking turns among the members, the draft due three days
//! before the session and now and then late or missing, co-preparers' revision notes (some give
//! none), the consensus on the session day and the reflections (三度调整) within a week, so that the
//! three preparation metrics (`prep_drafts_on_time`, `prep_notes_given`,
//! `prep_completion_share`) have a district's worth of rows to count.

use chrono::{Days, NaiveDate};
use entities::enums::GroupKind;
use sea_orm::{ConnectionTrait, DbErr};

use super::{Work, LESSON_TITLES, SUGGESTIONS};
use crate::gen::insert::Batch;
use crate::gen::roster::Group;
use crate::gen::{at, row, AUTUMN_ID, DISTRICT_ID, NO_I64, NO_TIME};
use crate::rng::{Rng, RngExt};

const PREPARATION_COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "school_id",
    "group_id",
    "semester_id",
    "activity_id",
    "subject",
    "grade",
    "unit_title",
    "lesson_title",
    "lead_teacher_id",
    "session_on",
    "draft_lead_days",
    "draft_due_on",
    "draft_sections",
    "draft_submitted_on",
    "draft_late",
    "consensus_body",
    "consensus_teacher_id",
    "consensus_on",
    "completed_on",
    "created_by_user_id",
    "created_at",
    "updated_at",
    "archived_at",
];
const PARTICIPANT_COLUMNS: &[&str] =
    &["id", "preparation_id", "teacher_id", "role", "first_noted_on", "reflection_record_id", "reflected_on"];
const NOTE_COLUMNS: &[&str] = &["id", "preparation_id", "teacher_id", "section", "body", "written_on", "created_at"];

/// Days before the session the draft is due (the seed's "提前三天").
const LEAD_DAYS: u64 = 3;
const SECTIONS: &[&str] = &["教学目标", "教学重难点", "教学过程", "板书设计", "作业设计"];

struct Rows {
    preparations: Batch,
    participants: Batch,
    notes: Batch,
    preparation_id: i64,
    participant_id: i64,
    note_id: i64,
}

impl Rows {
    fn full(&self) -> bool {
        self.preparations.full() || self.participants.full() || self.notes.full()
    }

    /// Writes the preparations before the rows that refer to them.
    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.preparations.flush(db).await?;
        self.participants.flush(db).await?;
        self.notes.flush(db).await
    }
}

/// How one preparation went, drawn before it is written.
struct Course {
    submitted: Option<NaiveDate>,
    consensus: Option<NaiveDate>,
    completed: Option<NaiveDate>,
}

impl Work<'_> {
    pub(super) async fn preparations(&self, db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>, DbErr> {
        let mut rng = Rng::stream(self.seed, 5);
        let mut rows = Rows {
            preparations: Batch::new("preparations", PREPARATION_COLUMNS),
            participants: Batch::new("preparation_participants", PARTICIPANT_COLUMNS),
            notes: Batch::new("preparation_notes", NOTE_COLUMNS),
            preparation_id: 0,
            participant_id: 0,
            note_id: 0,
        };
        for g in self.r.groups.iter().filter(|g| g.kind == GroupKind::LessonPrep && g.school.is_some()) {
            for (turn, session) in self.prep_days(&mut rng, g).into_iter().enumerate() {
                let members: Vec<usize> = g.members_on(session).map(|m| m.teacher).collect();
                if members.len() < 2 {
                    continue;
                }
                rows.preparation_id += 1;
                let lead = members[turn % members.len()];
                let co: Vec<usize> = members.iter().copied().filter(|t| *t != lead).collect();
                let course = self.preparation(&mut rng, &mut rows, g, session, lead);
                self.preparers(&mut rng, &mut rows, session, lead, &co, &course);
                if rows.full() {
                    rows.flush(db).await?;
                }
            }
        }
        rows.flush(db).await?;
        Ok(vec![
            ("preparations", rows.preparations.written),
            ("preparation_participants", rows.participants.written),
            ("preparation_notes", rows.notes.written),
        ])
    }

    /// A session day every other week (scaled by `work_scale`), the semester's dates only.
    fn prep_days(&self, rng: &mut Rng, g: &Group) -> Vec<NaiveDate> {
        let offset = (g.id as usize) % 2;
        let mut days = Vec::new();
        for week in self.weeks.iter().skip(offset).step_by(2) {
            if rng.unit() < (0.9 * self.scale).min(1.0) {
                days.push(week[rng.below(week.len())]);
            }
        }
        days
    }

    /// Queues the preparation of `g` for `session`, led by `lead`; answers how it went.
    fn preparation(&self, rng: &mut Rng, rows: &mut Rows, g: &Group, session: NaiveDate, lead: usize) -> Course {
        let due = session - Days::new(LEAD_DAYS);
        let created = session - Days::new(14);
        // 80 % on time, 15 % late (at most the day before the session), 5 % never.
        let submitted = match rng.below(100) {
            0..80 => Some(due - Days::new(rng.below(3) as u64)),
            80..95 => Some(due + Days::new(1 + rng.below(LEAD_DAYS as usize - 1) as u64)),
            _ => None,
        }
        .filter(|d| *d <= self.until);
        let consensus = Some(session).filter(|d| submitted.is_some() && *d <= self.until && !rng.chance(10));
        let completed = consensus.map(|d| d + Days::new(2 + rng.below(5) as u64)).filter(|d| *d <= self.until);
        let teacher = &self.r.teachers[lead];
        let school = self.r.schools[g.school.expect("a school's group")].id;
        let sections: serde_json::Value =
            SECTIONS.iter().map(|s| serde_json::json!({"title": s, "body": format!("{s}：……")})).collect();
        let updated = completed.or(consensus).or(submitted).unwrap_or(created);
        rows.preparations.queue(row![
            rows.preparation_id,
            DISTRICT_ID,
            school,
            g.id,
            Some(AUTUMN_ID),
            NO_I64,
            g.subject.unwrap_or("语文"),
            g.grade.or_else(|| teacher.grades.first().copied()).unwrap_or(3),
            Some(format!("第{}单元", 1 + rng.below(8))),
            rng.pick(LESSON_TITLES).to_string(),
            teacher.id,
            session,
            LEAD_DAYS as i32,
            due,
            submitted.map(|_| sections),
            submitted,
            submitted.is_some_and(|d| d > due),
            consensus.map(|_| "经集体讨论，调整教学过程第二环节，增加学生合作探究。".to_string()),
            consensus.map(|_| teacher.id),
            consensus,
            completed,
            NO_I64,
            at(created, 1, 0),
            at(updated, 9, 0),
            NO_TIME,
        ]);
        Course { submitted, consensus, completed }
    }

    /// Queues the lead and the co-preparers, and the co-preparers' notes: 85 % of them write one to
    /// three notes in the days between the draft and the session.
    fn preparers(&self, rng: &mut Rng, rows: &mut Rows, session: NaiveDate, lead: usize, co: &[usize], c: &Course) {
        let p = rows.preparation_id;
        rows.participant_id += 1;
        let lead_reflected = c.completed;
        rows.participants.queue(row![
            rows.participant_id,
            p,
            self.r.teachers[lead].id,
            "lead",
            Option::<NaiveDate>::None,
            NO_I64,
            lead_reflected
        ]);
        for &t in co {
            let mut first = None;
            if let Some(draft) = c.submitted.filter(|_| !rng.chance(15)) {
                let window = (session - draft).num_days().max(1) as usize;
                for _ in 0..1 + rng.below(3) {
                    let written = (draft + Days::new(rng.below(window) as u64)).min(self.until);
                    first = Some(first.map_or(written, |f: NaiveDate| f.min(written)));
                    rows.note_id += 1;
                    rows.notes.queue(row![
                        rows.note_id,
                        p,
                        self.r.teachers[t].id,
                        rng.below(SECTIONS.len()) as i32,
                        rng.pick(SUGGESTIONS).to_string(),
                        written,
                        at(written, 12, rng.below(60) as u32)
                    ]);
                }
            }
            let reflected = c.completed.filter(|_| c.consensus.is_some());
            rows.participant_id += 1;
            rows.participants.queue(row![
                rows.participant_id,
                p,
                self.r.teachers[t].id,
                "co_preparer",
                first,
                NO_I64,
                reflected
            ]);
        }
    }
}
