//! The arithmetic of generating activities from a weekly slot: the days a slot meets in a
//! semester (its weekday, its week pattern, the holidays) and the draft each day becomes.

use chrono::{DateTime, Days, NaiveDate, Utc};
use entities::enums::{ActivityStatus, ActivityType, Modality, OrganiserKind, WeekPattern};
use entities::{activity, group, weekly_slot};
use sea_orm::Set;

use crate::org::calendar::{is_holiday, teaching_weeks, Calendar};

/// What of a weekly slot decides the days it meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotPattern {
    /// ISO weekday, 1 = Monday.
    pub weekday: i32,
    pub pattern: WeekPattern,
    /// The teaching week the pattern counts from.
    pub first_week: i32,
}

/// A day a slot meets, with its week number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingDay {
    pub date: NaiveDate,
    pub week: i32,
}

/// The days a slot meets in the semester, within `from`..=`until` when given: on the slot's
/// weekday of each teaching week the pattern selects (never before `first_week`), when that day
/// lies in the semester and is no holiday. A Saturday or Sunday slot meets on its day too (a
/// group may choose to), as long as the week is a teaching week.
///
/// - `every`: every teaching week; `odd` / `even`: by the parity of the week number;
/// - `every_two_weeks`: every second *teaching* week counted from the first one on or after
///   `first_week`: a holiday week neither meets nor counts.
pub fn meeting_days(
    calendar: &Calendar,
    slot: SlotPattern,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Vec<MeetingDay> {
    let Some(offset) = u64::try_from(slot.weekday - 1).ok().filter(|o| *o < 7) else {
        return Vec::new();
    };
    teaching_weeks(calendar)
        .into_iter()
        .filter(|w| w.number >= slot.first_week)
        .enumerate()
        .filter(|(counted, w)| match slot.pattern {
            WeekPattern::Every => true,
            WeekPattern::Odd => w.number.rem_euclid(2) == 1,
            WeekPattern::Even => w.number.rem_euclid(2) == 0,
            WeekPattern::EveryTwoWeeks => counted % 2 == 0,
        })
        .map(|(_, w)| MeetingDay { date: w.monday + Days::new(offset), week: w.number })
        .filter(|d| {
            calendar.start_date <= d.date
                && d.date <= calendar.end_date
                && !is_holiday(&calendar.holidays, d.date)
                && from.is_none_or(|f| f <= d.date)
                && until.is_none_or(|u| d.date <= u)
        })
        .collect()
}

/// The Chinese name of an activity type, for generated titles.
pub fn type_label(t: ActivityType) -> &'static str {
    use ActivityType::*;
    match t {
        CollectivePrep => "集体备课",
        LessonStudy => "课例研讨",
        OpenLesson => "公开课",
        DemoLesson => "示范课",
        ResearchLesson => "研究课",
        ReportLesson => "汇报课",
        ShowcaseLesson => "观摩课",
        QualityLesson => "优质课",
        LessonTalk => "说课",
        Critique => "评课",
        TheoryStudy => "理论学习",
        Lecture => "专题讲座",
        Salon => "沙龙",
        Competition => "赛课",
        OnlineResearch => "网络教研",
        Outreach => "送教下乡",
        JointResearch => "联片教研",
        HomeworkShowcase => "作业展评",
        VideoStudy => "视频学习",
        Other => "教研活动",
    }
}

/// The draft activity a slot's meeting day becomes.
pub fn draft_for(
    group: &group::Model,
    slot: &weekly_slot::Model,
    semester_id: i64,
    activity_type: ActivityType,
    day: MeetingDay,
    user_id: i64,
    at: DateTime<Utc>,
) -> activity::ActiveModel {
    activity::ActiveModel {
        district_id: Set(group.district_id),
        school_id: Set(group.school_id),
        organiser_kind: Set(OrganiserKind::Group),
        group_id: Set(Some(group.id)),
        zone_id: Set(None),
        pairing_id: Set(None),
        host_school_id: Set(None),
        semester_id: Set(semester_id),
        activity_type: Set(activity_type),
        title: Set(format!("{} {} (第{}周)", group.name, type_label(activity_type), day.week)),
        topic: Set(None),
        date: Set(Some(day.date)),
        start_time: Set(slot.start_time),
        end_time: Set(slot.end_time),
        start_period: Set(slot.start_period),
        end_period: Set(slot.end_period),
        venue: Set(slot.venue.clone()),
        meeting_url: Set(None),
        modality: Set(Modality::OnSite),
        lead_speaker_teacher_id: Set(None),
        lead_speaker_name: Set(None),
        description: Set(None),
        status: Set(ActivityStatus::Draft),
        cancel_reason: Set(None),
        slot_id: Set(Some(slot.id)),
        generated_for: Set(Some(day.date)),
        minutes: Set(None),
        summary: Set(None),
        summary_due_on: Set(None),
        summary_submitted_at: Set(None),
        created_by_user_id: Set(Some(user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::calendar::Holiday;
    use chrono::Datelike;

    fn d(m: u32, day: u32) -> NaiveDate {
        let year = if m >= 8 { 2026 } else { 2027 };
        NaiveDate::from_ymd_opt(year, m, day).unwrap()
    }

    /// The fixture semester: Tuesday 2026-09-01 to Friday 2027-01-22, week 1 from 08-31.
    fn autumn(holidays: Vec<Holiday>) -> Calendar {
        Calendar { start_date: d(9, 1), end_date: d(1, 22), week1_start: d(8, 31), holidays }
    }

    fn national_day() -> Holiday {
        Holiday { name: "国庆节".into(), start: d(10, 1), end: d(10, 7) }
    }

    fn slot(weekday: i32, pattern: WeekPattern, first_week: i32) -> SlotPattern {
        SlotPattern { weekday, pattern, first_week }
    }

    fn dates(days: &[MeetingDay]) -> Vec<NaiveDate> {
        days.iter().map(|d| d.date).collect()
    }

    #[test]
    fn every_week_meets_in_each_of_the_21_weeks_but_a_holiday() {
        // Thursdays: 09-03 … 01-21 are 21 days; 10-01 is 国庆.
        let days = meeting_days(&autumn(vec![national_day()]), slot(4, WeekPattern::Every, 1), None, None);
        assert_eq!(days.len(), 20);
        assert_eq!(days[0], MeetingDay { date: d(9, 3), week: 1 });
        assert!(!dates(&days).contains(&d(10, 1)));
        assert!(dates(&days).contains(&d(10, 8)));
        assert_eq!(days.last().unwrap().date, d(1, 21));
    }

    #[test]
    fn a_holiday_inside_a_week_skips_only_its_days() {
        // Monday 10-05 is off, Friday 10-09 is not: week 6 still teaches.
        let holidays = vec![national_day()];
        let mondays = meeting_days(&autumn(holidays.clone()), slot(1, WeekPattern::Every, 1), None, None);
        assert!(!dates(&mondays).contains(&d(10, 5)));
        // Monday 08-31 is before the semester starts.
        assert_eq!(mondays.len(), 21 - 2);
        let fridays = meeting_days(&autumn(holidays), slot(5, WeekPattern::Every, 1), None, None);
        assert!(dates(&fridays).contains(&d(10, 9)));
        assert!(!dates(&fridays).contains(&d(10, 2)));
    }

    #[test]
    fn odd_and_even_weeks_follow_the_week_number() {
        let calendar = autumn(vec![]);
        let odd = meeting_days(&calendar, slot(3, WeekPattern::Odd, 1), None, None);
        let even = meeting_days(&calendar, slot(3, WeekPattern::Even, 1), None, None);
        assert_eq!(odd.len(), 11);
        assert_eq!(even.len(), 10);
        assert!(odd.iter().all(|d| d.week % 2 == 1));
        assert!(even.iter().all(|d| d.week % 2 == 0));
        assert_eq!(even[0].date, d(9, 9));
    }

    #[test]
    fn every_two_weeks_counts_teaching_weeks_only() {
        // Week 6 (10-05 … 10-09) entirely off: weeks 1,3,5 then 8 (not 7), 10 ...
        let calendar = autumn(vec![Holiday { name: "国庆节".into(), start: d(10, 1), end: d(10, 9) }]);
        let days = meeting_days(&calendar, slot(2, WeekPattern::EveryTwoWeeks, 1), None, None);
        let weeks: Vec<i32> = days.iter().map(|d| d.week).collect();
        assert_eq!(&weeks[..5], &[1, 3, 5, 8, 10]);
        assert_eq!(days.len(), 10);
    }

    #[test]
    fn never_before_first_week_and_within_from_until() {
        let calendar = autumn(vec![]);
        let days = meeting_days(&calendar, slot(2, WeekPattern::EveryTwoWeeks, 4), None, None);
        assert_eq!(days[0].week, 4);
        assert_eq!(days[1].week, 6);
        let days = meeting_days(&calendar, slot(2, WeekPattern::Every, 1), Some(d(9, 8)), Some(d(9, 22)));
        assert_eq!(dates(&days), vec![d(9, 8), d(9, 15), d(9, 22)]);
    }

    #[test]
    fn a_weekend_slot_meets_in_teaching_weeks() {
        let days = meeting_days(&autumn(vec![national_day()]), slot(6, WeekPattern::Every, 1), None, None);
        // Saturdays 09-05 … 01-16 (01-23 is after the end), 10-03 is 国庆.
        assert_eq!(days.len(), 20 - 1);
        assert_eq!(days[0].date, d(9, 5));
    }

    #[test]
    fn generated_titles_name_the_group_type_and_week() {
        assert_eq!(type_label(ActivityType::CollectivePrep), "集体备课");
        assert_eq!(d(9, 3).weekday().number_from_monday(), 4);
    }
}
