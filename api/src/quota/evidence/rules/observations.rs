//! Why an observation does or does not count: `observations` and the pair metrics.

use jiaoyan_quota::vocab::LessonKind;

use super::lesson_kind_reason;
use crate::quota::rules::Metric;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
