//! Who is expected at an activity. By default, the organiser's people: a group's live members, a
//! school's active teachers. Zone and district activities name their participants by hand (a
//! 联片教研 invites some teachers of each school, not every teacher of the zone).
//!
//! The list is filled when an activity is scheduled (and may be edited afterwards), so that a
//! teacher who joins the group later is not marked absent from a session planned before.

use chrono::NaiveDate;
use entities::enums::{AttendanceStatus, TeacherStatus};
use entities::{activity, activity_participant, group_membership, teacher};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::activities::access::Organiser;
use crate::domain::DomainResult;
use crate::groups::access::live_membership;
use crate::resource::now;

/// The teachers an activity of `organiser` expects by default, as of `on`, in id order.
pub async fn default_participants(
    db: &impl ConnectionTrait,
    organiser: &Organiser,
    on: NaiveDate,
) -> DomainResult<Vec<i64>> {
    Ok(match organiser {
        Organiser::Group(g) => {
            group_membership::Entity::find()
                .select_only()
                .column(group_membership::Column::TeacherId)
                .filter(group_membership::Column::GroupId.eq(g.id))
                .filter(live_membership(on))
                .filter(group_membership::Column::Since.lte(on))
                .order_by_asc(group_membership::Column::TeacherId)
                .distinct()
                .into_tuple::<i64>()
                .all(db)
                .await?
        }
        Organiser::School { school_id, .. } => {
            teacher::Entity::find()
                .select_only()
                .column(teacher::Column::Id)
                .filter(teacher::Column::SchoolId.eq(*school_id))
                .filter(teacher::Column::Status.eq(TeacherStatus::Active))
                .filter(teacher::Column::ArchivedAt.is_null())
                .order_by_asc(teacher::Column::Id)
                .into_tuple::<i64>()
                .all(db)
                .await?
        }
        Organiser::Zone(_) | Organiser::District(_) => Vec::new(),
    })
}

/// Adds the organiser's default participants to the activity as expected and pending, leaving
/// anyone already listed as they are. Returns how many were added.
pub async fn add_default_participants(
    db: &impl ConnectionTrait,
    activity: &activity::Model,
    organiser: &Organiser,
    on: NaiveDate,
) -> DomainResult<usize> {
    let listed: Vec<i64> = activity_participant::Entity::find()
        .select_only()
        .column(activity_participant::Column::TeacherId)
        .filter(activity_participant::Column::ActivityId.eq(activity.id))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    let at = now();
    let mut added = 0;
    for teacher_id in default_participants(db, organiser, on).await? {
        if listed.contains(&teacher_id) {
            continue;
        }
        activity_participant::ActiveModel {
            activity_id: Set(activity.id),
            teacher_id: Set(teacher_id),
            expected: Set(true),
            status: Set(AttendanceStatus::Pending),
            leave_reason: Set(None),
            signed_in_at: Set(None),
            recorded_by_user_id: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(db)
        .await?;
        added += 1;
    }
    Ok(added)
}
