//! The one aggregate statement of each source:
//!
//! ```sql
//! SELECT <subject> AS subject_id,
//!        CASE WHEN day <= s0.end THEN 0 WHEN day <= s1.end THEN 1 … END AS seg,
//!        SUM(CASE WHEN <measure 0's filters> THEN 1 ELSE 0 END) AS c0,            -- a count
//!        SUM(CASE WHEN <measure 1's filters> THEN word_count ELSE 0 END) AS c1,   -- a sum
//!        …
//! FROM <source> WHERE <live rows of the place's subjects> AND day BETWEEN s0.start AND sN.end
//! GROUP BY subject_id, seg
//! ```
//!
//! The filters are exactly those of the per-rule counting (`crate::quota::counting::sources`),
//! written as conditions on the row instead of `WHERE` clauses; the population is a subquery
//! over the district, zone or school; nothing binds one parameter per subject.

use entities::enums::{
    ActivityStatus, ActivityType, AttendanceStatus, LessonKind, LessonPlanForm, Modality, OrganiserKind, RecordKind,
};
use entities::{
    activity, activity_lesson, activity_participant, group, mentorship, observation, record, record_coauthor, school,
    teacher, teacher_subject,
};
use sea_orm::sea_query::{
    Alias, CaseStatement, Condition, Expr, ExprTrait, IntoCondition, Query, SelectStatement, UnionType,
};
use sea_orm::{ColumnTrait, EntityName, IdenStatic};

use super::{Source, SourcePlan};
use crate::quota::fold::Segment;
use crate::quota::rules::Metric;
use jiaoyan_quota::vocab;

/// Where a check's subjects are: a district, a zone of it, or one school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    pub district_id: i64,
    pub within: Within,
}

/// The part of the district a check covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Within {
    /// Every school, and the district's own teams.
    District,
    /// The schools of a zone.
    Zone(i64),
    /// One school.
    School(i64),
}

impl Place {
    /// `SELECT id FROM schools WHERE …` for the place.
    pub fn schools(&self) -> SelectStatement {
        let mut q = Query::select();
        q.column(school::Column::Id).from(school::Entity).and_where(school::Column::DistrictId.eq(self.district_id));
        match self.within {
            Within::District => {}
            Within::Zone(zone) => {
                q.and_where(school::Column::ZoneId.eq(zone));
            }
            Within::School(id) => {
                q.and_where(school::Column::Id.eq(id));
            }
        }
        q
    }

    /// `SELECT id FROM teachers WHERE school_id IN (<schools>)`.
    pub fn teachers(&self) -> SelectStatement {
        let mut q = Query::select();
        q.column(teacher::Column::Id)
            .from(teacher::Entity)
            .and_where(teacher::Column::SchoolId.in_subquery(self.schools()));
        q
    }

    /// The place's groups: for the district every group of it (its teams included), else the
    /// groups of the place's schools.
    pub fn groups(&self) -> SelectStatement {
        let mut q = Query::select();
        q.column(group::Column::Id).from(group::Entity).and_where(group::Column::DistrictId.eq(self.district_id));
        if self.within != Within::District {
            q.and_where(group::Column::SchoolId.in_subquery(self.schools()));
        }
        q
    }
}

const SUBJECT: &str = "subject_id";
const SEG: &str = "seg";

fn col<E: EntityName + Copy + 'static, C: IdenStatic + Copy + 'static>(entity: E, column: C) -> Expr {
    Expr::col((entity, column))
}

/// `CASE WHEN <cond> THEN <then> ELSE <otherwise> END`, or `then` alone when nothing filters.
fn when(cond: Condition, then: Expr, otherwise: Expr) -> Expr {
    if cond.is_empty() {
        return then;
    }
    CaseStatement::new().case(cond, then).finally(otherwise).into()
}

/// 32-bit ones and zeros: PostgreSQL sums `integer` to `bigint` (but `bigint` to `numeric`).
fn one() -> Expr {
    Expr::val(1i32)
}

fn zero() -> Expr {
    Expr::val(0i32)
}

/// The segment of `day`, for a day between the first segment's start and the last one's end:
/// a binary search written as nested `CASE WHEN day <= end THEN … ELSE … END` (about log₂ of
/// the segments' count comparisons a row, not half of them), `NULL` for a day in a gap between
/// two segments.
fn segment_of(day: Expr, segments: &[Segment]) -> Expr {
    fn search(day: &Expr, segments: &[Segment], from: usize, to: usize) -> Expr {
        if to - from == 1 {
            let contiguous = segments.get(to).is_none_or(|next| segments[from].end.succ_opt() == Some(next.start));
            let index = Expr::val(from as i64);
            return if contiguous {
                index
            } else {
                CaseStatement::new().case(day.clone().lte(segments[from].end), index).into()
            };
        }
        let middle = (from + to) / 2;
        CaseStatement::new()
            .case(day.clone().lt(segments[middle].start), search(day, segments, from, middle))
            .finally(search(day, segments, middle, to))
            .into()
    }
    search(&day, segments, 0, segments.len())
}

/// The grouped select of one branch: subject, segment, and `columns` summed.
fn grouped(
    mut q: SelectStatement,
    subject: Expr,
    day: Expr,
    segments: &[Segment],
    columns: Vec<Expr>,
) -> SelectStatement {
    let (first, last) = (segments[0].start, segments[segments.len() - 1].end);
    q.expr_as(subject.clone(), Alias::new(SUBJECT))
        .expr_as(segment_of(day.clone(), segments), Alias::new(SEG))
        .and_where(day.between(first, last));
    for (k, c) in columns.into_iter().enumerate() {
        q.expr_as(c.sum(), Alias::new(format!("c{k}")));
    }
    q.add_group_by([subject, Expr::col(Alias::new(SEG))]);
    q
}

/// Which columns of the plan hold decimals (hours); the others are integers.
pub fn decimal_columns(plan: &SourcePlan) -> Vec<bool> {
    let mut decimal = vec![false; plan.width];
    for m in &plan.measures {
        if matches!(m.metric, Metric::RecordHours { .. }) {
            decimal[m.column] = true;
        }
    }
    decimal
}

/// The statement of `source` for `plan` over `place` and `segments` (not empty).
pub fn statement(source: Source, place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    match source {
        Source::Observations => observations(place, plan, segments),
        Source::PairObservations => pair_observations(place, plan, segments),
        Source::Records => records(place, plan, segments),
        Source::Lessons => lessons(place, plan, segments),
        Source::GroupActivities | Source::SchoolActivities => activities(source, place, plan, segments),
        Source::TeacherParticipations | Source::GroupParticipations => participations(source, place, plan, segments),
    }
}

/// Each measure's columns, from `columns_of(measure)`.
fn columns(plan: &SourcePlan, mut columns_of: impl FnMut(&Metric) -> Vec<Expr>) -> Vec<Expr> {
    let mut out = Vec::with_capacity(plan.width);
    for m in &plan.measures {
        let cols = columns_of(&m.metric);
        debug_assert_eq!(cols.len(), m.fold.width());
        out.extend(cols);
    }
    out
}

/// Statuses of activities that took place (filed ones included), as the attendance rates count.
const TOOK_PLACE: [ActivityStatus; 2] = [ActivityStatus::Held, ActivityStatus::Archived];

fn held(q: &mut SelectStatement) {
    q.and_where(activity::Column::Status.is_in(TOOK_PLACE)).and_where(activity::Column::ArchivedAt.is_null());
}

/// `observations.lesson_kind IN (…)`, or no condition for an empty list (any kind).
fn observed_kinds(kinds: &[vocab::LessonKind]) -> Condition {
    let cond = Condition::all();
    if kinds.is_empty() {
        return cond;
    }
    cond.add(
        col(observation::Entity, observation::Column::LessonKind).is_in(kinds.iter().map(|k| LessonKind::from(*k))),
    )
}

fn observations(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let observer = col(observation::Entity, observation::Column::ObserverTeacherId);
    let mut q = Query::select();
    q.from(observation::Entity)
        .and_where(observation::Column::ArchivedAt.is_null())
        .and_where(observer.clone().in_subquery(place.teachers()));
    let same_subject =
        plan.measures.iter().any(|m| matches!(m.metric, Metric::Observations { same_subject: true, .. }));
    if same_subject {
        // (teacher_id, subject) is the key of teacher_subjects: the join adds no rows.
        q.left_join(
            teacher_subject::Entity,
            col(teacher_subject::Entity, teacher_subject::Column::TeacherId)
                .equals((observation::Entity, observation::Column::ObserverTeacherId))
                .and(
                    col(teacher_subject::Entity, teacher_subject::Column::Subject)
                        .equals((observation::Entity, observation::Column::Subject)),
                ),
        );
    }
    let cols = columns(plan, |metric| {
        let Metric::Observations { lesson_kinds, same_subject, same_school, critique_given, feedback_complete } =
            metric
        else {
            return vec![zero()];
        };
        let mut cond = observed_kinds(lesson_kinds);
        if *same_subject {
            cond = cond.add(col(teacher_subject::Entity, teacher_subject::Column::TeacherId).is_not_null());
        }
        if *same_school {
            cond = cond.add(
                col(observation::Entity, observation::Column::ObservedSchoolId)
                    .equals((observation::Entity, observation::Column::ObserverSchoolId)),
            );
        }
        if *critique_given {
            cond = cond.add(col(observation::Entity, observation::Column::CritiqueGiven).eq(true));
        }
        if *feedback_complete {
            cond = cond
                .add(col(observation::Entity, observation::Column::StrengthsCount).gt(0))
                .add(col(observation::Entity, observation::Column::WeaknessesCount).gt(0))
                .add(col(observation::Entity, observation::Column::SuggestionsCount).gt(0));
        }
        vec![when(cond, one(), zero())]
    });
    grouped(q, observer, col(observation::Entity, observation::Column::ObservedOn), segments, cols)
}

fn pair_observations(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    // One branch per direction a measure counts: mentor → mentee, mentee → mentor.
    let branch = |mentor_observes: bool| {
        let (observer, observed) = if mentor_observes {
            (mentorship::Column::MentorTeacherId, mentorship::Column::MenteeTeacherId)
        } else {
            (mentorship::Column::MenteeTeacherId, mentorship::Column::MentorTeacherId)
        };
        let mut q = Query::select();
        q.from(observation::Entity)
            .inner_join(
                mentorship::Entity,
                col(observation::Entity, observation::Column::ObserverTeacherId)
                    .equals((mentorship::Entity, observer))
                    .and(
                        col(observation::Entity, observation::Column::ObservedTeacherId)
                            .equals((mentorship::Entity, observed)),
                    ),
            )
            .and_where(observation::Column::ArchivedAt.is_null())
            .and_where(col(mentorship::Entity, mentorship::Column::DistrictId).eq(place.district_id));
        if place.within != Within::District {
            q.and_where(col(mentorship::Entity, mentorship::Column::SchoolId).in_subquery(place.schools()));
        }
        let cols = columns(plan, |metric| {
            let (counts, lesson_kinds): (bool, &[vocab::LessonKind]) = match metric {
                Metric::MentorObservesMentee { lesson_kinds } => (mentor_observes, lesson_kinds),
                Metric::MenteeObservesMentor { lesson_kinds } => (!mentor_observes, lesson_kinds),
                _ => (false, &[]),
            };
            if !counts {
                return vec![zero()];
            }
            vec![when(observed_kinds(lesson_kinds), one(), zero())]
        });
        grouped(
            q,
            col(mentorship::Entity, mentorship::Column::Id),
            col(observation::Entity, observation::Column::ObservedOn),
            segments,
            cols,
        )
    };
    let wants = |mentor: bool| {
        plan.measures.iter().any(|m| match m.metric {
            Metric::MentorObservesMentee { .. } => mentor,
            Metric::MenteeObservesMentor { .. } => !mentor,
            _ => false,
        })
    };
    match (wants(true), wants(false)) {
        (true, true) => {
            let mut q = branch(true);
            q.union(UnionType::All, branch(false));
            q
        }
        (false, true) => branch(false),
        _ => branch(true),
    }
}

/// The record filters of a measure, on the row.
fn record_filters(
    kinds: &[vocab::RecordKind],
    min_words: Option<i32>,
    on_time_only: bool,
    form: Option<vocab::LessonPlanForm>,
) -> Condition {
    let mut cond = Condition::all();
    if !kinds.is_empty() {
        cond = cond.add(col(record::Entity, record::Column::Kind).is_in(kinds.iter().map(|k| RecordKind::from(*k))));
    }
    if let Some(min) = min_words {
        cond = cond.add(col(record::Entity, record::Column::WordCount).gte(min));
    }
    if on_time_only {
        cond = cond.add(col(record::Entity, record::Column::Late).eq(false));
    }
    if let Some(form) = form {
        cond = cond.add(col(record::Entity, record::Column::LessonPlanForm).eq(LessonPlanForm::from(form)));
    }
    cond
}

/// A record measure's columns, on an author's row (`coauthor` false) or a co-author's.
fn record_columns(metric: &Metric, coauthor: bool) -> Vec<Expr> {
    match metric {
        Metric::Records { kinds, min_words, on_time_only, lesson_plan_form, include_coauthored } => {
            if coauthor && !include_coauthored {
                return vec![zero()];
            }
            vec![when(record_filters(kinds, *min_words, *on_time_only, *lesson_plan_form), one(), zero())]
        }
        _ if coauthor => vec![zero(); if matches!(metric, Metric::FullLessonPlanShare) { 2 } else { 1 }],
        Metric::RecordWords { kinds, on_time_only } => vec![when(
            record_filters(kinds, None, *on_time_only, None),
            col(record::Entity, record::Column::WordCount),
            zero(),
        )],
        Metric::RecordHours { kinds } => vec![CaseStatement::new()
            .case(
                record_filters(kinds, None, false, None).add(col(record::Entity, record::Column::Hours).is_not_null()),
                col(record::Entity, record::Column::Hours),
            )
            .finally(Expr::val(0.0f64))
            .into()],
        Metric::FullLessonPlanShare => {
            let plans = record_filters(&[vocab::RecordKind::LessonPlan], None, false, None);
            let full = plans.clone().add(col(record::Entity, record::Column::LessonPlanForm).eq(LessonPlanForm::Full));
            vec![when(full, one(), zero()), when(plans, one(), zero())]
        }
        _ => vec![zero()],
    }
}

/// The rows some measure of the plan counts on an author's row (`coauthor` false) or a
/// co-author's, or `None` when one counts every row: a scan at one grain reads only its
/// measures' records ([`super::ScanKey`]).
fn records_counted(plan: &SourcePlan, coauthor: bool) -> Option<Condition> {
    let mut counted = Condition::any();
    for m in &plan.measures {
        let cond = match &m.metric {
            Metric::Records { include_coauthored: false, .. } if coauthor => continue,
            Metric::Records { kinds, min_words, on_time_only, lesson_plan_form, .. } => {
                record_filters(kinds, *min_words, *on_time_only, *lesson_plan_form)
            }
            _ if coauthor => continue,
            Metric::RecordWords { kinds, on_time_only } => record_filters(kinds, None, *on_time_only, None),
            Metric::RecordHours { kinds } => {
                record_filters(kinds, None, false, None).add(col(record::Entity, record::Column::Hours).is_not_null())
            }
            Metric::FullLessonPlanShare => record_filters(&[vocab::RecordKind::LessonPlan], None, false, None),
            _ => continue,
        };
        if cond.is_empty() {
            return None;
        }
        counted = counted.add(cond);
    }
    Some(counted).filter(|c| !c.is_empty())
}

fn records(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let author = col(record::Entity, record::Column::AuthorTeacherId);
    let day = col(record::Entity, record::Column::WrittenOn);
    let mut q = Query::select();
    q.from(record::Entity)
        .and_where(record::Column::ArchivedAt.is_null())
        .and_where(author.clone().in_subquery(place.teachers()));
    if let Some(counted) = records_counted(plan, false) {
        q.cond_where(counted);
    }
    let mut statement = grouped(q, author, day.clone(), segments, columns(plan, |m| record_columns(m, false)));
    let coauthored = plan.measures.iter().any(|m| matches!(m.metric, Metric::Records { include_coauthored: true, .. }));
    if coauthored {
        // Each co-author who is not also the author.
        let coauthor = col(record_coauthor::Entity, record_coauthor::Column::TeacherId);
        let mut q = Query::select();
        q.from(record::Entity)
            .inner_join(
                record_coauthor::Entity,
                col(record_coauthor::Entity, record_coauthor::Column::RecordId)
                    .equals((record::Entity, record::Column::Id))
                    .and(coauthor.clone().ne(col(record::Entity, record::Column::AuthorTeacherId))),
            )
            .and_where(record::Column::ArchivedAt.is_null())
            .and_where(coauthor.clone().in_subquery(place.teachers()));
        if let Some(counted) = records_counted(plan, true) {
            q.cond_where(counted);
        }
        statement
            .union(UnionType::All, grouped(q, coauthor, day, segments, columns(plan, |m| record_columns(m, true))));
    }
    statement
}

fn lessons(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let teacher = col(activity_lesson::Entity, activity_lesson::Column::TeacherId);
    let mut q = Query::select();
    q.from(activity_lesson::Entity).inner_join(
        activity::Entity,
        col(activity::Entity, activity::Column::Id)
            .equals((activity_lesson::Entity, activity_lesson::Column::ActivityId)),
    );
    held(&mut q);
    q.and_where(teacher.clone().in_subquery(place.teachers()));
    let cols = columns(plan, |metric| match metric {
        Metric::LessonsGiven { lesson_kinds } if !lesson_kinds.is_empty() => vec![when(
            col(activity_lesson::Entity, activity_lesson::Column::LessonKind)
                .is_in(lesson_kinds.iter().map(|k| LessonKind::from(*k)))
                .into_condition(),
            one(),
            zero(),
        )],
        Metric::LessonsGiven { .. } => vec![one()],
        _ => vec![zero()],
    });
    grouped(q, teacher, col(activity::Entity, activity::Column::Date), segments, cols)
}

fn activities(source: Source, place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let (organiser, subject, scope) = match source {
        Source::SchoolActivities => (OrganiserKind::School, activity::Column::SchoolId, place.schools()),
        _ => (OrganiserKind::Group, activity::Column::GroupId, place.groups()),
    };
    let subject = col(activity::Entity, subject);
    let mut q = Query::select();
    q.from(activity::Entity);
    held(&mut q);
    q.and_where(activity::Column::OrganiserKind.eq(organiser)).and_where(subject.clone().in_subquery(scope));
    let cols = columns(plan, |metric| {
        let Metric::ActivitiesHeld { activity_types, modality } = metric else { return vec![zero()] };
        let mut cond = Condition::all();
        if !activity_types.is_empty() {
            cond = cond.add(
                col(activity::Entity, activity::Column::ActivityType)
                    .is_in(activity_types.iter().map(|t| ActivityType::from(*t))),
            );
        }
        if let Some(modality) = modality {
            cond = cond.add(col(activity::Entity, activity::Column::Modality).eq(Modality::from(*modality)));
        }
        vec![when(cond, one(), zero())]
    });
    grouped(q, subject, col(activity::Entity, activity::Column::Date), segments, cols)
}

fn participations(source: Source, place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let (subject, scope) = match source {
        Source::GroupParticipations => (col(activity::Entity, activity::Column::GroupId), place.groups()),
        _ => (col(activity_participant::Entity, activity_participant::Column::TeacherId), place.teachers()),
    };
    let mut q = Query::select();
    q.from(activity_participant::Entity).inner_join(
        activity::Entity,
        col(activity::Entity, activity::Column::Id)
            .equals((activity_participant::Entity, activity_participant::Column::ActivityId)),
    );
    held(&mut q);
    q.and_where(subject.clone().in_subquery(scope));
    let status = || col(activity_participant::Entity, activity_participant::Column::Status);
    let expected = || col(activity_participant::Entity, activity_participant::Column::Expected).eq(true);
    let cols = columns(plan, |metric| match metric {
        Metric::ActivitiesAttended { activity_types } => {
            let mut cond = Condition::all().add(status().is_in([AttendanceStatus::Present, AttendanceStatus::Late]));
            if !activity_types.is_empty() {
                cond = cond.add(
                    col(activity::Entity, activity::Column::ActivityType)
                        .is_in(activity_types.iter().map(|t| ActivityType::from(*t))),
                );
            }
            vec![when(cond, one(), zero())]
        }
        Metric::AttendanceRate => vec![
            when(Condition::all().add(expected()), one(), zero()),
            when(
                Condition::all()
                    .add(expected())
                    .add(status().is_in([AttendanceStatus::Present, AttendanceStatus::Late])),
                one(),
                zero(),
            ),
            when(Condition::all().add(expected()).add(status().eq(AttendanceStatus::OnLeave)), one(), zero()),
        ],
        _ => vec![zero()],
    });
    grouped(q, subject, col(activity::Entity, activity::Column::Date), segments, cols)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use sea_orm::sea_query::SqliteQueryBuilder;

    use super::*;
    use crate::quota::checks::scan::{plan, Grain, ScanKey};
    use crate::quota::periods::PeriodKind;
    use crate::quota::rules::SubjectType;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    /// The nested `CASE` finds every day's segment, and none for a day in a gap, as a linear
    /// search over the segments does; evaluated by SQLite itself.
    #[actix_web::test]
    async fn segment_of_is_a_binary_search_with_gaps() {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let db = Database::connect("sqlite::memory:").await.unwrap();
        // Weeks with a skipped holiday week (a gap), a one-day segment and a month's edge.
        let segments: Vec<Segment> = [
            ((9, 1), (9, 6)),
            ((9, 7), (9, 13)),
            ((9, 21), (9, 27)),
            ((9, 28), (9, 28)),
            ((9, 29), (9, 30)),
            ((10, 8), (10, 11)),
            ((10, 12), (10, 18)),
        ]
        .iter()
        .map(|((m1, d1), (m2, d2))| Segment { start: day(*m1, *d1), end: day(*m2, *d2) })
        .collect();
        for n in 1..=segments.len() {
            let segments = &segments[..n];
            let mut d = segments[0].start;
            while d <= segments[n - 1].end {
                let mut q = Query::select();
                q.expr_as(segment_of(Expr::val(d), segments), Alias::new("seg"));
                let sql = q.to_string(SqliteQueryBuilder);
                let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
                let found: Option<i64> = row.unwrap().try_get("", "seg").unwrap();
                let expected = segments.iter().position(|s| s.start <= d && d <= s.end).map(|i| i as i64);
                assert_eq!(found, expected, "{d} among {n} segments");
                d = d.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn one_statement_for_every_record_rule_and_no_parameter_per_subject() {
        let reflections = Metric::Records {
            kinds: vec![vocab::RecordKind::Reflection],
            min_words: None,
            on_time_only: false,
            lesson_plan_form: None,
            include_coauthored: false,
        };
        let projects = Metric::Records {
            kinds: vec![vocab::RecordKind::ResearchProject],
            min_words: None,
            on_time_only: false,
            lesson_plan_form: None,
            include_coauthored: true,
        };
        let words = Metric::RecordWords { kinds: vec![vocab::RecordKind::StudyNote], on_time_only: false };
        let rules = [
            Some((SubjectType::Teacher, &reflections, PeriodKind::Week)),
            Some((SubjectType::Teacher, &reflections, PeriodKind::Month)),
            Some((SubjectType::Teacher, &projects, PeriodKind::Semester)),
            Some((SubjectType::Teacher, &words, PeriodKind::SchoolYear)),
        ];
        let (plans, slots) = plan(&rules);
        let weeks = ScanKey { source: Source::Records, grain: Grain::Weeks };
        let months = ScanKey { source: Source::Records, grain: Grain::Months };
        assert_eq!(plans.keys().copied().collect::<Vec<_>>(), [weeks, months], "the records, once per grain");
        assert_eq!(plans[&weeks].measures.len(), 1, "the weekly scan reads the reflections only");
        let p = &plans[&months];
        assert_eq!(p.measures.len(), 3, "the monthly reflection rule shares a measure with the others");
        assert_eq!(slots[0].unwrap().scan, weeks);
        assert_eq!(slots[1].unwrap().scan, months);
        assert_eq!(slots[1].unwrap().measure, 0);
        let segments = [
            Segment { start: day(9, 1), end: day(9, 6) },
            Segment { start: day(9, 7), end: day(9, 13) },
            Segment { start: day(9, 21), end: day(9, 27) },
        ];
        let place = Place { district_id: 1, within: Within::School(2) };
        let q = statement(Source::Records, &place, p, &segments);
        // Parameters: the place, and per branch the segments' bounds and the filters' values.
        let (_, values) = q.build(SqliteQueryBuilder);
        assert!(values.0.len() < 40, "parameters grow with segments and filters, not subjects: {}", values.0.len());
        let more_segments: Vec<Segment> =
            (0..20).map(|i| Segment { start: day(10, 1 + i), end: day(10, 1 + i) }).collect();
        let (_, more) = statement(Source::Records, &place, p, &more_segments).build(SqliteQueryBuilder);
        assert!(more.0.len() > values.0.len(), "each segment is a branch of the CASE");
    }
}
