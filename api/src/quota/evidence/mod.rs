//! The rows behind one subject's value for one rule, each with why it did or did not count: what
//! `GET /quota-checks/explain` shows. Fetches the subject's candidate rows (the metric's base
//! table, without the metric's filters) and judges each with pure functions, so the reasons are
//! unit-tested without a database ([`rules`]). Must agree with [`crate::quota::counting`]: the
//! rows marked counted add up, per period, to what it counts (for a ratio, their mean is the
//! ratio); a black-box test checks it.
//!
//! Candidates are the subject's live rows of the metric's base table dated within the periods'
//! span: observations it made (for a pair, those between its two teachers, in both directions),
//! records it wrote (for `records`, also those it co-authored), lessons it gave, activities it
//! organised, participations at activities (a group's: everyone's at the activities it
//! organised). Archived (soft-deleted) rows are not candidates at all.

mod preparations;
pub mod rules;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entities::{
    activity, activity_lesson, activity_participant, mentorship, observation, record, record_coauthor, teacher,
    teacher_subject,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use self::rules::{ActivityFacts, ObservationFacts, Participation, RecordFacts};
use crate::domain::{DomainError, DomainResult};
use crate::mentorships::queries::observations_between;
use crate::quota::periods::Period;
use crate::quota::rules::{Metric, SubjectType};

/// What kind of row an [`Evidence`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// A lesson observation (`id`: the observation).
    Observation,
    /// A research record (`id`: the record).
    Record,
    /// An activity held (`id`: the activity).
    Activity,
    /// A lesson given at an activity (`id`: the activity).
    Lesson,
    /// A participation in an activity (`id`: the activity).
    Attendance,
    /// A collective preparation (`id`: the preparation): a lead's draft, or one of a group's
    /// preparations.
    Preparation,
    /// A co-preparer's revision note (`id`: the note).
    PreparationNote,
}

/// One row and what it did for the rule.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"source": "record", "id": 812, "date": "2026-10-14", "title": "《荷花》教学反思",
    "value": 320.0, "period_index": 1, "counted": false, "reason": "too short: 320 字 < 500"}))]
pub struct Evidence {
    pub source: EvidenceSource,
    pub id: i64,
    pub date: NaiveDate,
    /// What a person recognises the row by: the record's title, the observed lesson, the activity.
    pub title: String,
    /// What the row adds when it counts: 1, or its words or hours; for a rate, 1 attended or 0
    /// missed.
    pub value: f64,
    /// The period (index into the evaluation's periods) the row's date falls in, if any.
    pub period_index: Option<usize>,
    pub counted: bool,
    /// Why it did not count (`None` when it counted): "wrong kind: reflection", "late", "other
    /// subject: 数学", "dated after as_of" ...
    pub reason: Option<String>,
}

/// Every candidate row of `subject_id` for `metric` dated within the periods' span (first start
/// to last end), counted or not, ordered by date then id.
pub async fn evidence(
    db: &impl ConnectionTrait,
    subject_type: SubjectType,
    subject_id: i64,
    metric: &Metric,
    periods: &[Period],
    as_of: NaiveDate,
) -> DomainResult<Vec<Evidence>> {
    if !metric.measures().contains(&subject_type) {
        return Err(DomainError::invalid(
            "metric.kind",
            format!("{} does not measure this subject type", metric.code()),
        ));
    }
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Ok(Vec::new());
    };
    let ctx = Context { periods, as_of, span: (first.start, last.end) };
    let mut rows = match metric {
        Metric::Observations { .. } => observations(db, &ctx, subject_id, metric).await?,
        Metric::MentorObservesMentee { .. } | Metric::MenteeObservesMentor { .. } => {
            pair_observations(db, &ctx, subject_id, metric).await?
        }
        Metric::Records { .. }
        | Metric::RecordWords { .. }
        | Metric::RecordHours { .. }
        | Metric::FullLessonPlanShare => records(db, &ctx, subject_id, metric).await?,
        Metric::LessonsGiven { .. } => lessons(db, &ctx, subject_id, metric).await?,
        Metric::ActivitiesHeld { .. } => activities_held(db, &ctx, subject_type, subject_id, metric).await?,
        Metric::ActivitiesAttended { .. } | Metric::AttendanceRate => {
            participations(db, &ctx, subject_type, subject_id, metric).await?
        }
        Metric::PrepDraftsOnTime => preparations::drafts(db, &ctx, subject_id).await?,
        Metric::PrepNotesGiven => preparations::notes(db, &ctx, subject_id).await?,
        Metric::PrepCompletionShare => preparations::group(db, &ctx, subject_id, metric).await?,
    };
    // Stable: rows of one activity (a group's participations) keep their teacher order.
    rows.sort_by_key(|e| (e.date, e.id));
    Ok(rows)
}

/// What every row is judged against besides its own facts.
struct Context<'a> {
    periods: &'a [Period],
    as_of: NaiveDate,
    /// The periods' span, both ends included.
    span: (NaiveDate, NaiveDate),
}

impl Context<'_> {
    /// A row with the date's verdict first (after as_of, outside every period), then the metric's.
    fn judged(
        &self,
        source: EvidenceSource,
        id: i64,
        date: NaiveDate,
        title: String,
        value: f64,
        reason: Option<String>,
    ) -> Evidence {
        let (period_index, date_reason) = rules::dating(self.periods, self.as_of, date);
        let reason = date_reason.or(reason);
        Evidence { source, id, date, title, value, period_index, counted: reason.is_none(), reason }
    }
}

async fn teacher_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> DomainResult<HashMap<i64, String>> {
    let ids: HashSet<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found = teacher::Entity::find().filter(teacher::Column::Id.is_in(ids)).all(db).await?;
    Ok(found.into_iter().map(|t| (t.id, t.name)).collect())
}

/// "王老师 · 语文《荷花》": who was observed and in which lesson.
fn observation_title(o: &observation::Model, names: &HashMap<i64, String>) -> String {
    let who = o.observed_teacher_id.and_then(|id| names.get(&id).cloned()).or_else(|| o.observed_name.clone());
    let lesson = match &o.lesson_title {
        Some(title) => format!("{}《{}》", o.subject, title),
        None => format!("{}课", o.subject),
    };
    match who {
        Some(who) => format!("{who} · {lesson}"),
        None => lesson,
    }
}

async fn observations_where(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    who: Condition,
) -> DomainResult<(Vec<observation::Model>, HashMap<i64, String>)> {
    let found = observation::Entity::find()
        .filter(who)
        .filter(observation::Column::ArchivedAt.is_null())
        .filter(observation::Column::ObservedOn.between(ctx.span.0, ctx.span.1))
        .order_by_asc(observation::Column::ObservedOn)
        .order_by_asc(observation::Column::Id)
        .all(db)
        .await?;
    let names = teacher_names(db, found.iter().filter_map(|o| o.observed_teacher_id)).await?;
    Ok((found, names))
}

/// The observations as evidence, each judged by its date and by the metric (`reason_of`).
fn observation_evidence(
    ctx: &Context<'_>,
    found: &[observation::Model],
    names: &HashMap<i64, String>,
    reason_of: impl Fn(&observation::Model) -> Option<String>,
) -> Vec<Evidence> {
    let judged = |o: &observation::Model| {
        ctx.judged(EvidenceSource::Observation, o.id, o.observed_on, observation_title(o, names), 1.0, reason_of(o))
    };
    found.iter().map(judged).collect()
}

async fn observations(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    teacher_id: i64,
    metric: &Metric,
) -> DomainResult<Vec<Evidence>> {
    let who = Condition::all().add(observation::Column::ObserverTeacherId.eq(teacher_id));
    let (found, names) = observations_where(db, ctx, who).await?;
    let teaches: HashSet<String> = teacher_subject::Entity::find()
        .filter(teacher_subject::Column::TeacherId.eq(teacher_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.subject)
        .collect();
    Ok(observation_evidence(ctx, &found, &names, |o| {
        let facts = ObservationFacts {
            lesson_kind: o.lesson_kind.into(),
            subject: o.subject.clone(),
            observer_teaches_subject: teaches.contains(&o.subject),
            observer_school_id: o.observer_school_id,
            observed_school_id: o.observed_school_id,
            critique_given: o.critique_given,
            strengths_count: o.strengths_count,
            weaknesses_count: o.weaknesses_count,
            suggestions_count: o.suggestions_count,
        };
        rules::observation_reason(metric, &facts)
    }))
}

async fn pair_observations(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    mentorship_id: i64,
    metric: &Metric,
) -> DomainResult<Vec<Evidence>> {
    let Some(pair) = mentorship::Entity::find_by_id(mentorship_id).one(db).await? else {
        return Ok(Vec::new());
    };
    let (mentor, mentee) = (pair.mentor_teacher_id, pair.mentee_teacher_id);
    let (found, names) = observations_where(db, ctx, observations_between(mentor, mentee)).await?;
    Ok(observation_evidence(ctx, &found, &names, |o| {
        rules::pair_reason(metric, o.observer_teacher_id == mentor, o.lesson_kind.into())
    }))
}

async fn records(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    teacher_id: i64,
    metric: &Metric,
) -> DomainResult<Vec<Evidence>> {
    let mut whose = Condition::any().add(record::Column::AuthorTeacherId.eq(teacher_id));
    // Co-authored records are candidates of `records` only, the one metric that can count them.
    if matches!(metric, Metric::Records { .. }) {
        let mut coauthored = Query::select();
        coauthored
            .column(record_coauthor::Column::RecordId)
            .from(record_coauthor::Entity)
            .and_where(record_coauthor::Column::TeacherId.eq(teacher_id));
        whose = whose.add(record::Column::Id.in_subquery(coauthored));
    }
    let found = record::Entity::find()
        .filter(whose)
        .filter(record::Column::ArchivedAt.is_null())
        .filter(record::Column::WrittenOn.between(ctx.span.0, ctx.span.1))
        .order_by_asc(record::Column::WrittenOn)
        .order_by_asc(record::Column::Id)
        .all(db)
        .await?;
    Ok(found
        .into_iter()
        .map(|r| {
            let facts = RecordFacts {
                kind: r.kind.into(),
                word_count: r.word_count,
                hours: r.hours,
                late: r.late,
                lesson_plan_form: r.lesson_plan_form.map(Into::into),
                coauthored: r.author_teacher_id != teacher_id,
            };
            let reason = rules::record_reason(metric, &facts);
            ctx.judged(EvidenceSource::Record, r.id, r.written_on, r.title, rules::record_value(metric, &facts), reason)
        })
        .collect())
}

fn activity_facts(a: &activity::Model) -> ActivityFacts {
    ActivityFacts {
        status: a.status,
        organiser_kind: a.organiser_kind,
        activity_type: a.activity_type.into(),
        modality: a.modality.into(),
    }
}

/// Live activities dated within the span, among those `which` selects, by id.
async fn live_activities(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    which: Condition,
) -> DomainResult<HashMap<i64, activity::Model>> {
    let found = activity::Entity::find()
        .filter(which)
        .filter(activity::Column::ArchivedAt.is_null())
        .filter(activity::Column::Date.between(ctx.span.0, ctx.span.1))
        .all(db)
        .await?;
    Ok(found.into_iter().map(|a| (a.id, a)).collect())
}

async fn lessons(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    teacher_id: i64,
    metric: &Metric,
) -> DomainResult<Vec<Evidence>> {
    let given = activity_lesson::Entity::find()
        .filter(activity_lesson::Column::TeacherId.eq(teacher_id))
        .order_by_asc(activity_lesson::Column::ActivityId)
        .order_by_asc(activity_lesson::Column::Position)
        .all(db)
        .await?;
    let ids: HashSet<i64> = given.iter().map(|l| l.activity_id).collect();
    let activities = live_activities(db, ctx, Condition::all().add(activity::Column::Id.is_in(ids))).await?;
    Ok(given
        .into_iter()
        .filter_map(|l| {
            let a = activities.get(&l.activity_id)?;
            let title = match &l.title {
                Some(t) => format!("{}：{}《{}》", a.title, l.subject, t),
                None => format!("{}：{}课", a.title, l.subject),
            };
            let reason = rules::lesson_reason(metric, &activity_facts(a), l.lesson_kind.into());
            Some(ctx.judged(EvidenceSource::Lesson, a.id, a.date?, title, 1.0, reason))
        })
        .collect())
}

async fn activities_held(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    subject_type: SubjectType,
    subject_id: i64,
    metric: &Metric,
) -> DomainResult<Vec<Evidence>> {
    let own = match subject_type {
        SubjectType::School => activity::Column::SchoolId.eq(subject_id),
        _ => activity::Column::GroupId.eq(subject_id),
    };
    let activities = live_activities(db, ctx, Condition::all().add(own)).await?;
    Ok(activities
        .into_values()
        .filter_map(|a| {
            let reason = rules::activity_held_reason(metric, subject_type, &activity_facts(&a));
            Some(ctx.judged(EvidenceSource::Activity, a.id, a.date?, a.title, 1.0, reason))
        })
        .collect())
}

/// A teacher's participations, or (a group's attendance rate) every participation at the
/// activities the group organised.
async fn participations(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    subject_type: SubjectType,
    subject_id: i64,
    metric: &Metric,
) -> DomainResult<Vec<Evidence>> {
    let (activities, found) = if subject_type == SubjectType::Group {
        let activities =
            live_activities(db, ctx, Condition::all().add(activity::Column::GroupId.eq(subject_id))).await?;
        let found = activity_participant::Entity::find()
            .filter(activity_participant::Column::ActivityId.is_in(activities.keys().copied()))
            .order_by_asc(activity_participant::Column::TeacherId)
            .all(db)
            .await?;
        (activities, found)
    } else {
        let found = activity_participant::Entity::find()
            .filter(activity_participant::Column::TeacherId.eq(subject_id))
            .all(db)
            .await?;
        let ids: HashSet<i64> = found.iter().map(|p| p.activity_id).collect();
        (live_activities(db, ctx, Condition::all().add(activity::Column::Id.is_in(ids))).await?, found)
    };
    let names = if subject_type == SubjectType::Group {
        teacher_names(db, found.iter().map(|p| p.teacher_id)).await?
    } else {
        HashMap::new()
    };
    Ok(found
        .into_iter()
        .filter_map(|p| {
            let a = activities.get(&p.activity_id)?;
            let participation = Participation { status: p.status, expected: p.expected };
            let reason = rules::participation_reason(metric, &activity_facts(a), participation);
            let title = match names.get(&p.teacher_id) {
                Some(name) => format!("{} · {name}", a.title),
                None => a.title.clone(),
            };
            let value = rules::participation_value(metric, participation);
            Some(ctx.judged(EvidenceSource::Attendance, a.id, a.date?, title, value, reason))
        })
        .collect())
}
