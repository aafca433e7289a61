//! Database access.

use super::super::rules::AttendanceCounts;
use crate::domain::{DomainError, DomainResult};
use entities::enums::AttendanceStatus;
use entities::{activity, activity_participant, semester};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select};
use std::collections::BTreeMap;

pub(super) fn ids_of(select: Select<activity::Entity>) -> SelectStatement {
    select.select_only().column(activity::Column::Id).into_query()
}

/// 422 unless the semester exists in the district.
pub(super) async fn check_semester(db: &impl ConnectionTrait, semester_id: i64, district_id: i64) -> DomainResult<()> {
    let found = semester::Entity::find_by_id(semester_id).one(db).await?;
    match found {
        Some(s) if s.district_id == district_id => Ok(()),
        _ => Err(DomainError::invalid("semester_id", "no such semester")),
    }
}

/// `SELECT <key>, status, expected, COUNT(id) FROM activity_participants WHERE activity_id IN
/// (<activities>) AND <teachers> GROUP BY <key>, status, expected`.
pub(super) async fn counts_by(
    db: &impl ConnectionTrait,
    key: activity_participant::Column,
    activities: SelectStatement,
    teachers: Condition,
) -> DomainResult<BTreeMap<i64, AttendanceCounts>> {
    let query = activity_participant::Entity::find()
        .select_only()
        .column(key)
        .column(activity_participant::Column::Status)
        .column(activity_participant::Column::Expected)
        .column_as(activity_participant::Column::Id.count(), "n")
        .filter(activity_participant::Column::ActivityId.in_subquery(activities))
        .filter(teachers);
    let rows: Vec<(i64, AttendanceStatus, bool, i64)> = query
        .group_by(key)
        .group_by(activity_participant::Column::Status)
        .group_by(activity_participant::Column::Expected)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: BTreeMap<i64, AttendanceCounts> = BTreeMap::new();
    for (id, status, expected, n) in rows {
        counts.entry(id).or_default().add(status, expected, n);
    }
    Ok(counts)
}
