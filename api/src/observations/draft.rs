//! One validation for creating and changing an observation: the body (or the stored row with the
//! patch applied) is a [`Draft`], checked whole; references (teacher, activity, rubric, date) are
//! re-checked only when they change, so that editing the notes of an old observation never fails
//! on something that has since changed elsewhere.

use chrono::NaiveDate;
use entities::enums::{ActivityStatus, LessonKind};
use entities::{activity, observation};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use super::queries::{dimension_maxima, find_rubric, live_teacher, semester_of, teaches_at};
use super::rules::{self, check_feedback, check_observed_on, check_scores, FeedbackCounts, Score};
use super::views::ObservationPatch;
use crate::activities::access::load_activity;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::org::ownership::usable_by;
use crate::validate::Checks;

/// The observer of an observation, with their school.
#[derive(Debug, Clone, Copy)]
pub struct Observer {
    pub teacher_id: i64,
    pub school_id: i64,
    pub district_id: i64,
}

/// Every field an observation's writer sets, before validation.
#[derive(Debug, Clone)]
pub struct Draft {
    pub observed_teacher_id: Option<i64>,
    pub observed_name: Option<String>,
    pub observed_on: NaiveDate,
    pub period: Option<i32>,
    pub subject: String,
    pub grade: Option<i32>,
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    pub lesson_title: Option<String>,
    pub activity_id: Option<i64>,
    pub rubric_id: Option<i64>,
    pub scores: Option<Vec<Score>>,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    pub suggestions: Vec<String>,
    pub critique_given: bool,
    pub critique: Option<String>,
    pub notes: Option<String>,
}

impl Draft {
    /// The stored row as a draft, for a PATCH to change.
    pub fn of(m: &observation::Model) -> Draft {
        let strings = |v: &serde_json::Value| serde_json::from_value(v.clone()).unwrap_or_default();
        Draft {
            observed_teacher_id: m.observed_teacher_id,
            observed_name: m.observed_name.clone(),
            observed_on: m.observed_on,
            period: m.period,
            subject: m.subject.clone(),
            grade: m.grade,
            class_name: m.class_name.clone(),
            lesson_kind: m.lesson_kind,
            lesson_title: m.lesson_title.clone(),
            activity_id: m.activity_id,
            rubric_id: m.rubric_id,
            scores: m.scores.clone().and_then(|s| serde_json::from_value(s).ok()),
            strengths: strings(&m.strengths),
            weaknesses: strings(&m.weaknesses),
            suggestions: strings(&m.suggestions),
            critique_given: m.critique_given,
            critique: m.critique.clone(),
            notes: m.notes.clone(),
        }
    }
}

/// Which references to check again (all of them for a new observation).
#[derive(Debug, Clone, Copy)]
pub struct Changed {
    pub observed_teacher: bool,
    pub observed_on: bool,
    pub activity: bool,
    pub rubric: bool,
}

impl Changed {
    pub const ALL: Changed = Changed { observed_teacher: true, observed_on: true, activity: true, rubric: true };
}

/// Applies a PATCH to the stored draft: an absent field keeps the stored value, `null` clears
/// it, a value replaces it; clearing the rubric clears the scores too (they point at its
/// dimensions) unless the patch sets them. Says which links changed, for [`check`] to re-check.
pub fn merge_patch(d: &mut Draft, p: ObservationPatch) -> Changed {
    let changed = Changed {
        observed_teacher: p.observed_teacher_id.is_some_and(|t| t != d.observed_teacher_id),
        observed_on: p.observed_on.is_some_and(|day| day != d.observed_on),
        activity: p.activity_id.is_some_and(|a| a != d.activity_id),
        rubric: p.rubric_id.is_some_and(|r| r != d.rubric_id),
    };
    fn set<T>(field: &mut T, value: Option<T>) {
        if let Some(v) = value {
            *field = v;
        }
    }
    if p.rubric_id == Some(None) && p.scores.is_none() {
        d.scores = None;
    }
    set(&mut d.observed_teacher_id, p.observed_teacher_id);
    set(&mut d.observed_name, p.observed_name);
    set(&mut d.observed_on, p.observed_on);
    set(&mut d.period, p.period);
    set(&mut d.subject, p.subject);
    set(&mut d.grade, p.grade);
    set(&mut d.class_name, p.class_name);
    set(&mut d.lesson_kind, p.lesson_kind);
    set(&mut d.lesson_title, p.lesson_title);
    set(&mut d.activity_id, p.activity_id);
    set(&mut d.rubric_id, p.rubric_id);
    set(&mut d.scores, p.scores);
    set(&mut d.strengths, p.strengths);
    set(&mut d.weaknesses, p.weaknesses);
    set(&mut d.suggestions, p.suggestions);
    set(&mut d.critique_given, p.critique_given);
    set(&mut d.critique, p.critique);
    set(&mut d.notes, p.notes);
    changed
}

/// A checked draft, ready to store.
#[derive(Debug, Clone)]
pub struct Clean {
    pub draft: Draft,
    /// Re-derived when the date changed: the semester containing it, or `None` between
    /// semesters.
    pub semester_id: Option<Option<i64>>,
    /// Re-resolved when the observed teacher changed.
    pub observed_school_id: Option<Option<i64>>,
    pub total_score: Option<f64>,
    pub counts: FeedbackCounts,
}

/// The activity the draft links, checked (seen by the caller, live, not cancelled) when the
/// link changed; its date when it has one.
async fn linked_activity(
    db: &impl ConnectionTrait,
    actor: &Actor,
    d: &Draft,
    changed: Changed,
    checks: &mut Checks,
) -> DomainResult<Option<activity::Model>> {
    let Some(id) = d.activity_id else { return Ok(None) };
    if !changed.activity {
        return Ok(activity::Entity::find_by_id(id).one(db).await?);
    }
    match load_activity(db, actor, id).await {
        Ok(a) if a.archived_at.is_none() && a.status != ActivityStatus::Cancelled => Ok(Some(a)),
        Ok(_) => {
            checks.fail("activity_id", "the activity is archived or cancelled");
            Ok(None)
        }
        Err(DomainError::NotFound(_)) => {
            checks.fail("activity_id", "no such activity");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The observed teacher's school, re-resolved when the teacher (or the linked activity) changed:
/// `Some(None)` for an outside teacher named instead, `None` when nothing changed.
async fn observed_school(
    db: &impl ConnectionTrait,
    actor: &Actor,
    observer: Observer,
    d: &Draft,
    changed: Changed,
    activity: Option<&activity::Model>,
    c: &mut Checks,
) -> DomainResult<Option<Option<i64>>> {
    let Some(t) = d.observed_teacher_id else {
        return Ok(changed.observed_teacher.then_some(None));
    };
    if t == observer.teacher_id {
        c.fail("observed_teacher_id", "must not be the observer");
        return Ok(None);
    }
    if !(changed.observed_teacher || changed.activity) {
        return Ok(None);
    }
    // Only teachers the caller sees, or who teach at the linked activity: another school's
    // teacher is never confirmed to exist otherwise.
    let found = live_teacher(db, t).await?;
    let visible = match &found {
        Some((_, s)) if actor.sees_school(s.district_id, s.id) => true,
        Some(_) => match activity {
            Some(a) => teaches_at(db, a.id, t).await?,
            None => false,
        },
        None => false,
    };
    Ok(match found.filter(|_| visible) {
        Some((teacher, _)) => Some(Some(teacher.school_id)),
        None => {
            c.fail("observed_teacher_id", "no such teacher");
            None
        }
    })
}

/// The scores' total when the draft scores against a rubric the observer's school may use
/// (checked again only when the rubric changed).
async fn total_score(
    db: &impl ConnectionTrait,
    observer: Observer,
    d: &Draft,
    changed: Changed,
    c: &mut Checks,
) -> DomainResult<Option<f64>> {
    let Some(rubric_id) = d.rubric_id else {
        c.ensure(d.scores.as_ref().is_none_or(Vec::is_empty), "scores", "scores need a rubric_id");
        return Ok(None);
    };
    let rubric = find_rubric(db, rubric_id).await?;
    let usable = rubric.is_some_and(|r| {
        !changed.rubric
            || (r.archived_at.is_none()
                && usable_by(r.district_id, r.school_id, observer.district_id, observer.school_id))
    });
    if !usable {
        c.fail("rubric_id", "no such rubric for the observer's school");
        return Ok(None);
    }
    match d.scores.as_ref().filter(|s| !s.is_empty()) {
        Some(scores) => {
            let maxima = dimension_maxima(db, rubric_id).await?;
            Ok(Some(check_scores(c, scores, &maxima)))
        }
        None => Ok(None),
    }
}

/// Checks the whole draft and collects every error into one 422.
pub async fn check(
    db: &impl ConnectionTrait,
    actor: &Actor,
    observer: Observer,
    d: Draft,
    changed: Changed,
    today: NaiveDate,
) -> DomainResult<Clean> {
    let mut c = Checks::new();
    let subject = c.text("subject", &d.subject, rules::MAX_SUBJECT_CHARS);
    let observed_name = c.optional_text("observed_name", d.observed_name.as_deref(), rules::MAX_OBSERVED_NAME_CHARS);
    let class_name = c.optional_text("class_name", d.class_name.as_deref(), rules::MAX_CLASS_NAME_CHARS);
    let lesson_title = c.optional_text("lesson_title", d.lesson_title.as_deref(), rules::MAX_LESSON_TITLE_CHARS);
    let critique = c.optional_text("critique", d.critique.as_deref(), rules::MAX_TEXT_CHARS);
    let notes = c.optional_text("notes", d.notes.as_deref(), rules::MAX_TEXT_CHARS);
    c.ensure(d.period.is_none_or(|p| (1..=12).contains(&p)), "period", "must be between 1 and 12");
    c.ensure(d.grade.is_none_or(|g| (1..=6).contains(&g)), "grade", "must be between 1 and 6");
    let strengths = check_feedback(&mut c, "strengths", &d.strengths);
    let weaknesses = check_feedback(&mut c, "weaknesses", &d.weaknesses);
    let suggestions = check_feedback(&mut c, "suggestions", &d.suggestions);

    match (d.observed_teacher_id, &observed_name) {
        (None, None) => {
            c.fail("observed_teacher_id", "give observed_teacher_id, or observed_name for an outside teacher")
        }
        (Some(_), Some(_)) => c.fail("observed_name", "give observed_teacher_id or observed_name, not both"),
        _ => {}
    }

    let activity = linked_activity(db, actor, &d, changed, &mut c).await?;

    let observed_school_id = observed_school(db, actor, observer, &d, changed, activity.as_ref(), &mut c).await?;

    if changed.observed_on || changed.activity {
        check_observed_on(&mut c, d.observed_on, today, activity.as_ref().and_then(|a| a.date));
    }
    // An observation between semesters (a holiday's 送教 visit) is kept without a semester.
    let mut semester_id = None;
    if changed.observed_on && d.observed_on <= today {
        semester_id = Some(semester_of(db, observer.district_id, d.observed_on).await?);
    }

    let total_score = total_score(db, observer, &d, changed, &mut c).await?;
    c.finish()?;
    let counts =
        FeedbackCounts { strengths: strengths.len(), weaknesses: weaknesses.len(), suggestions: suggestions.len() };
    let scores = d.scores.filter(|s| !s.is_empty() && d.rubric_id.is_some());
    Ok(Clean {
        draft: Draft {
            observed_name,
            subject,
            class_name,
            lesson_title,
            scores,
            strengths,
            weaknesses,
            suggestions,
            critique,
            notes,
            ..d
        },
        semester_id,
        observed_school_id,
        total_score,
        counts,
    })
}

impl Clean {
    /// Writes the checked fields into a row.
    pub fn apply(self, row: &mut observation::ActiveModel) {
        let d = self.draft;
        if let Some(s) = self.semester_id {
            row.semester_id = Set(s);
        }
        if let Some(s) = self.observed_school_id {
            row.observed_school_id = Set(s);
        }
        row.observed_teacher_id = Set(d.observed_teacher_id);
        row.observed_name = Set(d.observed_name);
        row.observed_on = Set(d.observed_on);
        row.period = Set(d.period);
        row.subject = Set(d.subject);
        row.grade = Set(d.grade);
        row.class_name = Set(d.class_name);
        row.lesson_kind = Set(d.lesson_kind);
        row.lesson_title = Set(d.lesson_title);
        row.activity_id = Set(d.activity_id);
        row.rubric_id = Set(d.rubric_id);
        row.scores = Set(d.scores.map(|s| serde_json::to_value(s).unwrap_or_default()));
        row.total_score = Set(self.total_score);
        row.strengths = Set(serde_json::Value::from(d.strengths));
        row.weaknesses = Set(serde_json::Value::from(d.weaknesses));
        row.suggestions = Set(serde_json::Value::from(d.suggestions));
        row.strengths_count = Set(self.counts.strengths as i32);
        row.weaknesses_count = Set(self.counts.weaknesses as i32);
        row.suggestions_count = Set(self.counts.suggestions as i32);
        row.critique_given = Set(d.critique_given);
        row.critique = Set(d.critique);
        row.notes = Set(d.notes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Draft {
        Draft {
            observed_teacher_id: Some(7),
            observed_name: None,
            observed_on: NaiveDate::from_ymd_opt(2026, 10, 15).unwrap(),
            period: Some(2),
            subject: "语文".into(),
            grade: Some(3),
            class_name: Some("三(2)班".into()),
            lesson_kind: LessonKind::Ordinary,
            lesson_title: Some("秋天的雨".into()),
            activity_id: Some(4),
            rubric_id: Some(9),
            scores: Some(vec![]),
            strengths: vec!["板书清楚".into()],
            weaknesses: vec![],
            suggestions: vec![],
            critique_given: false,
            critique: None,
            notes: Some("note".into()),
        }
    }

    fn patch(body: serde_json::Value) -> ObservationPatch {
        serde_json::from_value(body).expect("a valid patch")
    }

    #[test]
    fn absent_keeps_null_clears_a_value_replaces() {
        let mut d = stored();
        let changed = merge_patch(&mut d, patch(serde_json::json!({"period": null, "grade": 4, "notes": null})));
        assert_eq!((d.period, d.grade, d.notes.as_deref()), (None, Some(4), None));
        assert_eq!((d.class_name.as_deref(), d.subject.as_str(), d.activity_id), (Some("三(2)班"), "语文", Some(4)));
        assert!(!changed.observed_teacher && !changed.observed_on && !changed.activity && !changed.rubric);
    }

    #[test]
    fn changed_links_are_reported_only_when_they_change() {
        let mut d = stored();
        let changed = merge_patch(
            &mut d,
            patch(serde_json::json!({"observed_teacher_id": 7, "observed_on": "2026-10-16", "activity_id": null})),
        );
        assert!(!changed.observed_teacher, "the same teacher is no change");
        assert!(changed.observed_on && changed.activity && !changed.rubric);
        assert_eq!((d.observed_on.to_string(), d.activity_id), ("2026-10-16".to_string(), None));
    }

    #[test]
    fn clearing_the_rubric_clears_its_scores_unless_the_patch_sets_them() {
        let mut d = stored();
        let changed = merge_patch(&mut d, patch(serde_json::json!({"rubric_id": null})));
        assert!(changed.rubric);
        assert_eq!((d.rubric_id, d.scores.is_none()), (None, true));

        let mut d = stored();
        merge_patch(&mut d, patch(serde_json::json!({"rubric_id": 10})));
        assert_eq!((d.rubric_id, d.scores.is_some()), (Some(10), true), "another rubric keeps the scores to check");
    }
}
