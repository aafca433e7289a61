//! Who sees a group and who may manage it, written down once for groups, members, slots and
//! research topics.
//!
//! - A school group (`school_id` set) is seen by whoever sees that school; a district team
//!   (中心组, no school) by everyone in its district.
//! - The group itself (create, change, archive) is managed by the district's administrators, and
//!   for school groups also by the school's `school_admin` (never for district teams).
//! - Its members, weekly slots and research topics are managed by those, plus the group's own
//!   leader: a `group_leader` account whose teacher is the group's `leader_teacher_id`, or holds a
//!   live membership of the group as leader or deputy leader.
//!
//! A membership is *live* while it is not archived and has not ended (`until` is unset or not
//! before today).

use chrono::NaiveDate;
use entities::enums::{MemberRole, Role};
use entities::{group, group_membership, teacher};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
};

use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::resource::load_visible;

pub use crate::clock::today;

/// Whether `actor` reads `group` (and so its members, slots and topics).
pub fn sees_group(actor: &Actor, group: &group::Model) -> bool {
    match group.school_id {
        Some(school_id) => actor.sees_school(group.district_id, school_id),
        None => actor.sees_district(group.district_id),
    }
}

/// Whether `actor` may create, change or archive a group placed here (district teams have no
/// school and are managed by district administrators only).
pub fn manages_group_at(actor: &Actor, district_id: i64, school_id: Option<i64>) -> bool {
    match school_id {
        Some(school_id) => actor.administers_school(district_id, school_id),
        None => actor.administers_district(district_id),
    }
}

pub fn manages_group(actor: &Actor, group: &group::Model) -> bool {
    manages_group_at(actor, group.district_id, group.school_id)
}

/// Whether `actor` may manage the group's members, slots and topics, given whether the actor's
/// teacher holds a live leader or deputy-leader membership of it.
pub fn manages_contents(actor: &Actor, group: &group::Model, leads_by_membership: bool) -> bool {
    manages_group(actor, group)
        || (actor.role == Role::GroupLeader
            && sees_group(actor, group)
            && actor.teacher_id.is_some_and(|t| group.leader_teacher_id == Some(t) || leads_by_membership))
}

/// Whether a membership is live on `today`.
pub fn is_live(membership: &group_membership::Model, today: NaiveDate) -> bool {
    membership.archived_at.is_none() && membership.until.is_none_or(|until| until >= today)
}

/// The SQL form of [`is_live`].
pub fn live_membership(today: NaiveDate) -> Condition {
    Condition::all().add(group_membership::Column::ArchivedAt.is_null()).add(
        Condition::any().add(group_membership::Column::Until.is_null()).add(group_membership::Column::Until.gte(today)),
    )
}

/// The SQL form of [`sees_group`], for lists of groups.
pub fn visible_groups(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(group::Column::DistrictId.eq(d)),
        Reach::School { district_id, school_id } => Condition::all()
            .add(group::Column::DistrictId.eq(district_id))
            .add(Condition::any().add(group::Column::SchoolId.eq(school_id)).add(group::Column::SchoolId.is_null())),
    }
}

/// The ids of the groups `actor` sees, as a subquery (for lists of topics and the like).
pub fn visible_group_ids(actor: &Actor) -> SelectStatement {
    group::Entity::find().select_only().column(group::Column::Id).filter(visible_groups(actor)).into_query()
}

/// For school-level readers, the ids of their own school's teachers: the only members of a
/// district team they may see (the others are another school's data). `None` for readers who
/// see every school of the group's district.
pub fn visible_member_teachers(actor: &Actor) -> Option<SelectStatement> {
    match actor.reach() {
        Reach::School { school_id, .. } => Some(
            teacher::Entity::find()
                .select_only()
                .column(teacher::Column::Id)
                .filter(teacher::Column::SchoolId.eq(school_id))
                .into_query(),
        ),
        _ => None,
    }
}

/// A group within the caller's reach (archived ones included), or 404.
pub async fn load_group(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<group::Model> {
    load_visible::<group::Entity>(db, id, "group", |g| sees_group(actor, g)).await
}

/// 403 unless `actor` may manage the group's members, slots and topics.
pub async fn require_manages_contents(
    db: &impl ConnectionTrait,
    actor: &Actor,
    group: &group::Model,
) -> DomainResult<()> {
    let leads_by_membership = match (actor.role, actor.teacher_id) {
        (Role::GroupLeader, Some(teacher_id)) => {
            group_membership::Entity::find()
                .filter(group_membership::Column::GroupId.eq(group.id))
                .filter(group_membership::Column::TeacherId.eq(teacher_id))
                .filter(group_membership::Column::Role.is_in([MemberRole::Leader, MemberRole::DeputyLeader]))
                .filter(live_membership(today()))
                .count(db)
                .await?
                > 0
        }
        _ => false,
    };
    actor.require(manages_contents(actor, group, leads_by_membership), "manage this group's members, slots and topics")
}

/// Members, slots and topics are added only to live groups.
pub fn require_live(group: &group::Model) -> DomainResult<()> {
    match group.archived_at {
        None => Ok(()),
        Some(_) => Err(DomainError::Conflict { detail: "the group is archived".into(), field: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use entities::enums::GroupKind;

    fn actor(role: Role, district_id: Option<i64>, school_id: Option<i64>, teacher_id: Option<i64>) -> Actor {
        Actor { user_id: 1, username: "u".into(), role, district_id, school_id, teacher_id }
    }

    fn group(school_id: Option<i64>, leader: Option<i64>) -> group::Model {
        let at = Utc::now();
        group::Model {
            id: 5,
            district_id: 1,
            school_id,
            kind: if school_id.is_some() { GroupKind::Research } else { GroupKind::DistrictTeam },
            name: "语文教研组".into(),
            subject: Some("语文".into()),
            grade_band: None,
            parent_id: None,
            leader_teacher_id: leader,
            description: None,
            sourced_id: None,
            created_at: at,
            updated_at: at,
            archived_at: None,
        }
    }

    #[test]
    fn school_groups_are_seen_by_their_school_district_teams_by_the_district() {
        let teacher_a = actor(Role::Teacher, Some(1), Some(10), Some(100));
        assert!(sees_group(&teacher_a, &group(Some(10), None)));
        assert!(!sees_group(&teacher_a, &group(Some(11), None)));
        assert!(sees_group(&teacher_a, &group(None, None)));
        let other_district = actor(Role::SchoolAdmin, Some(2), Some(20), None);
        assert!(!sees_group(&other_district, &group(None, None)));
    }

    #[test]
    fn school_admins_manage_school_groups_but_not_district_teams() {
        let admin = actor(Role::SchoolAdmin, Some(1), Some(10), None);
        assert!(manages_group(&admin, &group(Some(10), None)));
        assert!(!manages_group(&admin, &group(Some(11), None)));
        assert!(!manages_group(&admin, &group(None, None)));
        assert!(!manages_contents(&admin, &group(None, None), false));
        let district = actor(Role::DistrictAdmin, Some(1), None, None);
        assert!(manages_group(&district, &group(None, None)));
        assert!(manages_contents(&district, &group(Some(11), None), false));
    }

    #[test]
    fn a_group_leader_manages_the_contents_of_the_groups_they_lead_only() {
        let leader = actor(Role::GroupLeader, Some(1), Some(10), Some(100));
        assert!(manages_contents(&leader, &group(Some(10), Some(100)), false));
        assert!(manages_contents(&leader, &group(Some(10), Some(101)), true));
        assert!(!manages_contents(&leader, &group(Some(10), Some(101)), false));
        assert!(!manages_group(&leader, &group(Some(10), Some(100))));
        // Named leader of a group outside their reach: still nothing.
        assert!(!manages_contents(&leader, &group(Some(11), Some(100)), false));
        // A teacher account is never a manager, even when named leader.
        let teacher = actor(Role::Teacher, Some(1), Some(10), Some(100));
        assert!(!manages_contents(&teacher, &group(Some(10), Some(100)), true));
    }

    #[test]
    fn memberships_end_after_their_until_day_or_when_archived() {
        let day = NaiveDate::from_ymd_opt(2026, 10, 8).unwrap();
        let at = Utc::now();
        let mut m = group_membership::Model {
            id: 1,
            group_id: 5,
            teacher_id: 100,
            role: MemberRole::Member,
            since: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            until: None,
            sourced_id: None,
            created_at: at,
            updated_at: at,
            archived_at: None,
        };
        assert!(is_live(&m, day));
        m.until = Some(day);
        assert!(is_live(&m, day));
        m.until = day.pred_opt();
        assert!(!is_live(&m, day));
        m.until = None;
        m.archived_at = Some(at);
        assert!(!is_live(&m, day));
    }
}
