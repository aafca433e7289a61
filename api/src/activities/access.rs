//! Who sees an activity and who runs it, written down once for activities, their lessons,
//! attendance, generation and calendar feeds.
//!
//! - An activity of a school (organised by one of its groups, or by the school itself) is seen by
//!   whoever sees that school, and by whoever sees its `host_school_id` (a 送教下乡 visit or a
//!   pairing's activity is seen by both schools).
//! - Activities without a school (a zone's 联片教研, a district 中心组 session, a district
//!   activity) are district-level organisation: the whole district reads them.
//! - The organiser runs it: a group's activities are run by whoever manages the group's contents
//!   (its administrators and its leader, [`crate::groups::access`]); a school's by the school's
//!   administrators; a zone's by the district's administrators and the lead school's
//!   administrator; a district's by the district's administrators.

use entities::enums::{OrganiserKind, Role};
use entities::{activity, group, zone};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{load_group, require_manages_contents, sees_group};
use crate::resource::load_visible;

/// Whether `actor` reads the activity (and its lessons and attendance).
pub fn sees_activity(actor: &Actor, activity: &activity::Model) -> bool {
    match activity.school_id {
        Some(school_id) => {
            actor.sees_school(activity.district_id, school_id)
                || activity.host_school_id.is_some_and(|host| actor.sees_school(activity.district_id, host))
        }
        None => actor.sees_district(activity.district_id),
    }
}

/// The SQL form of [`sees_activity`], for lists.
pub fn visible_activities(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(activity::Column::DistrictId.eq(d)),
        Reach::School { district_id, school_id } => {
            Condition::all().add(activity::Column::DistrictId.eq(district_id)).add(
                Condition::any()
                    .add(activity::Column::SchoolId.eq(school_id))
                    .add(activity::Column::HostSchoolId.eq(school_id))
                    .add(activity::Column::SchoolId.is_null()),
            )
        }
    }
}

/// The ids of the activities `actor` sees, as a subquery.
pub fn visible_activity_ids(actor: &Actor) -> SelectStatement {
    activity::Entity::find().select_only().column(activity::Column::Id).filter(visible_activities(actor)).into_query()
}

/// An activity within the caller's reach (archived ones included), or 404.
pub async fn load_activity(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<activity::Model> {
    load_visible::<activity::Entity>(db, id, "activity", |a| sees_activity(actor, a)).await
}

/// Who organises an activity, loaded far enough to decide who may run it.
#[derive(Debug, Clone)]
pub enum Organiser {
    Group(group::Model),
    School { district_id: i64, school_id: i64 },
    Zone(zone::Model),
    District(i64),
}

impl Organiser {
    pub fn kind(&self) -> OrganiserKind {
        match self {
            Organiser::Group(_) => OrganiserKind::Group,
            Organiser::School { .. } => OrganiserKind::School,
            Organiser::Zone(_) => OrganiserKind::Zone,
            Organiser::District(_) => OrganiserKind::District,
        }
    }

    pub fn district_id(&self) -> i64 {
        match self {
            Organiser::Group(g) => g.district_id,
            Organiser::School { district_id, .. } => *district_id,
            Organiser::Zone(z) => z.district_id,
            Organiser::District(d) => *d,
        }
    }

    /// The school an activity of this organiser belongs to (none for zones, districts and
    /// district teams).
    pub fn school_id(&self) -> Option<i64> {
        match self {
            Organiser::Group(g) => g.school_id,
            Organiser::School { school_id, .. } => Some(*school_id),
            Organiser::Zone(_) | Organiser::District(_) => None,
        }
    }

    pub fn group_id(&self) -> Option<i64> {
        match self {
            Organiser::Group(g) => Some(g.id),
            _ => None,
        }
    }

    pub fn zone_id(&self) -> Option<i64> {
        match self {
            Organiser::Zone(z) => Some(z.id),
            _ => None,
        }
    }

    /// Whether `actor` reads this organiser's activities.
    pub fn seen_by(&self, actor: &Actor) -> bool {
        match self {
            Organiser::Group(g) => sees_group(actor, g),
            Organiser::School { district_id, school_id } => actor.sees_school(*district_id, *school_id),
            Organiser::Zone(z) => actor.sees_district(z.district_id),
            Organiser::District(d) => actor.sees_district(*d),
        }
    }
}

/// The organiser named by `kind` and `id` (for a district, `id` is the district's id), if the
/// caller sees it; otherwise 422 "no such ..." on `field`, never revealing that it exists.
pub async fn find_organiser(
    db: &impl ConnectionTrait,
    actor: &Actor,
    kind: OrganiserKind,
    id: i64,
    field: &str,
) -> DomainResult<Organiser> {
    let found = match kind {
        OrganiserKind::Group => match load_group(db, actor, id).await {
            Ok(g) if g.archived_at.is_none() => Some(Organiser::Group(g)),
            Ok(_) | Err(DomainError::NotFound(_)) => None,
            Err(e) => return Err(e),
        },
        OrganiserKind::School => entities::school::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|s| s.archived_at.is_none())
            .map(|s| Organiser::School { district_id: s.district_id, school_id: s.id }),
        OrganiserKind::Zone => {
            zone::Entity::find_by_id(id).one(db).await?.filter(|z| z.archived_at.is_none()).map(Organiser::Zone)
        }
        OrganiserKind::District => entities::district::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|d| d.archived_at.is_none())
            .map(|d| Organiser::District(d.id)),
    };
    found.filter(|o| o.seen_by(actor)).ok_or_else(|| DomainError::invalid(field, format!("no such {}", kind.code())))
}

/// The organiser of an existing activity.
pub async fn organiser_of(db: &impl ConnectionTrait, activity: &activity::Model) -> DomainResult<Organiser> {
    let missing = || DomainError::Internal(anyhow::anyhow!("activity {} lost its organiser", activity.id));
    Ok(match activity.organiser_kind {
        OrganiserKind::Group => Organiser::Group(
            group::Entity::find_by_id(activity.group_id.ok_or_else(missing)?).one(db).await?.ok_or_else(missing)?,
        ),
        OrganiserKind::School => {
            Organiser::School { district_id: activity.district_id, school_id: activity.school_id.ok_or_else(missing)? }
        }
        OrganiserKind::Zone => Organiser::Zone(
            zone::Entity::find_by_id(activity.zone_id.ok_or_else(missing)?).one(db).await?.ok_or_else(missing)?,
        ),
        OrganiserKind::District => Organiser::District(activity.district_id),
    })
}

/// 403 unless `actor` may plan and run the organiser's activities.
pub async fn require_runs(db: &impl ConnectionTrait, actor: &Actor, organiser: &Organiser) -> DomainResult<()> {
    let what = "run this organiser's activities";
    match organiser {
        Organiser::Group(g) => require_manages_contents(db, actor, g).await.map_err(|e| match e {
            DomainError::Forbidden(_) => {
                DomainError::forbidden(format!("your role ({}) may not {what}", actor.role.code()))
            }
            other => other,
        }),
        Organiser::School { district_id, school_id } => {
            actor.require(actor.administers_school(*district_id, *school_id), what)
        }
        Organiser::Zone(z) => actor.require(
            actor.administers_district(z.district_id)
                || (actor.role == Role::SchoolAdmin
                    && z.lead_school_id.is_some()
                    && actor.school_id == z.lead_school_id),
            what,
        ),
        Organiser::District(d) => actor.require(actor.administers_district(*d), what),
    }
}

/// 403 unless `actor` may run this activity (change it, record its attendance and minutes).
pub async fn require_runs_activity(
    db: &impl ConnectionTrait,
    actor: &Actor,
    activity: &activity::Model,
) -> DomainResult<()> {
    let organiser = organiser_of(db, activity).await?;
    require_runs(db, actor, &organiser).await
}

#[cfg(test)]
mod tests {
    use super::*;

    use entities::enums::ActivityType;

    fn actor(role: Role, district_id: Option<i64>, school_id: Option<i64>) -> Actor {
        Actor { user_id: 1, username: "u".into(), role, district_id, school_id, teacher_id: None }
    }

    fn activity(school_id: Option<i64>, host_school_id: Option<i64>) -> activity::Model {
        activity::Model {
            school_id,
            host_school_id,
            organiser_kind: if school_id.is_some() { OrganiserKind::School } else { OrganiserKind::Zone },
            group_id: None,
            activity_type: ActivityType::Outreach,
            ..crate::activities::sample_activity()
        }
    }

    #[test]
    fn school_activities_are_seen_by_their_school_and_the_host_school() {
        let a = activity(Some(10), Some(11));
        assert!(sees_activity(&actor(Role::Teacher, Some(1), Some(10)), &a));
        assert!(sees_activity(&actor(Role::Teacher, Some(1), Some(11)), &a));
        assert!(!sees_activity(&actor(Role::Teacher, Some(1), Some(12)), &a));
        assert!(!sees_activity(&actor(Role::DistrictAdmin, Some(2), None), &a));
    }

    #[test]
    fn activities_without_a_school_are_seen_by_the_district() {
        let a = activity(None, None);
        assert!(sees_activity(&actor(Role::Teacher, Some(1), Some(12)), &a));
        assert!(!sees_activity(&actor(Role::Teacher, Some(2), Some(20)), &a));
    }
}
