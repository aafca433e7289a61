//! Attendance rates over a semester, per teacher and per group: counted with `GROUP BY` in SQL
//! (a district has thousands of rows per semester), then folded with
//! [`super::rules::AttendanceCounts`], the one definition of the rate.
//!
//! Only activities that took place count: status `held` or `archived` (filed), not soft-deleted.
//! Rows still `pending` there count as absent (nobody recorded the teacher as present).

use std::collections::BTreeMap;

use actix_web::{get, web};
use entities::enums::{ActivityStatus, AttendanceStatus};
use entities::{activity, activity_participant, semester};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};

use super::queries::teacher_names;
use super::rules::AttendanceCounts;
use super::views::{ActivityRateRow, GroupRateView, MemberRateRow, RateParams, TeacherRateView};
use crate::activities::access::visible_activities;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::groups::access::{load_group, visible_member_teachers};
use crate::people::teachers::load_teacher;
use crate::state::State;

/// The activities of `semester_id` that took place.
fn held_in(semester_id: i64) -> Select<activity::Entity> {
    activity::Entity::find()
        .filter(activity::Column::SemesterId.eq(semester_id))
        .filter(activity::Column::Status.is_in([ActivityStatus::Held, ActivityStatus::Archived]))
        .filter(activity::Column::ArchivedAt.is_null())
}

fn ids_of(select: Select<activity::Entity>) -> SelectStatement {
    select.select_only().column(activity::Column::Id).into_query()
}

/// 422 unless the semester exists in the district.
async fn check_semester(db: &impl ConnectionTrait, semester_id: i64, district_id: i64) -> ApiResult<()> {
    let found = semester::Entity::find_by_id(semester_id).one(db).await?;
    match found {
        Some(s) if s.district_id == district_id => Ok(()),
        _ => Err(ApiError::invalid("semester_id", "no such semester")),
    }
}

/// `SELECT <key>, status, expected, COUNT(id) FROM activity_participants WHERE activity_id IN
/// (<activities>) AND <teachers> GROUP BY <key>, status, expected`.
async fn counts_by(
    db: &impl ConnectionTrait,
    key: activity_participant::Column,
    activities: SelectStatement,
    teachers: Condition,
) -> ApiResult<BTreeMap<i64, AttendanceCounts>> {
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

/// A teacher's attendance rate over a semester: the held (and filed) activities the caller sees
/// where the teacher was expected; walk-ins are reported apart.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Teacher id"), RateParams),
    responses((status = 200, description = "The teacher's attendance over the semester", body = TeacherRateView))
)]
#[get("/attendance-rates/teachers/{id}")]
pub async fn teacher_attendance_rate(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    params: Query<RateParams>,
) -> ApiResult<web::Json<TeacherRateView>> {
    let semester_id = params.0.semester_id;
    let (teacher, school) = load_teacher(&state.db, &actor, id.into_inner()).await?;
    check_semester(&state.db, semester_id, school.district_id).await?;
    let activities = ids_of(held_in(semester_id).filter(visible_activities(&actor)));
    let mut by_teacher = counts_by(
        &state.db,
        activity_participant::Column::TeacherId,
        activities,
        Condition::all().add(activity_participant::Column::TeacherId.eq(teacher.id)),
    )
    .await?;
    let counts = by_teacher.remove(&teacher.id).unwrap_or_default();
    Ok(web::Json(TeacherRateView { teacher_id: teacher.id, semester_id, activities: counts.expected, counts }))
}

/// A group's attendance rate over a semester: the held (and filed) activities it organised,
/// overall, per activity and per teacher.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Group id"), RateParams),
    responses((status = 200, description = "The group's attendance over the semester", body = GroupRateView))
)]
#[get("/attendance-rates/groups/{id}")]
pub async fn group_attendance_rate(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    params: Query<RateParams>,
) -> ApiResult<web::Json<GroupRateView>> {
    let semester_id = params.0.semester_id;
    let group = load_group(&state.db, &actor, id.into_inner()).await?;
    check_semester(&state.db, semester_id, group.district_id).await?;
    let organised = held_in(semester_id).filter(activity::Column::GroupId.eq(group.id));
    let listed: Vec<(i64, String, Option<chrono::NaiveDate>)> = organised
        .clone()
        .select_only()
        .column(activity::Column::Id)
        .column(activity::Column::Title)
        .column(activity::Column::Date)
        .order_by_asc(activity::Column::Date)
        .order_by_asc(activity::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut per_activity =
        counts_by(&state.db, activity_participant::Column::ActivityId, ids_of(organised.clone()), Condition::all())
            .await?;
    // A district team's members from other schools are another school's data (as in its member list).
    let own_school = match (group.school_id, visible_member_teachers(&actor)) {
        (None, Some(own)) => Condition::all().add(activity_participant::Column::TeacherId.in_subquery(own)),
        _ => Condition::all(),
    };
    let per_member =
        counts_by(&state.db, activity_participant::Column::TeacherId, ids_of(organised), own_school).await?;

    let mut overall = AttendanceCounts::default();
    let activities = listed
        .into_iter()
        .map(|(activity_id, title, date)| {
            let counts = per_activity.remove(&activity_id).unwrap_or_default();
            overall.merge(&counts);
            ActivityRateRow { activity_id, title, date, counts }
        })
        .collect();
    let ids: Vec<i64> = per_member.keys().copied().collect();
    let mut names = teacher_names(&state.db, &ids).await?;
    let members = per_member
        .into_iter()
        .map(|(teacher_id, counts)| MemberRateRow {
            teacher_id,
            teacher_name: names.remove(&teacher_id).unwrap_or_default(),
            counts,
        })
        .collect();
    Ok(web::Json(GroupRateView { group_id: group.id, semester_id, overall, activities, members }))
}
