//! Why an activity, a lesson given at one or a participation does or does not count.

use entities::enums::{ActivityStatus, AttendanceStatus, OrganiserKind};
use jiaoyan_quota::vocab::{ActivityType, LessonKind, Modality};

use super::{kinds_reason, lesson_kind_reason};
use crate::quota::rules::{Metric, SubjectType};

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
