//! Database access.

use super::super::queries::attendance_by;
pub(super) use super::super::queries::ids_of;
use super::super::rules::AttendanceCounts;
use crate::domain::{DomainError, DomainResult};
use entities::{activity_participant, semester};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{Condition, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

/// 422 unless the semester exists in the district.
pub(super) async fn check_semester(db: &impl ConnectionTrait, semester_id: i64, district_id: i64) -> DomainResult<()> {
    let found = semester::Entity::find_by_id(semester_id).one(db).await?;
    match found {
        Some(s) if s.district_id == district_id => Ok(()),
        _ => Err(DomainError::invalid("semester_id", "no such semester")),
    }
}

/// Attendance at `activities` of the participants `teachers` selects, per `key`
/// ([`attendance_by`]).
pub(super) async fn counts_by(
    db: &impl ConnectionTrait,
    key: activity_participant::Column,
    activities: SelectStatement,
    teachers: Condition,
) -> DomainResult<BTreeMap<i64, AttendanceCounts>> {
    attendance_by(db, activity_participant::Entity::find().filter(teachers), key, activities).await
}
