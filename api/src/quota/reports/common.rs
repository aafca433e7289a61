//! What several reports share: the semester and as-of date they are computed for, the activities
//! that count (held), attendance counted with GROUP BY, joins between tables without declared
//! relations, and teacher names.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entities::enums::{ActivityStatus, AttendanceStatus};
use entities::{activity, activity_participant, semester, teacher};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, RelationDef, Select};

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

pub fn ids_of(select: Select<activity::Entity>) -> SelectStatement {
    select.select_only().column(activity::Column::Id).into_query()
}

/// `from = to` as a join condition, for entities whose `Relation` enums are empty.
pub fn join_on<A: EntityTrait, B: EntityTrait>(from: A::Column, to: B::Column) -> RelationDef {
    A::belongs_to(B::default()).from(from).to(to).into()
}

/// Folds `(key, status, expected, n)` rows into attendance counts per key.
pub fn fold_attendance(rows: Vec<(i64, AttendanceStatus, bool, i64)>) -> BTreeMap<i64, AttendanceCounts> {
    let mut counts: BTreeMap<i64, AttendanceCounts> = BTreeMap::new();
    for (key, status, expected, n) in rows {
        counts.entry(key).or_default().add(status, expected, n);
    }
    counts
}

/// Attendance at `activities` per activity: `GROUP BY activity_id, status, expected`.
pub async fn attendance_per_activity(
    db: &impl ConnectionTrait,
    activities: SelectStatement,
) -> DomainResult<BTreeMap<i64, AttendanceCounts>> {
    let rows = activity_participant::Entity::find()
        .select_only()
        .column(activity_participant::Column::ActivityId)
        .column(activity_participant::Column::Status)
        .column(activity_participant::Column::Expected)
        .column_as(activity_participant::Column::Id.count(), "n")
        .filter(activity_participant::Column::ActivityId.in_subquery(activities))
        .group_by(activity_participant::Column::ActivityId)
        .group_by(activity_participant::Column::Status)
        .group_by(activity_participant::Column::Expected)
        .into_tuple()
        .all(db)
        .await?;
    Ok(fold_attendance(rows))
}

/// Attendance at `activities` per participant's school: `GROUP BY teachers.school_id, status,
/// expected` over participants joined to their teachers.
pub async fn attendance_per_school(
    db: &impl ConnectionTrait,
    activities: SelectStatement,
    school_ids: &[i64],
) -> DomainResult<BTreeMap<i64, AttendanceCounts>> {
    let rows = activity_participant::Entity::find()
        .join(
            sea_orm::JoinType::InnerJoin,
            join_on::<activity_participant::Entity, teacher::Entity>(
                activity_participant::Column::TeacherId,
                teacher::Column::Id,
            ),
        )
        .select_only()
        .column(teacher::Column::SchoolId)
        .column(activity_participant::Column::Status)
        .column(activity_participant::Column::Expected)
        .column_as(activity_participant::Column::Id.count(), "n")
        .filter(activity_participant::Column::ActivityId.in_subquery(activities))
        .filter(teacher::Column::SchoolId.is_in(school_ids.iter().copied()))
        .group_by(teacher::Column::SchoolId)
        .group_by(activity_participant::Column::Status)
        .group_by(activity_participant::Column::Expected)
        .into_tuple()
        .all(db)
        .await?;
    Ok(fold_attendance(rows))
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

    #[test]
    fn attendance_folds_per_key() {
        let counts = fold_attendance(vec![
            (1, AttendanceStatus::Present, true, 3),
            (1, AttendanceStatus::Absent, true, 1),
            (2, AttendanceStatus::OnLeave, true, 1),
        ]);
        assert_eq!(counts[&1].rate, Some(0.75));
        assert_eq!(counts[&2].rate, None);
    }
}
