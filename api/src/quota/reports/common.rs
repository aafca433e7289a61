//! What several reports share: the semester and as-of date they are computed for, the activities
//! that count (held), attendance counted with GROUP BY, joins between tables without declared
//! relations, and teacher names.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entities::enums::ActivityStatus;
use entities::{activity, activity_participant, semester, teacher};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, RelationDef, Select};

use crate::activities::attendance::queries::attendance_by;
pub use crate::activities::attendance::queries::ids_of;
use crate::activities::attendance::rules::AttendanceCounts;
use crate::domain::{DomainError, DomainResult};
use crate::org::semester_days::semester_of_day;

/// The semester a report covers and the day it is computed as of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub semester_id: i64,
    /// `as_of` as asked (default today): rows dated later are left out.
    pub as_of: NaiveDate,
}

/// The semester, which must be the district's (422 on `semester_id` otherwise), and `as_of`
/// (default: today in UTC+8). Without a semester, the district's semester containing `as_of`
/// (422 on `semester_id` when none does).
pub async fn window(
    db: &impl ConnectionTrait,
    district_id: i64,
    semester_id: Option<i64>,
    as_of: Option<NaiveDate>,
) -> DomainResult<(Window, semester::Model)> {
    let as_of = as_of.unwrap_or_else(crate::clock::today);
    let Some(semester_id) = semester_id else {
        let s = semester_of_day(db, district_id, as_of).await?;
        return Ok((Window { semester_id: s.id, as_of }, s));
    };
    let found = semester::Entity::find_by_id(semester_id).one(db).await?;
    match found {
        Some(s) if s.district_id == district_id && s.archived_at.is_none() => Ok((Window { semester_id, as_of }, s)),
        _ => Err(DomainError::invalid("semester_id", "no such semester")),
    }
}

/// The activities that took place in the window: status held or archived (filed), not
/// soft-deleted, in the semester, dated on or before `as_of` (the population of
/// `activities::attendance::rates` and of the quota counting, cut at `as_of`).
pub fn held(window: Window) -> Select<activity::Entity> {
    activity::Entity::find()
        .filter(activity::Column::SemesterId.eq(window.semester_id))
        .filter(activity::Column::Status.is_in([ActivityStatus::Held, ActivityStatus::Archived]))
        .filter(activity::Column::ArchivedAt.is_null())
        .filter(activity::Column::Date.lte(window.as_of))
}

/// `from = to` as a join condition, for entities whose `Relation` enums are empty.
pub fn join_on<A: EntityTrait, B: EntityTrait>(from: A::Column, to: B::Column) -> RelationDef {
    A::belongs_to(B::default()).from(from).to(to).into()
}

/// Attendance at `activities` per activity: `GROUP BY activity_id, status, expected`.
pub async fn attendance_per_activity(
    db: &impl ConnectionTrait,
    activities: SelectStatement,
) -> DomainResult<BTreeMap<i64, AttendanceCounts>> {
    let participants = activity_participant::Entity::find();
    attendance_by(db, participants, activity_participant::Column::ActivityId, activities).await
}

/// Attendance at `activities` per participant's school: `GROUP BY teachers.school_id, status,
/// expected` over participants joined to their teachers.
pub async fn attendance_per_school(
    db: &impl ConnectionTrait,
    activities: SelectStatement,
    school_ids: &[i64],
) -> DomainResult<BTreeMap<i64, AttendanceCounts>> {
    let participants = activity_participant::Entity::find()
        .join(
            sea_orm::JoinType::InnerJoin,
            join_on::<activity_participant::Entity, teacher::Entity>(
                activity_participant::Column::TeacherId,
                teacher::Column::Id,
            ),
        )
        .filter(teacher::Column::SchoolId.is_in(school_ids.iter().copied()));
    attendance_by(db, participants, teacher::Column::SchoolId, activities).await
}

/// Names of the given teachers.
pub async fn teacher_names(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<BTreeMap<i64, String>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows: Vec<(i64, String)> = teacher::Entity::find()
        .select_only()
        .column(teacher::Column::Id)
        .column(teacher::Column::Name)
        .filter(teacher::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// `n / d` rounded to 2 decimals, `None` when `d` is 0 (an average over nobody).
pub fn average(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| ((n as f64 / d as f64) * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_round_to_two_decimals_and_skip_empty_populations() {
        assert_eq!(average(7, 3), Some(2.33));
        assert_eq!(average(0, 4), Some(0.0));
        assert_eq!(average(5, 0), None);
    }
}
