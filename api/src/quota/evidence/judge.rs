//! Why a row does or does not count for a rule: pure functions over the facts of one row, the
//! same filters [`crate::quota::counting`] writes in SQL. Each returns the reason the row does not
//! count, `None` when it counts.

use chrono::NaiveDate;
use entities::enums::{ActivityStatus, AttendanceStatus, OrganiserKind};
use jiaoyan_quota::vocab::{ActivityType, LessonKind, LessonPlanForm, Modality, RecordKind};

use crate::quota::periods::Period;
use crate::quota::rules::{Metric, SubjectType};

/// The period a date falls in, and why the date alone keeps the row out (after `as_of`, or in no
/// period: a holiday week or month the rule skips).
pub fn dating(periods: &[Period], as_of: NaiveDate, date: NaiveDate) -> (Option<usize>, Option<String>) {
    let index = periods.iter().position(|p| p.start <= date && date <= p.end);
    let reason = if date > as_of {
        Some(format!("dated after as_of ({as_of})"))
    } else if index.is_none() {
        // Periods cover the semester except the holiday weeks (weeks, fortnights) or holiday
        // months they skip, and candidates are dated within the periods' span.
        let longest = periods.iter().map(|p| (p.end - p.start).num_days()).max().unwrap_or(0);
        let what = if longest < 14 { "holiday week" } else { "holiday month" };
        Some(format!("outside every period ({what})"))
    } else {
        None
    };
    (index, reason)
}

fn kinds_reason<T: PartialEq>(wanted: &[T], got: T, code: impl Fn(T) -> &'static str, what: &str) -> Option<String> {
    (!wanted.is_empty() && !wanted.contains(&got)).then(|| format!("{what}: {}", code(got)))
}

fn lesson_kind_reason(wanted: &[LessonKind], got: LessonKind) -> Option<String> {
    kinds_reason(wanted, got, LessonKind::code, "lesson kind not counted")
}

/// What the filters of an observation metric look at.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationFacts {
    pub lesson_kind: LessonKind,
    pub subject: String,
    /// The observer teaches `subject` (their `teacher_subjects`).
    pub observer_teaches_subject: bool,
    pub observer_school_id: i64,
    pub observed_school_id: Option<i64>,
    pub critique_given: bool,
    pub strengths_count: i32,
    pub weaknesses_count: i32,
    pub suggestions_count: i32,
}

/// Why an observation does not count for an `observations` metric.
pub fn observation_reason(metric: &Metric, o: &ObservationFacts) -> Option<String> {
    let Metric::Observations { lesson_kinds, same_subject, same_school, critique_given, feedback_complete } = metric
    else {
        return Some(format!("not counted by {}", metric.code()));
    };
    if let Some(reason) = lesson_kind_reason(lesson_kinds, o.lesson_kind) {
        return Some(reason);
    }
    if *same_subject && !o.observer_teaches_subject {
        return Some(format!("other subject: {}", o.subject));
    }
    if *same_school {
        match o.observed_school_id {
            None => return Some("observed teacher of no school of ours".into()),
            Some(s) if s != o.observer_school_id => return Some("observed teacher of another school".into()),
            _ => {}
        }
    }
    if *critique_given && !o.critique_given {
        return Some("no critique given".into());
    }
    if *feedback_complete && (o.strengths_count <= 0 || o.weaknesses_count <= 0 || o.suggestions_count <= 0) {
        return Some("feedback incomplete (三个一)".into());
    }
    None
}

/// Why an observation between a pair's teachers does not count for a pair metric.
/// `mentor_observed`: the mentor observed the mentee (otherwise the mentee observed the mentor).
pub fn pair_reason(metric: &Metric, mentor_observed: bool, lesson_kind: LessonKind) -> Option<String> {
    let (wanted_mentor_observing, lesson_kinds) = match metric {
        Metric::MentorObservesMentee { lesson_kinds } => (true, lesson_kinds),
        Metric::MenteeObservesMentor { lesson_kinds } => (false, lesson_kinds),
        _ => return Some(format!("not counted by {}", metric.code())),
    };
    if mentor_observed != wanted_mentor_observing {
        return Some(
            if mentor_observed {
                "other direction: the mentor observed the mentee"
            } else {
                "other direction: the mentee observed the mentor"
            }
            .into(),
        );
    }
    lesson_kind_reason(lesson_kinds, lesson_kind)
}

/// What the filters of a record metric look at.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordFacts {
    pub kind: RecordKind,
    pub word_count: i32,
    pub hours: Option<f64>,
    pub late: bool,
    pub lesson_plan_form: Option<LessonPlanForm>,
    /// The subject co-authored the record (someone else is its author).
    pub coauthored: bool,
}

fn record_kind_reason(wanted: &[RecordKind], got: RecordKind) -> Option<String> {
    kinds_reason(wanted, got, RecordKind::code, "wrong kind")
}

/// Why a record does not count for a record metric (records, words, hours, full-plan share).
pub fn record_reason(metric: &Metric, r: &RecordFacts) -> Option<String> {
    let own_only = || r.coauthored.then(|| "co-authored: the rule counts own records".to_string());
    match metric {
        Metric::Records { kinds, min_words, on_time_only, lesson_plan_form, include_coauthored } => {
            if !include_coauthored {
                if let Some(reason) = own_only() {
                    return Some(reason);
                }
            }
            if let Some(reason) = record_kind_reason(kinds, r.kind) {
                return Some(reason);
            }
            if let Some(min) = min_words.filter(|min| r.word_count < *min) {
                return Some(format!("too short: {} 字 < {min}", r.word_count));
            }
            if *on_time_only && r.late {
                return Some("late".into());
            }
            if let Some(form) = lesson_plan_form.filter(|form| r.lesson_plan_form != Some(*form)) {
                return Some(format!("not a {} lesson plan", form.code()));
            }
            None
        }
        Metric::RecordWords { kinds, on_time_only } => own_only()
            .or_else(|| record_kind_reason(kinds, r.kind))
            .or_else(|| (*on_time_only && r.late).then(|| "late".into())),
        Metric::RecordHours { kinds } => own_only()
            .or_else(|| record_kind_reason(kinds, r.kind))
            .or_else(|| r.hours.is_none().then(|| "no hours recorded".into())),
        Metric::FullLessonPlanShare => own_only().or_else(|| record_kind_reason(&[RecordKind::LessonPlan], r.kind)),
        _ => Some(format!("not counted by {}", metric.code())),
    }
}

/// What a record adds when it counts: 1, its words, its hours, or for the share 1 for a full
/// lesson plan and 0 for any other.
pub fn record_value(metric: &Metric, r: &RecordFacts) -> f64 {
    match metric {
        Metric::RecordWords { .. } => f64::from(r.word_count),
        Metric::RecordHours { .. } => r.hours.unwrap_or(0.0),
        Metric::FullLessonPlanShare => f64::from(u8::from(r.lesson_plan_form == Some(LessonPlanForm::Full))),
        _ => 1.0,
    }
}

/// What the filters of an activity metric look at.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFacts {
    pub status: ActivityStatus,
    pub organiser_kind: OrganiserKind,
    pub activity_type: ActivityType,
    pub modality: Modality,
}

/// Only activities that took place count (held, or archived = filed).
fn not_held(a: &ActivityFacts) -> Option<String> {
    (!matches!(a.status, ActivityStatus::Held | ActivityStatus::Archived))
        .then(|| format!("activity not held ({})", a.status.code()))
}

fn activity_type_reason(wanted: &[ActivityType], got: ActivityType) -> Option<String> {
    kinds_reason(wanted, got, ActivityType::code, "activity type not counted")
}

/// Why an activity of the subject (a group's, or a school's) does not count for
/// `activities_held`.
pub fn activity_held_reason(metric: &Metric, subject_type: SubjectType, a: &ActivityFacts) -> Option<String> {
    let Metric::ActivitiesHeld { activity_types, modality } = metric else {
        return Some(format!("not counted by {}", metric.code()));
    };
    let organiser = if subject_type == SubjectType::School { OrganiserKind::School } else { OrganiserKind::Group };
    if a.organiser_kind != organiser {
        return Some(format!("organised by a {}, not the {}", a.organiser_kind.code(), organiser.code()));
    }
    not_held(a)
        .or_else(|| activity_type_reason(activity_types, a.activity_type))
        .or_else(|| modality.filter(|m| *m != a.modality).map(|_| format!("other modality: {}", a.modality.code())))
}

/// Why a lesson the teacher gave at an activity does not count for `lessons_given`.
pub fn lesson_reason(metric: &Metric, a: &ActivityFacts, lesson_kind: LessonKind) -> Option<String> {
    let Metric::LessonsGiven { lesson_kinds } = metric else {
        return Some(format!("not counted by {}", metric.code()));
    };
    not_held(a).or_else(|| lesson_kind_reason(lesson_kinds, lesson_kind))
}

/// A participation: the participant's status and whether they were expected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Participation {
    pub status: AttendanceStatus,
    pub expected: bool,
}

/// Why a participation does not count for `activities_attended` (present or late, walk-ins
/// included) or `attendance_rate` (expected participants not on leave; absent and pending count,
/// as misses, see [`participation_value`]).
pub fn participation_reason(metric: &Metric, a: &ActivityFacts, p: Participation) -> Option<String> {
    if let Some(reason) = not_held(a) {
        return Some(reason);
    }
    let status = || Some(p.status.code().replace('_', " "));
    match metric {
        Metric::ActivitiesAttended { activity_types } => {
            activity_type_reason(activity_types, a.activity_type).or_else(|| {
                (!matches!(p.status, AttendanceStatus::Present | AttendanceStatus::Late)).then(status).flatten()
            })
        }
        Metric::AttendanceRate if !p.expected => Some("walk-in (not expected)".into()),
        Metric::AttendanceRate if p.status == AttendanceStatus::OnLeave => status(),
        Metric::AttendanceRate => None,
        _ => Some(format!("not counted by {}", metric.code())),
    }
}

/// For a rate, 1 attended (present or late) or 0 missed (absent, or pending: nobody recorded the
/// teacher as present); for a count, 1.
pub fn participation_value(metric: &Metric, p: Participation) -> f64 {
    match metric {
        Metric::AttendanceRate => {
            f64::from(u8::from(matches!(p.status, AttendanceStatus::Present | AttendanceStatus::Late)))
        }
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn period(start: NaiveDate, end: NaiveDate) -> Period {
        Period { start, end, teaching_days: 5, full_teaching_days: 5 }
    }

    fn observations() -> Metric {
        Metric::Observations {
            lesson_kinds: vec![],
            same_subject: false,
            same_school: false,
            critique_given: false,
            feedback_complete: false,
        }
    }

    fn observation() -> ObservationFacts {
        ObservationFacts {
            lesson_kind: LessonKind::Ordinary,
            subject: "语文".into(),
            observer_teaches_subject: true,
            observer_school_id: 1,
            observed_school_id: Some(1),
            critique_given: true,
            strengths_count: 1,
            weaknesses_count: 1,
            suggestions_count: 1,
        }
    }

    #[test]
    fn dates_after_as_of_or_between_periods_do_not_count() {
        // Weeks of September, then the 国庆 week skipped, then the week of 10-12.
        let weeks = [period(day(9, 21), day(9, 27)), period(day(9, 28), day(9, 30)), period(day(10, 12), day(10, 18))];
        let as_of = day(10, 14);
        assert_eq!(dating(&weeks, as_of, day(9, 22)), (Some(0), None));
        assert_eq!(dating(&weeks, as_of, day(10, 14)), (Some(2), None), "as_of itself counts");
        assert_eq!(dating(&weeks, as_of, day(10, 15)), (Some(2), Some("dated after as_of (2026-10-14)".into())));
        assert_eq!(dating(&weeks, as_of, day(10, 5)), (None, Some("outside every period (holiday week)".into())));
        let months = [period(day(9, 1), day(9, 30)), period(day(11, 1), day(11, 30))];
        assert_eq!(dating(&months, day(12, 1), day(10, 9)).1.as_deref(), Some("outside every period (holiday month)"));
    }

    #[test]
    fn observations_are_judged_by_each_filter() {
        let all = Metric::Observations {
            lesson_kinds: vec![LessonKind::Ordinary, LessonKind::Open],
            same_subject: true,
            same_school: true,
            critique_given: true,
            feedback_complete: true,
        };
        assert_eq!(observation_reason(&all, &observation()), None);
        let judge = |o: ObservationFacts| observation_reason(&all, &o);
        assert_eq!(
            judge(ObservationFacts { lesson_kind: LessonKind::Demo, ..observation() }).as_deref(),
            Some("lesson kind not counted: demo")
        );
        assert_eq!(
            judge(ObservationFacts { observer_teaches_subject: false, subject: "数学".into(), ..observation() })
                .as_deref(),
            Some("other subject: 数学")
        );
        assert_eq!(
            judge(ObservationFacts { observed_school_id: Some(2), ..observation() }).as_deref(),
            Some("observed teacher of another school")
        );
        assert_eq!(
            judge(ObservationFacts { observed_school_id: None, ..observation() }).as_deref(),
            Some("observed teacher of no school of ours")
        );
        assert_eq!(
            judge(ObservationFacts { critique_given: false, ..observation() }).as_deref(),
            Some("no critique given")
        );
        for incomplete in [
            ObservationFacts { strengths_count: 0, ..observation() },
            ObservationFacts { weaknesses_count: 0, ..observation() },
            ObservationFacts { suggestions_count: 0, ..observation() },
        ] {
            assert_eq!(judge(incomplete).as_deref(), Some("feedback incomplete (三个一)"));
        }
        // Without filters every observation counts.
        let bare = ObservationFacts {
            lesson_kind: LessonKind::Demo,
            observer_teaches_subject: false,
            observed_school_id: None,
            critique_given: false,
            strengths_count: 0,
            ..observation()
        };
        assert_eq!(observation_reason(&observations(), &bare), None);
    }

    #[test]
    fn pair_observations_count_in_the_rule_s_direction_only() {
        let mentor = Metric::MentorObservesMentee { lesson_kinds: vec![] };
        let mentee = Metric::MenteeObservesMentor { lesson_kinds: vec![LessonKind::Demo] };
        assert_eq!(pair_reason(&mentor, true, LessonKind::Ordinary), None);
        assert_eq!(
            pair_reason(&mentor, false, LessonKind::Ordinary).as_deref(),
            Some("other direction: the mentee observed the mentor")
        );
        assert_eq!(pair_reason(&mentee, false, LessonKind::Demo), None);
        assert_eq!(pair_reason(&mentee, false, LessonKind::Open).as_deref(), Some("lesson kind not counted: open"));
        assert!(pair_reason(&mentee, true, LessonKind::Demo).is_some());
    }

    fn record() -> RecordFacts {
        RecordFacts {
            kind: RecordKind::Paper,
            word_count: 600,
            hours: None,
            late: false,
            lesson_plan_form: None,
            coauthored: false,
        }
    }

    #[test]
    fn records_are_judged_by_kind_length_lateness_form_and_authorship() {
        let papers = Metric::Records {
            kinds: vec![RecordKind::Paper],
            min_words: Some(500),
            on_time_only: true,
            lesson_plan_form: None,
            include_coauthored: false,
        };
        assert_eq!(record_reason(&papers, &record()), None);
        assert_eq!(record_reason(&papers, &RecordFacts { word_count: 500, ..record() }), None, "500 is enough");
        let judge = |r: RecordFacts| record_reason(&papers, &r);
        assert_eq!(
            judge(RecordFacts { kind: RecordKind::Reflection, ..record() }).as_deref(),
            Some("wrong kind: reflection")
        );
        assert_eq!(judge(RecordFacts { word_count: 320, ..record() }).as_deref(), Some("too short: 320 字 < 500"));
        assert_eq!(judge(RecordFacts { late: true, ..record() }).as_deref(), Some("late"));
        assert_eq!(
            judge(RecordFacts { coauthored: true, ..record() }).as_deref(),
            Some("co-authored: the rule counts own records")
        );
        let with_coauthors = Metric::Records {
            kinds: vec![],
            min_words: None,
            on_time_only: false,
            lesson_plan_form: None,
            include_coauthored: true,
        };
        assert_eq!(record_reason(&with_coauthors, &RecordFacts { coauthored: true, late: true, ..record() }), None);
        let full_plans = Metric::Records {
            kinds: vec![RecordKind::LessonPlan],
            min_words: None,
            on_time_only: false,
            lesson_plan_form: Some(LessonPlanForm::Full),
            include_coauthored: false,
        };
        let plan = |form| RecordFacts { kind: RecordKind::LessonPlan, lesson_plan_form: form, ..record() };
        assert_eq!(record_reason(&full_plans, &plan(Some(LessonPlanForm::Full))), None);
        assert_eq!(
            record_reason(&full_plans, &plan(Some(LessonPlanForm::Brief))).as_deref(),
            Some("not a full lesson plan")
        );
        assert_eq!(record_reason(&full_plans, &plan(None)).as_deref(), Some("not a full lesson plan"));
    }

    #[test]
    fn word_and_hour_sums_add_each_record_s_words_or_hours() {
        let words = Metric::RecordWords { kinds: vec![RecordKind::StudyNote], on_time_only: true };
        let note = RecordFacts { kind: RecordKind::StudyNote, word_count: 1200, ..record() };
        assert_eq!((record_reason(&words, &note), record_value(&words, &note)), (None, 1200.0));
        assert_eq!(record_reason(&words, &RecordFacts { late: true, ..note.clone() }).as_deref(), Some("late"));
        assert_eq!(record_reason(&words, &record()).as_deref(), Some("wrong kind: paper"));
        let hours = Metric::RecordHours { kinds: vec![] };
        let training = RecordFacts { kind: RecordKind::Training, hours: Some(2.5), ..record() };
        assert_eq!((record_reason(&hours, &training), record_value(&hours, &training)), (None, 2.5));
        assert_eq!(record_reason(&hours, &record()).as_deref(), Some("no hours recorded"));
        assert_eq!(
            record_value(
                &Metric::Records {
                    kinds: vec![],
                    min_words: None,
                    on_time_only: false,
                    lesson_plan_form: None,
                    include_coauthored: false,
                },
                &note
            ),
            1.0
        );
    }

    #[test]
    fn the_full_plan_share_counts_every_lesson_plan_and_values_full_ones() {
        let share = Metric::FullLessonPlanShare;
        let plan = |form| RecordFacts { kind: RecordKind::LessonPlan, lesson_plan_form: form, ..record() };
        assert_eq!(record_reason(&share, &plan(Some(LessonPlanForm::Full))), None);
        assert_eq!(record_reason(&share, &plan(None)), None);
        assert_eq!(record_value(&share, &plan(Some(LessonPlanForm::Full))), 1.0);
        assert_eq!(record_value(&share, &plan(Some(LessonPlanForm::Brief))), 0.0);
        assert_eq!(record_value(&share, &plan(None)), 0.0);
        assert_eq!(
            record_reason(&share, &RecordFacts { kind: RecordKind::Reflection, ..record() }).as_deref(),
            Some("wrong kind: reflection")
        );
    }

    fn held() -> ActivityFacts {
        ActivityFacts {
            status: ActivityStatus::Held,
            organiser_kind: OrganiserKind::Group,
            activity_type: ActivityType::CollectivePrep,
            modality: Modality::OnSite,
        }
    }

    #[test]
    fn activities_held_need_the_organiser_status_type_and_modality() {
        let online_prep = Metric::ActivitiesHeld {
            activity_types: vec![ActivityType::CollectivePrep],
            modality: Some(Modality::Online),
        };
        let online = ActivityFacts { modality: Modality::Online, ..held() };
        assert_eq!(activity_held_reason(&online_prep, SubjectType::Group, &online), None);
        let filed = ActivityFacts { status: ActivityStatus::Archived, ..online.clone() };
        assert_eq!(activity_held_reason(&online_prep, SubjectType::Group, &filed), None, "filed activities were held");
        let judge = |a: ActivityFacts| activity_held_reason(&online_prep, SubjectType::Group, &a);
        assert_eq!(judge(held()).as_deref(), Some("other modality: on_site"));
        assert_eq!(
            judge(ActivityFacts { status: ActivityStatus::Scheduled, ..online.clone() }).as_deref(),
            Some("activity not held (scheduled)")
        );
        assert_eq!(
            judge(ActivityFacts { activity_type: ActivityType::LessonStudy, ..online.clone() }).as_deref(),
            Some("activity type not counted: lesson_study")
        );
        let any = Metric::ActivitiesHeld { activity_types: vec![], modality: None };
        assert_eq!(
            activity_held_reason(&any, SubjectType::School, &held()).as_deref(),
            Some("organised by a group, not the school")
        );
        let by_school = ActivityFacts { organiser_kind: OrganiserKind::School, ..held() };
        assert_eq!(activity_held_reason(&any, SubjectType::School, &by_school), None);
    }

    #[test]
    fn lessons_given_need_a_held_activity_and_a_counted_kind() {
        let open = Metric::LessonsGiven { lesson_kinds: vec![LessonKind::Open] };
        assert_eq!(lesson_reason(&open, &held(), LessonKind::Open), None);
        assert_eq!(
            lesson_reason(&open, &held(), LessonKind::Ordinary).as_deref(),
            Some("lesson kind not counted: ordinary")
        );
        let cancelled = ActivityFacts { status: ActivityStatus::Cancelled, ..held() };
        assert_eq!(
            lesson_reason(&open, &cancelled, LessonKind::Open).as_deref(),
            Some("activity not held (cancelled)")
        );
    }

    #[test]
    fn attendance_counts_present_and_late_and_the_rate_leaves_out_leave_and_walk_ins() {
        let attended = Metric::ActivitiesAttended { activity_types: vec![] };
        let rate = Metric::AttendanceRate;
        let p = |status, expected| Participation { status, expected };
        use AttendanceStatus::*;
        assert_eq!(participation_reason(&attended, &held(), p(Present, true)), None);
        assert_eq!(participation_reason(&attended, &held(), p(Late, false)), None, "a walk-in attended");
        assert_eq!(participation_reason(&attended, &held(), p(Absent, true)).as_deref(), Some("absent"));
        assert_eq!(participation_reason(&attended, &held(), p(OnLeave, true)).as_deref(), Some("on leave"));
        assert_eq!(participation_reason(&attended, &held(), p(Pending, true)).as_deref(), Some("pending"));
        let scheduled = ActivityFacts { status: ActivityStatus::Scheduled, ..held() };
        assert!(participation_reason(&attended, &scheduled, p(Present, true)).is_some());
        let study = Metric::ActivitiesAttended { activity_types: vec![ActivityType::TheoryStudy] };
        assert_eq!(
            participation_reason(&study, &held(), p(Present, true)).as_deref(),
            Some("activity type not counted: collective_prep")
        );

        // The rate: expected participants not on leave are measured, 1 attended or 0 missed.
        for (status, value) in [(Present, 1.0), (Late, 1.0), (Absent, 0.0), (Pending, 0.0)] {
            assert_eq!(participation_reason(&rate, &held(), p(status, true)), None);
            assert_eq!(participation_value(&rate, p(status, true)), value);
        }
        assert_eq!(participation_reason(&rate, &held(), p(OnLeave, true)).as_deref(), Some("on leave"));
        assert_eq!(participation_reason(&rate, &held(), p(Present, false)).as_deref(), Some("walk-in (not expected)"));
        assert!(participation_reason(&rate, &scheduled, p(Present, true)).is_some());
    }
}
