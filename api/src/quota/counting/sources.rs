//! The rows each metric counts, as a `SELECT subject_id, day, ...` with the metric's filters and
//! the population in SQL. [`super::count`] buckets and aggregates them; the evidence module
//! judges the same rows one by one with the same filters in Rust.

use entities::enums::{
    ActivityStatus, ActivityType, AttendanceStatus, LessonKind, LessonPlanForm, Modality, OrganiserKind, RecordKind,
};
use entities::{
    activity, activity_lesson, activity_participant, group, mentorship, observation, preparation, preparation_note,
    record, record_coauthor, school, teacher, teacher_subject,
};
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, EntityName, IdenStatic};

use super::{Aggregate, Population, DAY, EXPECTED, STATUS, SUBJECT, VALUE};
use crate::quota::rules::{Metric, SubjectType};
use jiaoyan_quota::vocab;

/// `table.column` as an expression.
fn col<E: EntityName + Copy + 'static, C: IdenStatic + Copy + 'static>(entity: E, column: C) -> Expr {
    Expr::col((entity, column))
}

/// The ids of the population's schools.
fn schools_of(p: &Population) -> SelectStatement {
    let mut q = Query::select();
    q.column(school::Column::Id).from(school::Entity).and_where(school::Column::DistrictId.eq(p.district_id));
    if let Some(ids) = &p.school_ids {
        q.and_where(school::Column::Id.is_in(ids.clone()));
    }
    q
}

/// The ids of the teachers of the population's schools.
fn teachers_of(p: &Population) -> SelectStatement {
    let mut q = Query::select();
    q.column(teacher::Column::Id).from(teacher::Entity).and_where(teacher::Column::SchoolId.in_subquery(schools_of(p)));
    q
}

/// The ids of the population's groups: with `school_ids`, the groups of those schools (district
/// teams have none); without, every group of the district.
fn groups_of(p: &Population) -> SelectStatement {
    let mut q = Query::select();
    q.column(group::Column::Id).from(group::Entity).and_where(group::Column::DistrictId.eq(p.district_id));
    if let Some(ids) = &p.school_ids {
        q.and_where(group::Column::SchoolId.is_in(ids.clone()));
    }
    q
}

/// Restricts `subject` to the population: `subject IN (<scope>) [AND subject IN (<ids>)]`.
fn narrow(q: &mut SelectStatement, subject: Expr, scope: SelectStatement, p: &Population) {
    q.and_where(subject.clone().in_subquery(scope));
    if let Some(ids) = &p.subject_ids {
        q.and_where(subject.is_in(ids.clone()));
    }
}

/// Statuses of activities that took place (filed ones included), as the attendance rates count.
const TOOK_PLACE: [ActivityStatus; 2] = [ActivityStatus::Held, ActivityStatus::Archived];

/// Live activities that took place.
fn held(q: &mut SelectStatement) {
    q.and_where(activity::Column::Status.is_in(TOOK_PLACE)).and_where(activity::Column::ArchivedAt.is_null());
}

/// The source of `metric` for subjects of `subject_type` (already checked to be measurable).
pub(super) fn source(p: &Population, subject_type: SubjectType, metric: &Metric) -> (SelectStatement, Aggregate) {
    match metric {
        Metric::Observations { lesson_kinds, same_subject, same_school, critique_given, feedback_complete } => {
            let filters = ObservationFilters {
                lesson_kinds,
                same_subject: *same_subject,
                same_school: *same_school,
                critique_given: *critique_given,
                feedback_complete: *feedback_complete,
            };
            (observed(p, &filters), Aggregate::Rows)
        }
        Metric::Records { kinds, min_words, on_time_only, lesson_plan_form, include_coauthored } => {
            let filters = RecordFilters {
                kinds,
                min_words: *min_words,
                on_time_only: *on_time_only,
                lesson_plan_form: *lesson_plan_form,
            };
            let mut q = authored(p, &filters, None);
            if *include_coauthored {
                q.union(UnionType::All, coauthored(p, &filters));
            }
            (q, Aggregate::Rows)
        }
        Metric::RecordWords { kinds, on_time_only } => {
            let filters = RecordFilters { kinds, min_words: None, on_time_only: *on_time_only, lesson_plan_form: None };
            (authored(p, &filters, Some(col(record::Entity, record::Column::WordCount))), Aggregate::Sum)
        }
        Metric::RecordHours { kinds } => {
            let filters = RecordFilters { kinds, min_words: None, on_time_only: false, lesson_plan_form: None };
            let mut q = authored(p, &filters, Some(col(record::Entity, record::Column::Hours)));
            q.and_where(record::Column::Hours.is_not_null());
            (q, Aggregate::Sum)
        }
        Metric::FullLessonPlanShare => (full_plans(p), Aggregate::Share),
        Metric::LessonsGiven { lesson_kinds } => (lessons_given(p, lesson_kinds), Aggregate::Rows),
        Metric::ActivitiesHeld { activity_types, modality } => {
            (activities_held(p, subject_type, activity_types, *modality), Aggregate::Rows)
        }
        Metric::ActivitiesAttended { activity_types } => (attended(p, activity_types), Aggregate::Rows),
        Metric::AttendanceRate => (attendance(p, subject_type), Aggregate::Attendance),
        Metric::MentorObservesMentee { lesson_kinds } | Metric::MenteeObservesMentor { lesson_kinds } => {
            let mentor_observes = matches!(metric, Metric::MentorObservesMentee { .. });
            (pair_observed(p, mentor_observes, lesson_kinds), Aggregate::Rows)
        }
        Metric::PrepDraftsOnTime => (drafts_on_time(p), Aggregate::Rows),
        Metric::PrepNotesGiven => (notes_given(p), Aggregate::Rows),
        Metric::PrepCompletionShare => (preparations_completed(p), Aggregate::Share),
    }
}

/// `prep_drafts_on_time`: live preparations' drafts submitted by their due day, by lead.
fn drafts_on_time(p: &Population) -> SelectStatement {
    let lead = col(preparation::Entity, preparation::Column::LeadTeacherId);
    let mut q = Query::select();
    q.expr_as(lead.clone(), Alias::new(SUBJECT))
        .expr_as(col(preparation::Entity, preparation::Column::DraftSubmittedOn), Alias::new(DAY))
        .from(preparation::Entity)
        .and_where(preparation::Column::ArchivedAt.is_null())
        .and_where(preparation::Column::DraftSubmittedOn.is_not_null())
        .and_where(preparation::Column::DraftLate.eq(false));
    narrow(&mut q, lead, teachers_of(p), p);
    q
}

/// `prep_notes_given`: revision notes on live preparations, by their writer.
fn notes_given(p: &Population) -> SelectStatement {
    let author = col(preparation_note::Entity, preparation_note::Column::TeacherId);
    let mut q = Query::select();
    q.expr_as(author.clone(), Alias::new(SUBJECT))
        .expr_as(col(preparation_note::Entity, preparation_note::Column::WrittenOn), Alias::new(DAY))
        .from(preparation_note::Entity)
        .inner_join(
            preparation::Entity,
            col(preparation::Entity, preparation::Column::Id)
                .equals((preparation_note::Entity, preparation_note::Column::PreparationId)),
        )
        .and_where(preparation::Column::ArchivedAt.is_null());
    narrow(&mut q, author, teachers_of(p), p);
    q
}

/// `prep_completion_share`: a group's live preparations by session day, valued 1 when completed.
fn preparations_completed(p: &Population) -> SelectStatement {
    let group = col(preparation::Entity, preparation::Column::GroupId);
    let completed = CaseStatement::new()
        .case(preparation::Column::CompletedOn.is_not_null(), Expr::val(1i32))
        .finally(Expr::val(0i32));
    let mut q = Query::select();
    q.expr_as(group.clone(), Alias::new(SUBJECT))
        .expr_as(col(preparation::Entity, preparation::Column::SessionOn), Alias::new(DAY))
        .expr_as(completed, Alias::new(VALUE))
        .from(preparation::Entity)
        .and_where(preparation::Column::ArchivedAt.is_null());
    narrow(&mut q, group, groups_of(p), p);
    q
}

/// The filters of an `observations` metric.
struct ObservationFilters<'a> {
    lesson_kinds: &'a [vocab::LessonKind],
    same_subject: bool,
    same_school: bool,
    critique_given: bool,
    feedback_complete: bool,
}

/// `observations`: the observer's live observations with the metric's filters.
fn observed(p: &Population, f: &ObservationFilters) -> SelectStatement {
    let mut q = observations(col(observation::Entity, observation::Column::ObserverTeacherId));
    narrow(&mut q, col(observation::Entity, observation::Column::ObserverTeacherId), teachers_of(p), p);
    if !f.lesson_kinds.is_empty() {
        q.and_where(observation::Column::LessonKind.is_in(f.lesson_kinds.iter().map(|k| LessonKind::from(*k))));
    }
    if f.same_subject {
        q.and_where(Expr::exists(observer_teaches_subject()));
    }
    if f.same_school {
        q.and_where(
            col(observation::Entity, observation::Column::ObservedSchoolId)
                .equals((observation::Entity, observation::Column::ObserverSchoolId)),
        );
    }
    if f.critique_given {
        q.and_where(observation::Column::CritiqueGiven.eq(true));
    }
    if f.feedback_complete {
        q.and_where(observation::Column::StrengthsCount.gt(0))
            .and_where(observation::Column::WeaknessesCount.gt(0))
            .and_where(observation::Column::SuggestionsCount.gt(0));
    }
    q
}

/// `full_lesson_plan_share`: the author's lesson plans, valued 1 when written in full.
fn full_plans(p: &Population) -> SelectStatement {
    let kinds = [vocab::RecordKind::LessonPlan];
    let filters = RecordFilters { kinds: &kinds, min_words: None, on_time_only: false, lesson_plan_form: None };
    // 32-bit ones and zeros: PostgreSQL sums `integer` to `bigint` (but `bigint` to `numeric`).
    let full = CaseStatement::new()
        .case(record::Column::LessonPlanForm.eq(LessonPlanForm::Full), Expr::val(1i32))
        .finally(Expr::val(0i32));
    authored(p, &filters, Some(full.into()))
}

/// `lessons_given`: lessons of held activities, by the teacher who gave them.
fn lessons_given(p: &Population, lesson_kinds: &[vocab::LessonKind]) -> SelectStatement {
    let mut q = Query::select();
    q.expr_as(col(activity_lesson::Entity, activity_lesson::Column::TeacherId), Alias::new(SUBJECT))
        .expr_as(col(activity::Entity, activity::Column::Date), Alias::new(DAY))
        .from(activity_lesson::Entity)
        .inner_join(
            activity::Entity,
            col(activity::Entity, activity::Column::Id)
                .equals((activity_lesson::Entity, activity_lesson::Column::ActivityId)),
        );
    held(&mut q);
    narrow(&mut q, col(activity_lesson::Entity, activity_lesson::Column::TeacherId), teachers_of(p), p);
    if !lesson_kinds.is_empty() {
        q.and_where(activity_lesson::Column::LessonKind.is_in(lesson_kinds.iter().map(|k| LessonKind::from(*k))));
    }
    q
}

/// `activities_held`: held activities organised by the group or the school.
fn activities_held(
    p: &Population,
    subject_type: SubjectType,
    activity_types: &[vocab::ActivityType],
    modality: Option<vocab::Modality>,
) -> SelectStatement {
    let (organiser, subject, scope) = match subject_type {
        SubjectType::School => (OrganiserKind::School, activity::Column::SchoolId, schools_of(p)),
        _ => (OrganiserKind::Group, activity::Column::GroupId, groups_of(p)),
    };
    let mut q = activities(col(activity::Entity, subject));
    held(&mut q);
    q.and_where(activity::Column::OrganiserKind.eq(organiser));
    narrow(&mut q, col(activity::Entity, subject), scope, p);
    if !activity_types.is_empty() {
        q.and_where(activity::Column::ActivityType.is_in(activity_types.iter().map(|t| ActivityType::from(*t))));
    }
    if let Some(modality) = modality {
        q.and_where(activity::Column::Modality.eq(Modality::from(modality)));
    }
    q
}

/// `activities_attended`: the teacher's participations, present or late.
fn attended(p: &Population, activity_types: &[vocab::ActivityType]) -> SelectStatement {
    let mut q = participations(col(activity_participant::Entity, activity_participant::Column::TeacherId));
    narrow(&mut q, col(activity_participant::Entity, activity_participant::Column::TeacherId), teachers_of(p), p);
    q.and_where(activity_participant::Column::Status.is_in([AttendanceStatus::Present, AttendanceStatus::Late]));
    if !activity_types.is_empty() {
        q.and_where(activity::Column::ActivityType.is_in(activity_types.iter().map(|t| ActivityType::from(*t))));
    }
    q
}

/// `attendance_rate`, as `activities::attendance::rates`: a teacher's participations, or every
/// participation at the activities a group organised, with their status and whether expected.
fn attendance(p: &Population, subject_type: SubjectType) -> SelectStatement {
    let subject = match subject_type {
        SubjectType::Group => col(activity::Entity, activity::Column::GroupId),
        _ => col(activity_participant::Entity, activity_participant::Column::TeacherId),
    };
    let scope = match subject_type {
        SubjectType::Group => groups_of(p),
        _ => teachers_of(p),
    };
    let mut q = participations(subject.clone());
    narrow(&mut q, subject, scope, p);
    q.expr_as(col(activity_participant::Entity, activity_participant::Column::Status), Alias::new(STATUS))
        .expr_as(col(activity_participant::Entity, activity_participant::Column::Expected), Alias::new(EXPECTED));
    q
}

/// `mentor_observes_mentee` (`mentor_observes`) or `mentee_observes_mentor`: observations between
/// a pair's two teachers in that direction, by pair.
fn pair_observed(p: &Population, mentor_observes: bool, lesson_kinds: &[vocab::LessonKind]) -> SelectStatement {
    let (observer, observed) = if mentor_observes {
        (mentorship::Column::MentorTeacherId, mentorship::Column::MenteeTeacherId)
    } else {
        (mentorship::Column::MenteeTeacherId, mentorship::Column::MentorTeacherId)
    };
    let mut q = observations(col(mentorship::Entity, mentorship::Column::Id));
    q.inner_join(
        mentorship::Entity,
        col(observation::Entity, observation::Column::ObserverTeacherId).equals((mentorship::Entity, observer)).and(
            col(observation::Entity, observation::Column::ObservedTeacherId).equals((mentorship::Entity, observed)),
        ),
    )
    .and_where(mentorship::Column::DistrictId.eq(p.district_id));
    if let Some(ids) = &p.school_ids {
        q.and_where(mentorship::Column::SchoolId.is_in(ids.clone()));
    }
    if let Some(ids) = &p.subject_ids {
        q.and_where(mentorship::Column::Id.is_in(ids.clone()));
    }
    if !lesson_kinds.is_empty() {
        q.and_where(observation::Column::LessonKind.is_in(lesson_kinds.iter().map(|k| LessonKind::from(*k))));
    }
    q
}

/// Live observations, `subject` and `observed_on` as the day.
fn observations(subject: Expr) -> SelectStatement {
    let mut q = Query::select();
    q.expr_as(subject, Alias::new(SUBJECT))
        .expr_as(col(observation::Entity, observation::Column::ObservedOn), Alias::new(DAY))
        .from(observation::Entity)
        .and_where(observation::Column::ArchivedAt.is_null());
    q
}

/// `EXISTS (SELECT 1 FROM teacher_subjects WHERE teacher = observer AND subject = observed subject)`.
fn observer_teaches_subject() -> SelectStatement {
    let mut q = Query::select();
    q.expr(Expr::val(1i64))
        .from(teacher_subject::Entity)
        .and_where(
            col(teacher_subject::Entity, teacher_subject::Column::TeacherId)
                .equals((observation::Entity, observation::Column::ObserverTeacherId)),
        )
        .and_where(
            col(teacher_subject::Entity, teacher_subject::Column::Subject)
                .equals((observation::Entity, observation::Column::Subject)),
        );
    q
}

/// Activities, `subject` and the activity's date as the day.
fn activities(subject: Expr) -> SelectStatement {
    let mut q = Query::select();
    q.expr_as(subject, Alias::new(SUBJECT))
        .expr_as(col(activity::Entity, activity::Column::Date), Alias::new(DAY))
        .from(activity::Entity);
    q
}

/// Participations at live activities that took place, `subject` and the activity's date.
fn participations(subject: Expr) -> SelectStatement {
    let mut q = Query::select();
    q.expr_as(subject, Alias::new(SUBJECT))
        .expr_as(col(activity::Entity, activity::Column::Date), Alias::new(DAY))
        .from(activity_participant::Entity)
        .inner_join(
            activity::Entity,
            col(activity::Entity, activity::Column::Id)
                .equals((activity_participant::Entity, activity_participant::Column::ActivityId)),
        );
    held(&mut q);
    q
}

/// The record filters a metric applies.
struct RecordFilters<'a> {
    kinds: &'a [vocab::RecordKind],
    min_words: Option<i32>,
    on_time_only: bool,
    lesson_plan_form: Option<vocab::LessonPlanForm>,
}

fn record_filters(q: &mut SelectStatement, f: &RecordFilters) {
    q.and_where(record::Column::ArchivedAt.is_null());
    if !f.kinds.is_empty() {
        q.and_where(record::Column::Kind.is_in(f.kinds.iter().map(|k| RecordKind::from(*k))));
    }
    if let Some(min) = f.min_words {
        q.and_where(record::Column::WordCount.gte(min));
    }
    if f.on_time_only {
        q.and_where(record::Column::Late.eq(false));
    }
    if let Some(form) = f.lesson_plan_form {
        q.and_where(record::Column::LessonPlanForm.eq(LessonPlanForm::from(form)));
    }
}

/// Records by their author, `written_on` as the day, with `value` when given.
fn authored(p: &Population, f: &RecordFilters, value: Option<Expr>) -> SelectStatement {
    let author = col(record::Entity, record::Column::AuthorTeacherId);
    let mut q = Query::select();
    q.expr_as(author.clone(), Alias::new(SUBJECT))
        .expr_as(col(record::Entity, record::Column::WrittenOn), Alias::new(DAY))
        .from(record::Entity);
    if let Some(value) = value {
        q.expr_as(value, Alias::new(VALUE));
    }
    record_filters(&mut q, f);
    narrow(&mut q, author, teachers_of(p), p);
    q
}

/// Records by each co-author who is not also the author, as [`authored`] without a value.
fn coauthored(p: &Population, f: &RecordFilters) -> SelectStatement {
    let coauthor = col(record_coauthor::Entity, record_coauthor::Column::TeacherId);
    let mut q = Query::select();
    q.expr_as(coauthor.clone(), Alias::new(SUBJECT))
        .expr_as(col(record::Entity, record::Column::WrittenOn), Alias::new(DAY))
        .from(record::Entity)
        .inner_join(
            record_coauthor::Entity,
            col(record_coauthor::Entity, record_coauthor::Column::RecordId)
                .equals((record::Entity, record::Column::Id))
                .and(coauthor.clone().ne(col(record::Entity, record::Column::AuthorTeacherId))),
        );
    record_filters(&mut q, f);
    narrow(&mut q, coauthor, teachers_of(p), p);
    q
}
