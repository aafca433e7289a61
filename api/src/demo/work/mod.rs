//! Half a semester of work in the demo district: activities with their lessons and attendance,
//! a rubric, lesson observations, records and the tasks they answer, mentorship pairs, and a
//! lesson-prep group's collective preparations (one in each stage).
//!
//! Everything is relative to the demo's autumn semester and its fixed "as of" day, [`as_of`]
//! (Friday 2026-11-20, the end of teaching week 12 of about 21), never to today: activities up
//! to that day are held (or cancelled), those of the next two teaching weeks scheduled and the
//! two after that drafts; observations and records are dated up to it. The flagship school gets
//! the bulk of it, varied so that the quota checks have teachers ahead and behind.

mod activities;
mod inspections;
mod mentorships;
mod observations;
mod preparations;
mod records;
mod texts;

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use entities::enums::WeekPattern;
use sea_orm::{DatabaseTransaction, DbErr};

use super::created::{DemoDistrict, DemoSchool, DemoTeacher};
use super::organisation::{date, semesters};
use super::plan::DistrictPlan;
use super::rng::Rng;
use crate::org::calendar::{is_teaching_day, teaching_weeks, Calendar, Holiday};

const WORK_SEED: u64 = 0x4A49_414F_5941_4E32; // "JIAOYAN2"

/// The day the demo's half semester runs to: Friday 2026-11-20, teaching week 12.
pub fn as_of() -> NaiveDate {
    date(2026, 11, 20)
}

/// How much work the demo wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoWork {
    /// [`as_of`].
    pub as_of: Option<NaiveDate>,
    pub activities: usize,
    /// Of `activities`: held (on or before the as-of day), scheduled, draft and cancelled.
    pub held: usize,
    pub scheduled: usize,
    pub drafts: usize,
    pub cancelled: usize,
    pub activity_lessons: usize,
    pub participants: usize,
    /// The flagship school's 课堂教学评价量表.
    pub rubric_id: i64,
    pub observations: usize,
    pub record_tasks: usize,
    pub records: usize,
    pub mentorships: usize,
    /// Collective preparations (集体备课) of a flagship lesson-prep group, one in each stage.
    pub preparations: usize,
    /// Quota rules adopted by the flagship and the district.
    pub quota_rules: usize,
    /// 常规检查: the flagship's two monthly checks and the district's unannounced one.
    pub inspections: usize,
    /// Their findings to correct (整改), one in each state.
    pub inspection_findings: usize,
    /// Appraisal versions published after the seed (the flagship's scheme; none before the
    /// semester begins).
    pub appraisals_published: usize,
}

/// The state shared by the writers of the work.
pub(super) struct Work<'a> {
    txn: &'a DatabaseTransaction,
    at: DateTime<Utc>,
    district: &'a DemoDistrict,
    plan: &'a DistrictPlan,
    calendar: Calendar,
    semester_id: i64,
    rng: Rng,
    counts: DemoWork,
}

/// Writes the work, inside the seeding transaction, once the organisation exists.
pub(super) async fn write(
    txn: &DatabaseTransaction,
    plan: &DistrictPlan,
    district: &DemoDistrict,
) -> Result<DemoWork, DbErr> {
    let mut work = Work {
        txn,
        at: crate::resource::now(),
        district,
        plan,
        calendar: autumn_calendar(),
        semester_id: district.autumn_semester_id,
        rng: Rng::new(WORK_SEED),
        counts: DemoWork { as_of: Some(as_of()), ..Default::default() },
    };
    let lessons = activities::write(&mut work).await?;
    let pairs = mentorships::write(&mut work).await?;
    observations::write(&mut work, &lessons, &pairs).await?;
    records::write(&mut work).await?;
    preparations::write(&mut work).await?;
    inspections::write(&mut work).await?;
    Ok(work.counts)
}

/// The autumn semester's calendar, from the same spec that was stored.
pub fn autumn_calendar() -> Calendar {
    let spec = &semesters()[0];
    Calendar {
        start_date: spec.start,
        end_date: spec.end,
        week1_start: spec.week1_start(),
        holidays: spec
            .holidays
            .iter()
            .map(|(name, start, end)| Holiday { name: name.to_string(), start: *start, end: *end })
            .collect(),
    }
}

/// The teaching days from `from` to `to`, both included.
pub fn teaching_days(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d <= to).filter(|d| is_teaching_day(calendar, *d)).collect()
}

/// The days a weekly slot meets (ISO `weekday`, `pattern` counted from `first_week`), as the
/// slot generator enumerates them: teaching weeks only, holidays left out.
pub fn slot_days(calendar: &Calendar, weekday: i32, pattern: WeekPattern, first_week: i32) -> Vec<NaiveDate> {
    teaching_weeks(calendar)
        .into_iter()
        .filter(|w| w.number >= first_week)
        .enumerate()
        .filter(|(i, w)| match pattern {
            WeekPattern::Every => true,
            WeekPattern::Odd => w.number % 2 == 1,
            WeekPattern::Even => w.number % 2 == 0,
            WeekPattern::EveryTwoWeeks => i % 2 == 0,
        })
        .map(|(_, w)| w.monday + Days::new((weekday - 1) as u64))
        .filter(|d| is_teaching_day(calendar, *d))
        .collect()
}

/// A school-local (UTC+8) moment as stored.
pub fn local(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    (NaiveDateTime::new(day, time) - TimeDelta::hours(8)).and_utc()
}

pub fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time")
}

/// The first teaching day on or after `day` (the same day when it is one).
pub fn teaching_day_from(calendar: &Calendar, day: NaiveDate) -> NaiveDate {
    day.iter_days().find(|d| is_teaching_day(calendar, *d)).expect("the semester has teaching days left")
}

impl Work<'_> {
    fn flagship(&self) -> &DemoSchool {
        self.district.flagship()
    }

    /// A teacher of any demo school, with that school's id.
    fn teacher(&self, id: i64) -> (&DemoTeacher, i64) {
        self.district.schools.iter().find_map(|s| s.teacher(id).map(|t| (t, s.id))).expect("a demo teacher")
    }

    /// The class a teacher teaches in, for lessons and observations: one of their grades.
    fn class_of(&mut self, teacher: &DemoTeacher) -> (i32, String) {
        let grade = *self.rng.pick(&teacher.spec.grades);
        let class = self.rng.between(1, 3);
        (grade, texts::class_name(grade, class))
    }

    /// A lesson title of the subject.
    fn lesson_title(&mut self, subject: &str) -> String {
        self.rng.pick(texts::lesson_titles(subject)).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::calendar::week_number;
    use chrono::Datelike;

    #[test]
    fn the_as_of_day_is_a_teaching_friday_half_way_through() {
        let calendar = autumn_calendar();
        assert!(is_teaching_day(&calendar, as_of()));
        assert_eq!(week_number(calendar.week1_start, as_of()), 12);
        assert_eq!(as_of().weekday(), chrono::Weekday::Fri);
    }

    #[test]
    fn slot_days_skip_holidays_and_follow_the_pattern() {
        let calendar = autumn_calendar();
        let thursdays = slot_days(&calendar, 4, WeekPattern::Every, 1);
        assert!(!thursdays.contains(&date(2026, 10, 1)), "国庆");
        assert_eq!(thursdays[0], date(2026, 9, 3));
        assert!(thursdays.iter().all(|d| d.weekday() == chrono::Weekday::Thu));
        let fridays = slot_days(&calendar, 5, WeekPattern::EveryTwoWeeks, 2);
        assert_eq!(&fridays[..3], &[date(2026, 9, 11), date(2026, 9, 25), date(2026, 10, 9)]);
        assert!(fridays.contains(&as_of()));
    }

    #[test]
    fn teaching_days_leave_out_weekends_and_holidays() {
        let days = teaching_days(&autumn_calendar(), date(2026, 9, 28), date(2026, 10, 9));
        assert_eq!(
            days,
            vec![date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9)]
        );
    }
}
