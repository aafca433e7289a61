//! Database access of the attendance endpoints.

use std::collections::{BTreeMap, HashMap};

use entities::{activity, activity_participant, school, teacher};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select, Set,
};

use super::rules::{AttendanceCounts, CleanEntry};
use super::views::{AttendanceView, ParticipantView};
use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::groups::access::visible_member_teachers;

/// The ids of the selected activities, as a subquery.
pub fn ids_of(select: Select<activity::Entity>) -> SelectStatement {
    select.select_only().column(activity::Column::Id).into_query()
}

/// Attendance at `activities` per `key`, a column of `participants` (or of a table they are
/// joined to): `SELECT key, status, expected, COUNT(id) ... WHERE activity_id IN (activities)
/// GROUP BY key, status, expected`, folded into counts per key.
pub async fn attendance_by(
    db: &impl ConnectionTrait,
    participants: Select<activity_participant::Entity>,
    key: impl ColumnTrait,
    activities: SelectStatement,
) -> DomainResult<BTreeMap<i64, AttendanceCounts>> {
    let rows = participants
        .select_only()
        .column(key)
        .column(activity_participant::Column::Status)
        .column(activity_participant::Column::Expected)
        .column_as(activity_participant::Column::Id.count(), "n")
        .filter(activity_participant::Column::ActivityId.in_subquery(activities))
        .group_by(key)
        .group_by(activity_participant::Column::Status)
        .group_by(activity_participant::Column::Expected)
        .into_tuple()
        .all(db)
        .await?;
    Ok(AttendanceCounts::per_key(rows))
}

/// The names of the given teachers.
pub async fn teacher_names(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(teacher::Entity::find()
        .select_only()
        .column(teacher::Column::Id)
        .column(teacher::Column::Name)
        .filter(teacher::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The teachers among `ids` that `actor` sees, with whether they are archived.
pub async fn visible_teachers(
    db: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[i64],
) -> DomainResult<HashMap<i64, bool>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let teachers = teacher::Entity::find().filter(teacher::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    let school_ids: Vec<i64> = teachers.iter().map(|t| t.school_id).collect();
    let districts: HashMap<i64, i64> = school::Entity::find()
        .select_only()
        .column(school::Column::Id)
        .column(school::Column::DistrictId)
        .filter(school::Column::Id.is_in(school_ids))
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(teachers
        .into_iter()
        .filter(|t| districts.get(&t.school_id).is_some_and(|d| actor.sees_school(*d, t.school_id)))
        .map(|t| (t.id, t.archived_at.is_some()))
        .collect())
}

/// The participant row of one teacher, if listed.
pub async fn participant(
    db: &impl ConnectionTrait,
    activity_id: i64,
    teacher_id: i64,
) -> DomainResult<Option<activity_participant::Model>> {
    Ok(activity_participant::Entity::find()
        .filter(activity_participant::Column::ActivityId.eq(activity_id))
        .filter(activity_participant::Column::TeacherId.eq(teacher_id))
        .one(db)
        .await?)
}

/// The participant rows of the given teachers at an activity (those listed).
pub async fn listed_participants(
    db: &impl ConnectionTrait,
    activity_id: i64,
    teacher_ids: &[i64],
) -> DomainResult<Vec<activity_participant::Model>> {
    if teacher_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(activity_participant::Entity::find()
        .filter(activity_participant::Column::ActivityId.eq(activity_id))
        .filter(activity_participant::Column::TeacherId.is_in(teacher_ids.iter().copied()))
        .all(db)
        .await?)
}

/// Writes validated entries as recorded by `user_id`: a listed teacher's row takes the status and
/// reason (and `expected` when given), a teacher not yet listed is added (expected unless said
/// otherwise). Runs inside the caller's transaction, so that all entries are saved or none.
pub async fn record_entries(
    db: &impl ConnectionTrait,
    activity_id: i64,
    entries: Vec<CleanEntry>,
    user_id: i64,
) -> DomainResult<()> {
    let ids: Vec<i64> = entries.iter().map(|e| e.teacher_id).collect();
    let listed = listed_participants(db, activity_id, &ids).await?;
    let at = crate::resource::now();
    for entry in entries {
        match listed.iter().find(|p| p.teacher_id == entry.teacher_id) {
            Some(current) => {
                let mut row = current.clone().into_active_model();
                row.status = Set(entry.status);
                row.leave_reason = Set(entry.leave_reason);
                if let Some(expected) = entry.expected {
                    row.expected = Set(expected);
                }
                row.recorded_by_user_id = Set(Some(user_id));
                row.updated_at = Set(at);
                row.update(db).await?;
            }
            None => {
                activity_participant::ActiveModel {
                    activity_id: Set(activity_id),
                    teacher_id: Set(entry.teacher_id),
                    expected: Set(entry.expected.unwrap_or(true)),
                    status: Set(entry.status),
                    leave_reason: Set(entry.leave_reason),
                    signed_in_at: Set(None),
                    recorded_by_user_id: Set(Some(user_id)),
                    created_at: Set(at),
                    updated_at: Set(at),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// One participant as the API shows it.
pub async fn participant_view(
    db: &impl ConnectionTrait,
    row: activity_participant::Model,
) -> DomainResult<ParticipantView> {
    let name = teacher_names(db, &[row.teacher_id]).await?.remove(&row.teacher_id).unwrap_or_default();
    Ok(ParticipantView::new(row, name))
}

/// An activity's attendance as `actor` may read it: every row counts in the summary, but
/// school-level readers of an activity without a school list only their own school's teachers.
pub async fn attendance_view(
    db: &impl ConnectionTrait,
    actor: &Actor,
    activity: &activity::Model,
) -> DomainResult<AttendanceView> {
    let rows = activity_participant::Entity::find()
        .filter(activity_participant::Column::ActivityId.eq(activity.id))
        .order_by_asc(activity_participant::Column::TeacherId)
        .all(db)
        .await?;
    let mut summary = AttendanceCounts::default();
    for row in &rows {
        summary.add(row.status, row.expected, 1);
    }
    let shown: Vec<activity_participant::Model> = match (activity.school_id, visible_member_teachers(actor)) {
        (None, Some(own_school)) => {
            let own: Vec<i64> = teacher::Entity::find()
                .select_only()
                .column(teacher::Column::Id)
                .filter(teacher::Column::Id.in_subquery(own_school))
                .filter(teacher::Column::Id.is_in(rows.iter().map(|r| r.teacher_id)))
                .into_tuple::<i64>()
                .all(db)
                .await?;
            rows.into_iter().filter(|r| own.contains(&r.teacher_id)).collect()
        }
        _ => rows,
    };
    let ids: Vec<i64> = shown.iter().map(|r| r.teacher_id).collect();
    let mut names = teacher_names(db, &ids).await?;
    let items = shown
        .into_iter()
        .map(|r| {
            let name = names.remove(&r.teacher_id).unwrap_or_default();
            ParticipantView::new(r, name)
        })
        .collect();
    Ok(AttendanceView { activity_id: activity.id, activity_status: activity.status, items, summary })
}
