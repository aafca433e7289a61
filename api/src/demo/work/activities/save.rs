//! Saving one demo activity with what follows from its status: attendance when held (drawn in
//! a fixed order from the demo's generator, so the district comes out the same every run),
//! pending participants when scheduled, minutes and a summary, and the lessons taught.

use super::*;

/// One participant's attendance: teacher, status, leave reason and sign-in time.
type Attendance = (i64, AttendanceStatus, Option<String>, Option<chrono::DateTime<chrono::Utc>>);

/// Saves the activity, then its lessons and its participants: pending when scheduled, with
/// their attendance when held (the lesson teachers always present). Held activities get minutes
/// and a summary due the Tuesday after (seed 001); one in five summaries came in late.
pub(super) async fn save(
    w: &mut Work<'_>,
    out: &mut Output,
    mut a: activity::ActiveModel,
    participants: &[i64],
    lessons: Vec<Lesson>,
) -> Result<i64, DbErr> {
    let status = a.status.clone().unwrap();
    let day = a.date.clone().unwrap();
    let start = a.start_time.clone().unwrap();
    let period = a.start_period.clone().unwrap();
    let mut attendance = Vec::new();
    if status == ActivityStatus::Held {
        let day = day.expect("a held activity has a date");
        let start = start.expect("a held activity has a start time");
        attendance = held_attendance(w, participants, &lessons, day, start);
        write_up(w, &mut a, participants.len(), &attendance, day);
    } else if status == ActivityStatus::Scheduled {
        attendance = participants.iter().map(|&t| (t, AttendanceStatus::Pending, None, None)).collect();
    }
    let id = a.insert(w.txn).await?.id;
    count(w, status);
    let attended: Vec<i64> = attendance.iter().filter(|p| came(p.1)).map(|p| p.0).collect();
    push_participants(out, w.at, id, attendance);
    for (position, lesson) in lessons.into_iter().enumerate() {
        if status == ActivityStatus::Held {
            out.held.push(HeldLesson {
                activity_id: id,
                day: day.expect("a held activity has a date"),
                period,
                teacher_id: lesson.teacher_id,
                subject: lesson.subject.clone(),
                grade: lesson.grade,
                class_name: lesson.class_name.clone(),
                kind: lesson.kind,
                title: lesson.title.clone(),
                attended: attended.iter().copied().filter(|t| *t != lesson.teacher_id).collect(),
            });
        }
        out.lessons.push(lesson_row(w.at, id, position, lesson));
    }
    Ok(id)
}

fn came(status: AttendanceStatus) -> bool {
    matches!(status, AttendanceStatus::Present | AttendanceStatus::Late)
}

/// Who came to a held activity, and when they signed in; the lesson teachers always came.
fn held_attendance(
    w: &mut Work<'_>,
    participants: &[i64],
    lessons: &[Lesson],
    day: NaiveDate,
    start: NaiveTime,
) -> Vec<Attendance> {
    let mut attendance = Vec::new();
    for &teacher_id in participants {
        let teaches = lessons.iter().any(|l| l.teacher_id == teacher_id);
        let roll = if teaches { 0 } else { w.rng.below(100) };
        let (state, reason, signed_in) = match roll {
            0..=83 => {
                let early = w.rng.between(0, 15);
                (AttendanceStatus::Present, None, Some(start - TimeDelta::minutes(early.into())))
            }
            84..=91 => {
                let late = w.rng.between(6, 20);
                (AttendanceStatus::Late, None, Some(start + TimeDelta::minutes(late.into())))
            }
            92..=96 => (AttendanceStatus::OnLeave, Some(w.rng.pick(LEAVE_REASONS).to_string()), None),
            _ => (AttendanceStatus::Absent, None, None),
        };
        attendance.push((teacher_id, state, reason, signed_in.map(|t| local(day, t))));
    }
    attendance
}

/// A held activity's minutes and summary, due the Tuesday after and handed in by then or, one
/// time in five, a few days late (never after the as-of day).
fn write_up(
    w: &mut Work<'_>,
    a: &mut activity::ActiveModel,
    expected: usize,
    attendance: &[Attendance],
    day: NaiveDate,
) {
    let came = attendance.iter().filter(|p| came(p.1)).count();
    let minutes = texts::minutes(&mut w.rng);
    let due = summary_due_on(SummaryDueRule::NextWeekday, Some(2), day).expect("the Tuesday after");
    let handed_in = if w.rng.chance(20) {
        due + TimeDelta::days(w.rng.between(1, 4).into())
    } else {
        day + TimeDelta::days(w.rng.between(0, (due - day).num_days() as i32).into())
    };
    let handed_in = handed_in.min(as_of()).max(day);
    a.summary = Set(Some(format!(
        "本次活动应到{}人，实到{}人。{}",
        expected,
        came,
        minutes.split('。').next().unwrap_or_default()
    )));
    a.minutes = Set(Some(minutes));
    a.summary_due_on = Set(Some(due));
    a.summary_submitted_at = Set(Some(local(handed_in, hm(20, 30))));
}

fn count(w: &mut Work<'_>, status: ActivityStatus) {
    w.counts.activities += 1;
    match status {
        ActivityStatus::Held => w.counts.held += 1,
        ActivityStatus::Scheduled => w.counts.scheduled += 1,
        ActivityStatus::Draft => w.counts.drafts += 1,
        ActivityStatus::Cancelled => w.counts.cancelled += 1,
        ActivityStatus::Archived => {}
    }
}

fn push_participants(out: &mut Output, at: chrono::DateTime<chrono::Utc>, id: i64, attendance: Vec<Attendance>) {
    for (teacher_id, state, reason, signed_in) in attendance {
        out.participants.push(activity_participant::ActiveModel {
            activity_id: Set(id),
            teacher_id: Set(teacher_id),
            expected: Set(true),
            status: Set(state),
            leave_reason: Set(reason),
            signed_in_at: Set(signed_in),
            recorded_by_user_id: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
}

fn lesson_row(
    at: chrono::DateTime<chrono::Utc>,
    id: i64,
    position: usize,
    lesson: Lesson,
) -> activity_lesson::ActiveModel {
    activity_lesson::ActiveModel {
        activity_id: Set(id),
        position: Set(position as i32 + 1),
        teacher_id: Set(lesson.teacher_id),
        subject: Set(lesson.subject),
        grade: Set(Some(lesson.grade)),
        class_name: Set(Some(lesson.class_name)),
        lesson_kind: Set(lesson.kind),
        title: Set(Some(lesson.title)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
}
