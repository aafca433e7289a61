//! Why a record does or does not count: records, words, hours, the full-plan share.

use jiaoyan_quota::vocab::{LessonPlanForm, RecordKind};

use super::kinds_reason;
use crate::quota::rules::Metric;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
