//! The district team's attendance rule in the demo (seed 001): of the 中心组's members other than
//! its leader, the first missed both sessions held by the as-of day and was confirmed out by the
//! district (the removal, the ended membership and the notice to the school), the second missed
//! one of two (over a third, awaiting confirmation in `GET /api/v1/team-attendance`), the rest
//! attended as the activities seeding recorded.

use entities::enums::{ActivityStatus, AttendanceStatus};
use entities::{activity, activity_participant, semester, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::created::DemoDistrict;
use super::work::as_of;
use super::DISTRICT_ADMIN;
use crate::district_teams::queries::{remove, standings, Decided, Which};
use crate::district_teams::rules::Rule;

/// Returns how many participants the removal took off the team's sessions still to come.
pub(super) async fn write(txn: &DatabaseTransaction, district: &DemoDistrict) -> anyhow::Result<usize> {
    let team = &district.district_team;
    let others: Vec<i64> = team.member_ids.iter().copied().filter(|t| *t != team.leader_teacher_id).collect();
    let [removed, pending, ..] = others[..] else { anyhow::bail!("the demo's district team has too few members") };
    let held: Vec<i64> = activity::Entity::find()
        .select_only()
        .column(activity::Column::Id)
        .filter(activity::Column::GroupId.eq(team.id))
        .filter(activity::Column::Status.eq(ActivityStatus::Held))
        .order_by_asc(activity::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    let Some(first) = held.first().copied() else { anyhow::bail!("the demo's district team held no session") };
    for (teacher, sessions) in [(removed, held.clone()), (pending, vec![first])] {
        mark_absent(txn, teacher, sessions).await?;
    }
    let semester = semester::Entity::find_by_id(district.autumn_semester_id)
        .one(txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no autumn semester"))?;
    let admin = user::Entity::find()
        .filter(user::Column::Username.eq(DISTRICT_ADMIN))
        .one(txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no district administrator"))?;
    let which = Which { group_id: Some(team.id), ..Which::default() };
    let out: Vec<_> = standings(txn, &semester, which).await?.into_iter().filter(|s| s.teacher_id == removed).collect();
    let decided = Decided::ByHand { user_id: admin.id };
    let note = Some("两次中心组活动均未参加，经核实按制度退出".to_string());
    let listed = activity_participant::Entity::find().count(txn).await?;
    remove(txn, &semester, &Rule::default(), &out, decided, note, (as_of(), crate::resource::now())).await?;
    Ok((listed - activity_participant::Entity::find().count(txn).await?) as usize)
}

async fn mark_absent(txn: &DatabaseTransaction, teacher_id: i64, activities: Vec<i64>) -> Result<(), DbErr> {
    activity_participant::Entity::update_many()
        .col_expr(activity_participant::Column::Status, Expr::value(AttendanceStatus::Absent.code()))
        .col_expr(activity_participant::Column::SignedInAt, Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None))
        .col_expr(activity_participant::Column::LeaveReason, Expr::value(Option::<String>::None))
        .filter(activity_participant::Column::TeacherId.eq(teacher_id))
        .filter(activity_participant::Column::ActivityId.is_in(activities))
        .exec(txn)
        .await?;
    Ok(())
}
