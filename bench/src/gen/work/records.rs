//! Research records: ≈ 48 a teacher a semester by kind (fewer for those on leave or who write
//! little), some answering a deadline, research projects with co-authors.

use chrono::{Days, NaiveDate};
use entities::enums::{Level, RecordKind, TeacherStatus};
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::{Work, LESSON_TITLES};
use crate::gen::insert::Batch;
use crate::gen::roster::Teacher;
use crate::gen::{at, row, AUTUMN_ID, DISTRICT_ID, NO_I64, NO_STR};
use crate::rng::{Rng, RngExt};

const COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "school_id",
    "author_teacher_id",
    "semester_id",
    "kind",
    "title",
    "body",
    "attachment_url",
    "written_on",
    "word_count",
    "hours",
    "lesson_plan_form",
    "project_level",
    "project_stage",
    "award_level",
    "award_rank",
    "activity_id",
    "observation_id",
    "task_id",
    "due_on",
    "submitted_on",
    "late",
    "created_by_user_id",
    "created_at",
    "updated_at",
    "archived_at",
];

/// Per teacher and semester: ≈ 48 records (this plan, × 1.09 to make up for those who write little).
const PLAN: &[(RecordKind, f64)] = &[
    (RecordKind::Reflection, 18.0),
    (RecordKind::LessonPlan, 13.0),
    (RecordKind::StudyNote, 6.0),
    (RecordKind::ReadingNote, 2.0),
    (RecordKind::Essay, 3.0),
    (RecordKind::TeachingCase, 1.0),
    (RecordKind::Paper, 0.6),
    (RecordKind::ExperienceSummary, 0.5),
    (RecordKind::Courseware, 1.5),
    (RecordKind::Training, 2.0),
    (RecordKind::Award, 0.4),
    (RecordKind::ResearchProject, 0.3),
];

/// What a record of a kind says about itself.
struct Content {
    title: &'static str,
    words: i32,
    form: Option<&'static str>,
    hours: Option<f64>,
    project: (Option<&'static str>, Option<&'static str>),
    award: (Option<&'static str>, Option<&'static str>),
}

/// When a record was handed in: (due, submitted, late).
type Handed = (Option<NaiveDate>, NaiveDate, bool);

impl Work<'_> {
    pub(super) async fn records(&self, db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>, DbErr> {
        let mut rng = Rng::stream(self.seed, 4);
        let mut records = Batch::new("records", COLUMNS);
        let mut coauthors = Batch::new("record_coauthors", &["record_id", "teacher_id"]);
        let mut id = 0i64;
        for t in &self.r.teachers {
            let factor = if t.status == TeacherStatus::OnLeave {
                0.2
            } else if rng.chance(8) {
                0.3
            } else {
                0.85 + 0.3 * rng.unit()
            };
            for (kind, expected) in PLAN {
                let n = rng.round(expected * 1.09 * factor * self.scale);
                for day in self.spread_days(&mut rng, n) {
                    id += 1;
                    records.queue(self.record(&mut rng, id, t, *kind, day));
                    if *kind == RecordKind::ResearchProject {
                        let mut pool: Vec<usize> = self.r.schools[t.school]
                            .teachers
                            .clone()
                            .filter(|x| self.r.teachers[*x].id != t.id)
                            .collect();
                        rng.shuffle(&mut pool);
                        for c in pool.into_iter().take(rng.between(2, 4) as usize) {
                            coauthors.queue(row![id, self.r.teachers[c].id]);
                        }
                    }
                    if records.full() || coauthors.full() {
                        records.flush(db).await?;
                        coauthors.flush(db).await?;
                    }
                }
            }
        }
        records.flush(db).await?;
        coauthors.flush(db).await?;
        Ok(vec![("records", records.written), ("record_coauthors", coauthors.written)])
    }

    /// The `records` row of record `id`, of `kind`, written by `t` on `day`.
    fn record(&self, rng: &mut Rng, id: i64, t: &Teacher, kind: RecordKind, day: NaiveDate) -> Vec<Value> {
        let c = content(rng, t, kind);
        let (due, submitted, late) = self.handed(rng, day);
        let created = at(submitted, 3 + rng.below(10) as u32, rng.below(60) as u32);
        let archived = rng.below(1000) < 5;
        row![
            id,
            DISTRICT_ID,
            self.r.schools[t.school].id,
            t.id,
            AUTUMN_ID,
            kind.code(),
            format!("{}：{}", c.title, rng.pick(LESSON_TITLES)),
            NO_STR,
            if matches!(kind, RecordKind::Courseware | RecordKind::Award) {
                Some(format!("https://files.example.cn/records/{id}.pdf"))
            } else {
                None
            },
            day,
            c.words,
            c.hours,
            c.form.map(str::to_string),
            c.project.0.map(str::to_string),
            c.project.1.map(str::to_string),
            c.award.0.map(str::to_string),
            c.award.1.map(str::to_string),
            NO_I64,
            NO_I64,
            NO_I64,
            due,
            submitted,
            late,
            NO_I64,
            created,
            created,
            if archived { Some(at(submitted, 12, 0)) } else { None }
        ]
    }

    /// Some records answer a deadline; a few of those come in late.
    fn handed(&self, rng: &mut Rng, day: NaiveDate) -> Handed {
        let mut due = None;
        let mut submitted = day;
        let mut late = false;
        if rng.chance(25) {
            let d = day + Days::new(rng.below(6) as u64);
            if d <= self.until {
                due = Some(d);
                if rng.chance(20) {
                    let s = d + Days::new(1 + rng.below(4) as u64);
                    if s <= self.until {
                        submitted = s;
                        late = true;
                    }
                }
            }
        } else if rng.chance(10) && day + Days::new(1) <= self.until {
            submitted = day + Days::new(1);
        }
        (due, submitted, late)
    }
}

/// The title, length and kind-specific fields of a record of `kind` by `t`.
fn content(rng: &mut Rng, t: &Teacher, kind: RecordKind) -> Content {
    use RecordKind as K;
    let (words, title) = match kind {
        K::Reflection => (rng.between(300, 1500), "教学反思"),
        K::LessonPlan => (0, "教案"),
        K::StudyNote => (rng.between(300, 3000), "学习心得"),
        K::ReadingNote => (rng.between(500, 3000), "读书笔记"),
        K::Essay => (rng.between(500, 2000), "教育随笔"),
        K::TeachingCase => (rng.between(800, 3000), "教学案例"),
        K::Paper => (rng.between(1500, 3000), "教学论文"),
        K::ExperienceSummary => (rng.between(1000, 3000), "经验总结"),
        K::Courseware => (0, "课件"),
        K::Training => (0, "培训"),
        K::Award => (0, "获奖"),
        K::ResearchProject => (rng.between(300, 3000), "课题"),
    };
    let form = (kind == K::LessonPlan).then(|| {
        let full = match t.teaching_years() {
            0..=4 => 90,
            5..=10 => 65,
            _ => 50,
        };
        if rng.chance(full) {
            "full"
        } else {
            "brief"
        }
    });
    let words = match form {
        Some("full") => rng.between(1500, 3000),
        Some(_) => rng.between(300, 800),
        None => words,
    };
    let hours = (kind == K::Training).then(|| f64::from(rng.between(4, 32)) / 2.0);
    let project = if kind == K::ResearchProject {
        (
            Some(rng.pick(&[Level::School, Level::County, Level::City, Level::Province]).code()),
            Some(*rng.pick(&["applied", "approved", "opened", "mid_term", "concluded"])),
        )
    } else {
        (None, None)
    };
    let award = if kind == K::Award {
        (
            Some(rng.pick(&[Level::School, Level::District, Level::County, Level::City]).code()),
            Some(*rng.weighted(&[("special", 5), ("first", 25), ("second", 35), ("third", 25), ("merit", 10)])),
        )
    } else {
        (None, None)
    };
    Content { title, words, form, hours, project, award }
}
