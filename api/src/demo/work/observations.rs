//! The flagship's 课堂教学评价量表 and the lesson observations (听课记录) up to the as-of day:
//! mentors' visits to their mentees, observations of the lessons taught at activities, and the
//! everyday 推门/随堂/常态 visits, spread so that some teachers are ahead of seed 000's "本学期听课
//! 不少于15节" by mid-semester and others far behind.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use entities::enums::{LessonKind, Post};
use entities::{observation, rubric, rubric_dimension};
use sea_orm::{ActiveModelTrait, DbErr, Set};
use serde_json::json;

use super::super::created::DemoSchool;
use super::super::organisation::date;
use super::super::write::insert_chunked;
use super::activities::HeldLesson;
use super::mentorships::Pair;
use super::{as_of, teaching_day_from, teaching_days, texts, Work};

/// The rubric's dimensions and their points (seed-style 量表, 100 in all).
pub const RUBRIC: [(&str, i32, &str); 5] = [
    ("教学目标", 10, "目标明确具体，符合课标和学情。"),
    ("教学内容", 20, "内容正确，重难点突出，容量适当。"),
    ("教学方法", 20, "方法得当，体现先学后教、当堂训练。"),
    ("教学过程", 30, "环节清晰，学生主体，师生互动有效。"),
    ("教学效果", 20, "目标达成度高，当堂检测正确率高。"),
];

/// Observations each flagship teacher has written by the as-of day, by roster index, where the
/// demo fixes it: leaders well ahead (seed 004 asks 30 of the supervising leader), a few
/// teachers far behind. The others get 4–13.
const FIXED_TARGETS: [(usize, usize); 12] = [
    (37, 22), // 分管副校长
    (16, 19), // 教导主任
    (12, 20), // 语文教研组长, 名师, observes a mentee every week
    (48, 14), // 校长
    (30, 13), // 中层
    (36, 12), // 数学教研组长
    (42, 9),  // 英语教研组长
    (49, 7),  // 综合教研组长
    (3, 1),
    (26, 3),
    (51, 0),
    (55, 2),
];

/// An observation before its feedback: who, whom, when, what.
struct Visit {
    observer_id: i64,
    observed_id: i64,
    day: NaiveDate,
    period: Option<i32>,
    kind: LessonKind,
    activity_id: Option<i64>,
    /// (subject, grade, class, title) when known (a lesson of an activity).
    lesson: Option<(String, i32, String, String)>,
}

pub(super) async fn write(w: &mut Work<'_>, lessons: &[HeldLesson], pairs: &[Pair]) -> Result<(), DbErr> {
    let dimensions = write_rubric(w).await?;
    let school = w.flagship().clone();
    let mut target: HashMap<i64, usize> = HashMap::new();
    for (i, t) in school.teachers.iter().enumerate() {
        let fixed = FIXED_TARGETS.iter().find(|f| f.0 == i).map(|f| f.1);
        let n = fixed.unwrap_or_else(|| w.rng.between(4, 13) as usize);
        target.insert(t.id, n);
    }
    let mut visits = Visits::default();
    let days = teaching_days(&w.calendar, date(2026, 9, 7), as_of());
    mentor_visits(w, pairs, &days, &mut visits);
    lesson_visits(w, lessons, &target, &mut visits);
    everyday_visits(w, &school, &target, &days, &mut visits);
    let mut rows = Vec::with_capacity(visits.all.len());
    for v in visits.all {
        rows.push(observation_row(w, v, &dimensions));
    }
    w.counts.observations = rows.len();
    insert_chunked::<observation::Entity, _>(w.txn, rows.into_iter()).await
}

/// The visits planned so far, and how many each observer writes up.
#[derive(Default)]
struct Visits {
    all: Vec<Visit>,
    written: HashMap<i64, usize>,
}

/// Mentors' visits: the first pair every week from week 2, the others spread over the weeks.
fn mentor_visits(w: &mut Work<'_>, pairs: &[Pair], days: &[NaiveDate], out: &mut Visits) {
    for (n, pair) in pairs.iter().enumerate() {
        for (observer, observed, count) in
            [(pair.mentor_id, pair.mentee_id, pair.mentor_visits), (pair.mentee_id, pair.mentor_id, pair.mentee_visits)]
        {
            for k in 0..count {
                let day = if n == 0 && observer == pair.mentor_id {
                    teaching_day_from(&w.calendar, date(2026, 9, 8) + Days::new(7 * k as u64))
                } else {
                    days[(k * days.len() / count.max(1) + 2 * n + 1).min(days.len() - 1)]
                };
                let kind = if w.rng.chance(60) { LessonKind::DropIn } else { LessonKind::Ordinary };
                out.all.push(Visit {
                    observer_id: observer,
                    observed_id: observed,
                    day,
                    period: Some(w.rng.between(1, 6)),
                    kind,
                    activity_id: None,
                    lesson: None,
                });
                *out.written.entry(observer).or_default() += 1;
            }
        }
    }
}

/// The lessons of held activities: three to six of those who came write them up.
fn lesson_visits(w: &mut Work<'_>, lessons: &[HeldLesson], target: &HashMap<i64, usize>, out: &mut Visits) {
    for l in lessons {
        let wanted = w.rng.between(3, 6) as usize;
        let mut candidates = l.attended.clone();
        let mut taken = 0;
        while taken < wanted && !candidates.is_empty() {
            let observer = candidates.remove(w.rng.below(candidates.len()));
            let room = target.get(&observer).is_none_or(|t| out.written.get(&observer).copied().unwrap_or(0) < *t);
            if !room {
                continue;
            }
            out.all.push(Visit {
                observer_id: observer,
                observed_id: l.teacher_id,
                day: l.day,
                period: l.period,
                kind: l.kind,
                activity_id: Some(l.activity_id),
                lesson: Some((l.subject.clone(), l.grade, l.class_name.clone(), l.title.clone())),
            });
            *out.written.entry(observer).or_default() += 1;
            taken += 1;
        }
    }
}

/// Everyday visits up to each teacher's target: colleagues of the same subject mostly; leaders
/// drop in unannounced (推门).
fn everyday_visits(
    w: &mut Work<'_>,
    school: &DemoSchool,
    target: &HashMap<i64, usize>,
    days: &[NaiveDate],
    out: &mut Visits,
) {
    for t in &school.teachers {
        let missing = target[&t.id].saturating_sub(out.written.get(&t.id).copied().unwrap_or(0));
        let leads = t.spec.posts.iter().any(|p| {
            matches!(
                p,
                Post::Principal
                    | Post::SupervisingLeader
                    | Post::AcademicDirector
                    | Post::MiddleManager
                    | Post::ResearchGroupLeader
            )
        });
        let same: Vec<i64> =
            school.teachers.iter().filter(|o| o.id != t.id && o.spec.subject == t.spec.subject).map(|o| o.id).collect();
        let anyone: Vec<i64> = school.teachers.iter().filter(|o| o.id != t.id).map(|o| o.id).collect();
        for _ in 0..missing {
            let observed_id =
                if !same.is_empty() && w.rng.chance(80) { *w.rng.pick(&same) } else { *w.rng.pick(&anyone) };
            let roll = w.rng.below(100);
            let kind = match (leads, roll) {
                (true, 0..=59) => LessonKind::Unannounced,
                (true, _) | (false, 0..=49) => LessonKind::Ordinary,
                (false, 50..=79) => LessonKind::DropIn,
                (false, _) => LessonKind::Open,
            };
            let day = *w.rng.pick(days);
            out.all.push(Visit {
                observer_id: t.id,
                observed_id,
                day,
                period: Some(w.rng.between(1, 7)),
                kind,
                activity_id: None,
                lesson: None,
            });
        }
    }
}

/// The rubric and its dimensions: (dimension id, max points).
async fn write_rubric(w: &mut Work<'_>) -> Result<Vec<(i64, i32)>, DbErr> {
    let school = w.flagship();
    let rubric_id = rubric::ActiveModel {
        district_id: Set(w.district.district_id),
        school_id: Set(Some(school.id)),
        name: Set(format!("{}课堂教学评价量表", school.name)),
        description: Set(Some("五个维度，满分100分；听课时打分，评课时交流。".into())),
        created_at: Set(w.at),
        updated_at: Set(w.at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(w.txn)
    .await?
    .id;
    w.counts.rubric_id = rubric_id;
    let mut dimensions = Vec::new();
    for (position, (name, max_points, description)) in RUBRIC.into_iter().enumerate() {
        let saved = rubric_dimension::ActiveModel {
            rubric_id: Set(rubric_id),
            position: Set(position as i32 + 1),
            name: Set(name.into()),
            max_points: Set(max_points),
            description: Set(Some(description.into())),
            created_at: Set(w.at),
            updated_at: Set(w.at),
            ..Default::default()
        }
        .insert(w.txn)
        .await?;
        dimensions.push((saved.id, max_points));
    }
    Ok(dimensions)
}

/// The feedback a visit gets: "123" (one strength, two weaknesses, three suggestions) for many,
/// "三个一" for others, a few left incomplete; a critique for most; a rubric score for some.
fn observation_row(w: &mut Work<'_>, v: Visit, dimensions: &[(i64, i32)]) -> observation::ActiveModel {
    let observer_school = w.teacher(v.observer_id).1;
    let observer_school_is_flagship = observer_school == w.flagship().id;
    let (observed, observed_school) = w.teacher(v.observed_id);
    let observed = observed.clone();
    let (subject, grade, class_name, title) = match v.lesson {
        Some(l) => l,
        None => {
            let (grade, class_name) = w.class_of(&observed);
            (observed.spec.subject.to_string(), grade, class_name, w.lesson_title(observed.spec.subject))
        }
    };
    let roll = w.rng.below(100);
    let (s, wk, sg) = match roll {
        0..=39 => (1, 2, 3),
        40..=69 => (1, 1, 1),
        70..=84 => (2, 1, 2),
        85..=91 => (1, 0, 0),
        92..=95 => (0, 0, 1),
        _ => (2, 0, 0),
    };
    let incomplete = roll >= 85;
    let strengths = texts::pick_distinct(&mut w.rng, texts::STRENGTHS, s);
    let weaknesses = texts::pick_distinct(&mut w.rng, texts::WEAKNESSES, wk);
    let suggestions = texts::pick_distinct(&mut w.rng, texts::SUGGESTIONS, sg);
    let critique_given = w.rng.chance(if incomplete { 30 } else { 75 });
    let critique = critique_given.then(|| w.rng.pick(texts::CRITIQUES).to_string());
    let scored = observer_school_is_flagship && w.rng.chance(if v.activity_id.is_some() { 60 } else { 25 });
    let (rubric_id, scores, total) = if scored {
        let points: Vec<(i64, i32)> =
            dimensions.iter().map(|&(id, max)| (id, max * w.rng.between(65, 98) / 100)).collect();
        let total: i32 = points.iter().map(|p| p.1).sum();
        let scores = points.iter().map(|(id, p)| json!({"dimension_id": id, "points": p})).collect::<Vec<_>>();
        (Some(w.counts.rubric_id), Some(json!(scores)), Some(f64::from(total)))
    } else {
        (None, None, None)
    };
    observation::ActiveModel {
        district_id: Set(w.district.district_id),
        semester_id: Set(Some(w.semester_id)),
        observer_teacher_id: Set(v.observer_id),
        observer_school_id: Set(observer_school),
        observed_teacher_id: Set(Some(v.observed_id)),
        observed_school_id: Set(Some(observed_school)),
        observed_name: Set(None),
        observed_on: Set(v.day),
        period: Set(v.period),
        subject: Set(subject),
        grade: Set(Some(grade)),
        class_name: Set(Some(class_name)),
        lesson_kind: Set(v.kind),
        lesson_title: Set(Some(title)),
        activity_id: Set(v.activity_id),
        rubric_id: Set(rubric_id),
        scores: Set(scores),
        total_score: Set(total),
        strengths_count: Set(strengths.len() as i32),
        weaknesses_count: Set(weaknesses.len() as i32),
        suggestions_count: Set(suggestions.len() as i32),
        strengths: Set(json!(strengths)),
        weaknesses: Set(json!(weaknesses)),
        suggestions: Set(json!(suggestions)),
        critique_given: Set(critique_given),
        critique: Set(critique),
        notes: Set(None),
        created_by_user_id: Set(None),
        created_at: Set(w.at),
        updated_at: Set(w.at),
        archived_at: Set(None),
        ..Default::default()
    }
}
