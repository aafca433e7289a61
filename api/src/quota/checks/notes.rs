//! What an explanation says beside its evidence: whether work dated between semesters counts.
//!
//! Records and observations dated outside every semester of the district (a reading note of the
//! winter holiday) are stored without a semester. Rules count by date, so such work falls in a
//! school-year rule's period (the first day of the year's first semester to the last day of its
//! last) and in no period of the other rules, which all lie inside the semester. The evidence
//! lists rows inside the periods only, so a teacher looking for a holiday note would not find it
//! there without being told why.

use crate::quota::periods::PeriodKind;
use crate::quota::rules::{Metric, RuleSpec};

/// The rows a metric counts that may be dated between semesters: `None` for activities, lessons
/// and attendance, which always lie in a semester.
fn dated_work(metric: &Metric) -> Option<&'static str> {
    match metric {
        Metric::Observations { .. } | Metric::MentorObservesMentee { .. } | Metric::MenteeObservesMentor { .. } => {
            Some("observations")
        }
        Metric::Records { .. }
        | Metric::RecordWords { .. }
        | Metric::RecordHours { .. }
        | Metric::FullLessonPlanShare => Some("records"),
        Metric::LessonsGiven { .. }
        | Metric::ActivitiesHeld { .. }
        | Metric::ActivitiesAttended { .. }
        | Metric::AttendanceRate
        | Metric::PrepDraftsOnTime
        | Metric::PrepNotesGiven
        | Metric::PrepCompletionShare => None,
    }
}

/// The notes of an explanation of `spec`'s result.
pub fn notes_for(spec: &RuleSpec) -> Vec<String> {
    let Some(rows) = dated_work(&spec.metric) else { return vec![] };
    let note = match spec.period {
        PeriodKind::SchoolYear => format!(
            "This rule counts over the school year, from the first day of its first semester to the last day of \
             its last: {rows} dated in the holidays between two semesters (stored without a semester) count \
             for it."
        ),
        PeriodKind::Week | PeriodKind::Fortnight | PeriodKind::Month | PeriodKind::Semester => format!(
            "This rule counts inside the semester: {rows} dated outside every semester (in the holidays, \
             stored without a semester) do not count for it; they count for school-year rules only."
        ),
    };
    vec![note]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quota::templates::template;

    fn notes(template_id: &str) -> Vec<String> {
        notes_for(&template(template_id).expect("a catalogue template").spec)
    }

    #[test]
    fn school_year_rules_count_work_between_semesters() {
        // 一学年学习笔记至少5000字 (seed 000).
        let notes = notes("study-note-words-year-5000");
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("records dated in the holidays between two semesters")
                && notes[0].contains("count for it")
        );
    }

    #[test]
    fn semester_rules_do_not_count_it() {
        let notes = notes("observations-monthly-4");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("observations dated outside every semester") && notes[0].contains("do not count"));
    }

    #[test]
    fn activities_always_lie_in_a_semester() {
        let spec = RuleSpec {
            metric: Metric::ActivitiesHeld { activity_types: vec![], modality: None },
            ..template("observations-monthly-4").unwrap().spec.clone()
        };
        assert!(notes_for(&spec).is_empty());
    }
}
