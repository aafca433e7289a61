//! Database access of the observations API: scope, filters and the objects an observation points at.

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::enums::LessonKind;
use entities::{activity_lesson, observation, rubric, rubric_dimension, school, semester, teacher};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Select};

use super::rules::semester_containing;
use super::views::ObservationFilter;
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::validate::comma_list;

/// Whether `actor` reads the observation: whoever sees the observer's school or the observed
/// teacher's school (`observed_school` is that school's `(district_id, id)`).
pub fn sees_observation(actor: &Actor, o: &observation::Model, observed_school: Option<(i64, i64)>) -> bool {
    actor.sees_school(o.district_id, o.observer_school_id)
        || observed_school.is_some_and(|(district_id, school_id)| actor.sees_school(district_id, school_id))
}

/// An observation the caller reads (archived ones included), or 404.
pub async fn load_observation(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<observation::Model> {
    let found =
        observation::Entity::find_by_id(id).one(db).await?.ok_or_else(|| DomainError::not_found("observation"))?;
    in_scope(db, actor, found).await
}

/// [`load_observation`] with the observation's change version read in the same statement (for
/// `GET /observations/{id}` and its `ETag`).
pub async fn read_observation(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<(observation::Model, Option<i64>)> {
    let found = crate::changes::find_with_version(db, observation::Entity::find_by_id(id), "observations", id)
        .await?
        .ok_or_else(|| DomainError::not_found("observation"))?;
    Ok((in_scope(db, actor, found.model).await?, found.version))
}

/// `found` if the caller sees it, or 404.
async fn in_scope(
    db: &impl ConnectionTrait,
    actor: &Actor,
    found: observation::Model,
) -> DomainResult<observation::Model> {
    let observed_school = match found.observed_school_id {
        Some(s) => school::Entity::find_by_id(s).one(db).await?.map(|s| (s.district_id, s.id)),
        None => None,
    };
    if sees_observation(actor, &found, observed_school) {
        Ok(found)
    } else {
        Err(DomainError::not_found("observation"))
    }
}

/// The SQL form of [`sees_observation`].
fn scope(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::any().add(observation::Column::DistrictId.eq(d)).add(
            observation::Column::ObservedSchoolId.in_subquery(
                Query::select()
                    .column(school::Column::Id)
                    .from(school::Entity)
                    .and_where(school::Column::DistrictId.eq(d))
                    .to_owned(),
            ),
        ),
        Reach::School { school_id, .. } => Condition::any()
            .add(observation::Column::ObserverSchoolId.eq(school_id))
            .add(observation::Column::ObservedSchoolId.eq(school_id)),
    }
}

/// Parses `lesson_kind=unannounced,ordinary`.
fn lesson_kinds(value: Option<&str>) -> DomainResult<Vec<LessonKind>> {
    comma_list(value)
        .into_iter()
        .map(|code| {
            serde_json::from_value(serde_json::Value::String(code.clone()))
                .map_err(|_| DomainError::invalid("lesson_kind", format!("unknown lesson kind {code}")))
        })
        .collect()
}

/// The filtered (not yet sorted) observations the caller reads.
pub fn filtered(actor: &Actor, f: &ObservationFilter) -> DomainResult<Select<observation::Entity>> {
    if let (Some(from), Some(to)) = (f.date_from, f.date_to) {
        if from > to {
            return Err(DomainError::invalid("date_to", "must not be before date_from"));
        }
    }
    let mut cond = Condition::all().add(scope(actor));
    if let Some(t) = f.observer_teacher_id {
        cond = cond.add(observation::Column::ObserverTeacherId.eq(t));
    }
    if let Some(t) = f.observed_teacher_id {
        cond = cond.add(observation::Column::ObservedTeacherId.eq(t));
    }
    if let Some(t) = f.teacher_id {
        cond = cond.add(
            Condition::any()
                .add(observation::Column::ObserverTeacherId.eq(t))
                .add(observation::Column::ObservedTeacherId.eq(t)),
        );
    }
    if let Some(s) = f.school_id {
        cond = cond.add(
            Condition::any()
                .add(observation::Column::ObserverSchoolId.eq(s))
                .add(observation::Column::ObservedSchoolId.eq(s)),
        );
    }
    if let Some(s) = f.semester_id {
        cond = cond.add(observation::Column::SemesterId.eq(s));
    }
    let kinds = lesson_kinds(f.lesson_kind.as_deref())?;
    if !kinds.is_empty() {
        cond = cond.add(observation::Column::LessonKind.is_in(kinds));
    }
    if let Some(subject) = f.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        cond = cond.add(observation::Column::Subject.eq(subject));
    }
    if let Some(a) = f.activity_id {
        cond = cond.add(observation::Column::ActivityId.eq(a));
    }
    if let Some(c) = f.critique_given {
        cond = cond.add(observation::Column::CritiqueGiven.eq(c));
    }
    if let Some(from) = f.date_from {
        cond = cond.add(observation::Column::ObservedOn.gte(from));
    }
    if let Some(to) = f.date_to {
        cond = cond.add(observation::Column::ObservedOn.lte(to));
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(observation::Column::ArchivedAt.is_null());
    }
    Ok(observation::Entity::find().filter(cond))
}

/// The best totals (sum of max points) of the given rubrics.
pub async fn max_totals(db: &impl ConnectionTrait, rubric_ids: Vec<i64>) -> DomainResult<HashMap<i64, i32>> {
    let mut out = HashMap::new();
    if rubric_ids.is_empty() {
        return Ok(out);
    }
    let dims =
        rubric_dimension::Entity::find().filter(rubric_dimension::Column::RubricId.is_in(rubric_ids)).all(db).await?;
    for d in dims {
        *out.entry(d.rubric_id).or_insert(0) += d.max_points;
    }
    Ok(out)
}

/// A rubric's dimensions as `id → max_points`.
pub async fn dimension_maxima(db: &impl ConnectionTrait, rubric_id: i64) -> DomainResult<HashMap<i64, i32>> {
    let dims =
        rubric_dimension::Entity::find().filter(rubric_dimension::Column::RubricId.eq(rubric_id)).all(db).await?;
    Ok(dims.into_iter().map(|d| (d.id, d.max_points)).collect())
}

pub async fn find_rubric(db: &impl ConnectionTrait, id: i64) -> DomainResult<Option<rubric::Model>> {
    Ok(rubric::Entity::find_by_id(id).one(db).await?)
}

/// The live semester of the district containing `day`.
pub async fn semester_of(db: &impl ConnectionTrait, district_id: i64, day: NaiveDate) -> DomainResult<Option<i64>> {
    let rows = semester::Entity::find()
        .filter(semester::Column::DistrictId.eq(district_id))
        .filter(semester::Column::ArchivedAt.is_null())
        .filter(semester::Column::StartDate.lte(day))
        .filter(semester::Column::EndDate.gte(day))
        .all(db)
        .await?;
    let spans: Vec<_> = rows.into_iter().map(|s| (s.id, s.start_date, s.end_date)).collect();
    Ok(semester_containing(&spans, day))
}

/// A live teacher with their school.
pub async fn live_teacher(db: &impl ConnectionTrait, id: i64) -> DomainResult<Option<(teacher::Model, school::Model)>> {
    let Some(found) = teacher::Entity::find_by_id(id).one(db).await?.filter(|t| t.archived_at.is_none()) else {
        return Ok(None);
    };
    let school = school::Entity::find_by_id(found.school_id).one(db).await?;
    Ok(school.map(|s| (found, s)))
}

/// Whether the teacher teaches a lesson of the activity.
pub async fn teaches_at(db: &impl ConnectionTrait, activity_id: i64, teacher_id: i64) -> DomainResult<bool> {
    let n = activity_lesson::Entity::find()
        .filter(activity_lesson::Column::ActivityId.eq(activity_id))
        .filter(activity_lesson::Column::TeacherId.eq(teacher_id))
        .count(db)
        .await?;
    Ok(n > 0)
}
