//! Lesson observations: the teachers' own (mostly a colleague of the same school, in the
//! observer's subject), and the mentors' of their mentees and back.

use chrono::NaiveDate;
use entities::enums::{LessonKind, TeacherStatus};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::json;

use super::{class_name, Work, LESSON_TITLES, STRENGTHS, SUGGESTIONS, WEAKNESSES};
use crate::gen::insert::Batch;
use crate::gen::roster::Teacher;
use crate::gen::{at, row, AUTUMN_ID, DISTRICT_ID, NO_I64, NO_STR};
use crate::rng::{Rng, RngExt};

const COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "semester_id",
    "observer_teacher_id",
    "observer_school_id",
    "observed_teacher_id",
    "observed_school_id",
    "observed_name",
    "observed_on",
    "period",
    "subject",
    "grade",
    "class_name",
    "lesson_kind",
    "lesson_title",
    "activity_id",
    "rubric_id",
    "scores",
    "total_score",
    "strengths",
    "weaknesses",
    "suggestions",
    "strengths_count",
    "weaknesses_count",
    "suggestions_count",
    "critique_given",
    "critique",
    "notes",
    "created_by_user_id",
    "created_at",
    "updated_at",
    "archived_at",
];

/// The lesson kinds leaders observe (more of them unannounced).
const LEADERS_KINDS: &[(LessonKind, u32)] = &[
    (LessonKind::Unannounced, 30),
    (LessonKind::DropIn, 15),
    (LessonKind::Ordinary, 25),
    (LessonKind::Open, 15),
    (LessonKind::Research, 8),
    (LessonKind::Demo, 4),
    (LessonKind::Report, 3),
];
/// The lesson kinds other teachers observe.
const TEACHERS_KINDS: &[(LessonKind, u32)] = &[
    (LessonKind::Ordinary, 35),
    (LessonKind::DropIn, 15),
    (LessonKind::Unannounced, 10),
    (LessonKind::Open, 18),
    (LessonKind::Research, 9),
    (LessonKind::Demo, 5),
    (LessonKind::Report, 4),
    (LessonKind::Showcase, 2),
    (LessonKind::Competition, 2),
];

/// What one observation is: who observes whom, in which subject, on which day, of which kind.
struct Seen {
    observer: usize,
    observed: usize,
    subject: &'static str,
    day: NaiveDate,
    kind: LessonKind,
}

impl Work<'_> {
    pub(super) async fn observations(&self, db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>, DbErr> {
        let mut rng = Rng::stream(self.seed, 3);
        let mut batch = Batch::new("observations", COLUMNS);
        let mut id = 0i64;
        // Teachers' own observations: ≈ 45 a semester, leaders more, some hardly any.
        for (i, t) in self.r.teachers.iter().enumerate() {
            let weight = if t.status == TeacherStatus::OnLeave {
                0.2
            } else if rng.chance(10) {
                0.25
            } else if t.is_leader() {
                1.8
            } else if !t.posts.is_empty() {
                1.2
            } else {
                1.0
            };
            let jitter = 0.8 + 0.4 * rng.unit();
            let n = rng.round(45.5 * weight * self.scale * jitter);
            for day in self.spread_days(&mut rng, n) {
                let (observed, subject) = self.observed(&mut rng, i);
                let kind = *rng.weighted(if t.is_leader() { LEADERS_KINDS } else { TEACHERS_KINDS });
                id += 1;
                let seen = Seen { observer: i, observed, subject, day, kind };
                batch.push(db, self.observation(&mut rng, id, &seen)).await?;
            }
        }
        // Mentors observe their mentees about weekly (some pairs only now and then), mentees
        // their mentors a few times.
        for p in &self.r.pairs {
            let chance = if p.sparse { 0.45 } else { 0.9 } * self.scale;
            let subject = self.r.teachers[p.mentee].main_subject();
            for week in &self.weeks {
                let day = *rng.pick(week);
                if rng.unit() < chance && day <= self.until {
                    id += 1;
                    let kind = *rng.weighted(&[
                        (LessonKind::DropIn, 50),
                        (LessonKind::Ordinary, 35),
                        (LessonKind::Unannounced, 15),
                    ]);
                    let seen = Seen { observer: p.mentor, observed: p.mentee, subject, day, kind };
                    batch.push(db, self.observation(&mut rng, id, &seen)).await?;
                }
            }
            let n = rng.round(4.0 * self.scale);
            let subject = self.r.teachers[p.mentor].main_subject();
            for day in self.spread_days(&mut rng, n) {
                id += 1;
                let kind =
                    *rng.weighted(&[(LessonKind::DropIn, 60), (LessonKind::Demo, 25), (LessonKind::Ordinary, 15)]);
                let seen = Seen { observer: p.mentee, observed: p.mentor, subject, day, kind };
                batch.push(db, self.observation(&mut rng, id, &seen)).await?;
            }
        }
        batch.flush(db).await?;
        Ok(vec![("observations", batch.written)])
    }

    /// Whom a teacher observes and in which subject: mostly a colleague of the same school, mostly
    /// in the observer's own subject.
    fn observed(&self, rng: &mut Rng, observer: usize) -> (usize, &'static str) {
        let t = &self.r.teachers[observer];
        let school = if rng.chance(90) {
            t.school
        } else {
            let zone = &self.zone_schools[self.r.schools[t.school].zone];
            if zone.len() > 1 {
                *rng.pick(zone)
            } else {
                rng.below(self.r.schools.len())
            }
        };
        let subject = if rng.chance(70) {
            *rng.pick(&t.subjects)
        } else {
            *rng.weighted(&[
                ("语文", 30),
                ("数学", 28),
                ("英语", 12),
                ("科学", 10),
                ("体育", 5),
                ("音乐", 5),
                ("美术", 5),
                ("道德与法治", 5),
            ])
        };
        if let Some(pool) = self.by_subject[school].get(subject) {
            let candidates: Vec<usize> = pool.iter().copied().filter(|x| *x != observer).collect();
            if !candidates.is_empty() {
                return (*rng.pick(&candidates), subject);
            }
        }
        let pool: Vec<usize> = self.r.schools[school].teachers.clone().filter(|x| *x != observer).collect();
        let other = *rng.pick(&pool);
        (other, self.r.teachers[other].main_subject())
    }

    /// The `observations` row of `seen`, its feedback drawn.
    fn observation(&self, rng: &mut Rng, id: i64, seen: &Seen) -> Vec<sea_orm::Value> {
        let (o, d): (&Teacher, &Teacher) = (&self.r.teachers[seen.observer], &self.r.teachers[seen.observed]);
        let day = seen.day;
        let grade = *rng.pick(&d.grades);
        let critique = rng.chance(60);
        let take = |rng: &mut Rng, items: &[&str], n: usize| -> Vec<String> {
            let start = rng.below(items.len());
            (0..n.min(items.len())).map(|k| items[(start + k) % items.len()].to_string()).collect()
        };
        let (s, w, g) = if critique {
            let shape = *rng.weighted(&[((1, 1, 1), 40), ((1, 2, 3), 25), ((2, 1, 2), 20), ((3, 2, 2), 15)]);
            (shape.0, shape.1, shape.2)
        } else {
            (rng.below(2), 0, 0)
        };
        let strengths = take(rng, STRENGTHS, s);
        let weaknesses = take(rng, WEAKNESSES, w);
        let suggestions = take(rng, SUGGESTIONS, g);
        let created = at(day, 2 + rng.below(7) as u32, rng.below(60) as u32);
        let archived = rng.below(1000) < 5;
        row![
            id,
            DISTRICT_ID,
            AUTUMN_ID,
            o.id,
            self.r.schools[o.school].id,
            Some(d.id),
            Some(self.r.schools[d.school].id),
            NO_STR,
            day,
            Some(rng.between(1, 7)),
            seen.subject,
            Some(grade),
            Some(class_name(grade, rng.between(1, 4))),
            seen.kind.code(),
            Some(rng.pick(LESSON_TITLES).to_string()),
            NO_I64,
            NO_I64,
            Option::<serde_json::Value>::None,
            Option::<f64>::None,
            json!(strengths),
            json!(weaknesses),
            json!(suggestions),
            strengths.len() as i32,
            weaknesses.len() as i32,
            suggestions.len() as i32,
            critique,
            if critique {
                Some(format!("{}；建议{}", strengths.join("，"), suggestions.join("，")))
            } else {
                None
            },
            NO_STR,
            NO_I64,
            created,
            created,
            if archived { Some(at(day, 10, 0)) } else { None }
        ]
    }
}
