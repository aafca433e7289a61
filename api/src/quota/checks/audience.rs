//! Whose checks a caller may see, as a [`Target`]:
//! - district administrators: their district (any school, zone, group, pair or teacher of it);
//! - school administrators: their school (its teachers, groups, pairs and the school itself);
//! - group leaders: the groups they lead and those groups' members of their school, plus
//!   themselves and their pairs;
//! - teachers: themselves and the pairs they are in.
//!
//! Asking for a subject outside that answers 404 (a colleague's quota status is not the
//! caller's to probe, even though the colleague is visible); asking for a school or zone the
//! caller sees but does not administer answers 403.

use entities::enums::{MemberRole, Role};
use entities::{group, group_membership, mentorship, school, semester};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::subjects::Target;
use crate::auth::Actor;
use crate::clock::today;
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{live_membership, load_group, manages_group};
use crate::mentorships::queries::load_mentorship;
use crate::org::schools::load_school;
use crate::org::zones::load_zone;
use crate::people::teachers::queries::load_teacher;

/// At most one of these narrows a check.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection {
    pub teacher_id: Option<i64>,
    pub group_id: Option<i64>,
    pub mentorship_id: Option<i64>,
    pub school_id: Option<i64>,
    pub zone_id: Option<i64>,
}

impl Selection {
    fn given(&self) -> Vec<&'static str> {
        [
            ("teacher_id", self.teacher_id),
            ("group_id", self.group_id),
            ("mentorship_id", self.mentorship_id),
            ("school_id", self.school_id),
            ("zone_id", self.zone_id),
        ]
        .into_iter()
        .filter_map(|(name, v)| v.map(|_| name))
        .collect()
    }
}

fn nothing(district_id: i64, school_ids: Option<Vec<i64>>) -> Target {
    Target {
        district_id,
        zone_id: None,
        school_ids,
        teachers: Some(vec![]),
        groups: Some(vec![]),
        mentorships: Some(vec![]),
        schools: Some(vec![]),
    }
}

fn other_district(field: &str) -> DomainError {
    DomainError::invalid(field, "is not in the semester's district")
}

/// The groups `actor` leads (as the group's leader or a live leader/deputy membership).
async fn led_groups(db: &impl ConnectionTrait, actor: &Actor) -> DomainResult<Vec<i64>> {
    let Some(me) = actor.teacher_id.filter(|_| actor.role == Role::GroupLeader) else {
        return Ok(vec![]);
    };
    let by_membership: Vec<i64> = group_membership::Entity::find()
        .filter(group_membership::Column::TeacherId.eq(me))
        .filter(group_membership::Column::Role.is_in([MemberRole::Leader, MemberRole::DeputyLeader]))
        .filter(live_membership(today()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.group_id)
        .collect();
    Ok(group::Entity::find()
        .filter(group::Column::ArchivedAt.is_null())
        .filter(Condition::any().add(group::Column::LeaderTeacherId.eq(me)).add(group::Column::Id.is_in(by_membership)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect())
}

/// The live members of the groups.
async fn members_of(db: &impl ConnectionTrait, group_ids: &[i64]) -> DomainResult<Vec<i64>> {
    Ok(group_membership::Entity::find()
        .filter(group_membership::Column::GroupId.is_in(group_ids.to_vec()))
        .filter(live_membership(today()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.teacher_id)
        .collect())
}

/// The pairs the teacher is in.
async fn pairs_of(db: &impl ConnectionTrait, teacher_id: i64) -> DomainResult<Vec<i64>> {
    Ok(mentorship::Entity::find()
        .filter(
            Condition::any()
                .add(mentorship::Column::MentorTeacherId.eq(teacher_id))
                .add(mentorship::Column::MenteeTeacherId.eq(teacher_id)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect())
}

/// The subjects `actor` may see checks of, narrowed by `selection`, for `semester`'s district.
pub async fn target_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    semester: &semester::Model,
    selection: Selection,
) -> DomainResult<Target> {
    let given = selection.given();
    if given.len() > 1 {
        return Err(DomainError::invalid(given[1], format!("give at most one of {}", given.join(", "))));
    }
    let district_id = semester.district_id;
    if let Some(id) = selection.teacher_id {
        return one_teacher(db, actor, district_id, id).await;
    }
    if let Some(id) = selection.group_id {
        return one_group(db, actor, district_id, id).await;
    }
    if let Some(id) = selection.mentorship_id {
        return one_pair(db, actor, district_id, id).await;
    }
    if let Some(id) = selection.school_id {
        let school = load_school(db, actor, id).await?;
        if school.district_id != district_id {
            return Err(other_district("school_id"));
        }
        actor.require(actor.administers_school(district_id, id), "see the checks of a whole school")?;
        return Ok(Target { district_id, school_ids: Some(vec![id]), ..Default::default() });
    }
    if let Some(id) = selection.zone_id {
        return one_zone(db, actor, district_id, id).await;
    }
    whole_reach(db, actor, district_id).await
}

/// One teacher: the caller's school's administrators, the teacher, the leaders of their groups.
async fn one_teacher(db: &impl ConnectionTrait, actor: &Actor, district_id: i64, id: i64) -> DomainResult<Target> {
    let (teacher, school) = load_teacher(db, actor, id).await?;
    if school.district_id != district_id {
        return Err(other_district("teacher_id"));
    }
    let allowed = actor.administers_school(district_id, school.id)
        || actor.teacher_id == Some(id)
        || members_of(db, &led_groups(db, actor).await?).await?.contains(&id);
    if !allowed {
        return Err(DomainError::not_found("teacher"));
    }
    Ok(Target { teachers: Some(vec![teacher.id]), ..nothing(district_id, Some(vec![school.id])) })
}

/// One group: those who manage it and its leaders.
async fn one_group(db: &impl ConnectionTrait, actor: &Actor, district_id: i64, id: i64) -> DomainResult<Target> {
    let group = load_group(db, actor, id).await?;
    if group.district_id != district_id {
        return Err(other_district("group_id"));
    }
    if !manages_group(actor, &group) && !led_groups(db, actor).await?.contains(&id) {
        return Err(DomainError::not_found("group"));
    }
    Ok(Target { groups: Some(vec![id]), ..nothing(district_id, group.school_id.map(|s| vec![s])) })
}

/// One pair: its school's administrators and its two teachers.
async fn one_pair(db: &impl ConnectionTrait, actor: &Actor, district_id: i64, id: i64) -> DomainResult<Target> {
    let pair = load_mentorship(db, actor, id).await?;
    if pair.district_id != district_id {
        return Err(other_district("mentorship_id"));
    }
    let in_pair = actor.teacher_id.is_some_and(|t| t == pair.mentor_teacher_id || t == pair.mentee_teacher_id);
    if !actor.administers_school(district_id, pair.school_id) && !in_pair {
        return Err(DomainError::not_found("mentorship"));
    }
    Ok(Target { mentorships: Some(vec![id]), ..nothing(district_id, Some(vec![pair.school_id])) })
}

/// A zone's schools: the district's administrators.
async fn one_zone(db: &impl ConnectionTrait, actor: &Actor, district_id: i64, id: i64) -> DomainResult<Target> {
    let zone = load_zone(db, actor, id).await?;
    if zone.district_id != district_id {
        return Err(other_district("zone_id"));
    }
    actor.require(actor.administers_district(district_id), "see the checks of a zone")?;
    let schools: Vec<i64> =
        school::Entity::find().filter(school::Column::ZoneId.eq(id)).all(db).await?.into_iter().map(|s| s.id).collect();
    Ok(Target { district_id, zone_id: Some(id), school_ids: Some(schools), ..Default::default() })
}

/// No selection: the caller's whole reach.
async fn whole_reach(db: &impl ConnectionTrait, actor: &Actor, district_id: i64) -> DomainResult<Target> {
    if actor.administers_district(district_id) {
        return Ok(Target { district_id, ..Default::default() });
    }
    let Some(school_id) = actor.school_id.filter(|_| actor.district_id == Some(district_id)) else {
        return Ok(nothing(district_id, Some(vec![])));
    };
    if actor.role == Role::SchoolAdmin {
        return Ok(Target { district_id, school_ids: Some(vec![school_id]), ..Default::default() });
    }
    let Some(me) = actor.teacher_id else {
        return Ok(nothing(district_id, Some(vec![school_id])));
    };
    let groups = led_groups(db, actor).await?;
    let mut teachers = members_of(db, &groups).await?;
    teachers.push(me);
    teachers.sort();
    teachers.dedup();
    Ok(Target {
        teachers: Some(teachers),
        groups: Some(groups),
        mentorships: Some(pairs_of(db, me).await?),
        ..nothing(district_id, Some(vec![school_id]))
    })
}
