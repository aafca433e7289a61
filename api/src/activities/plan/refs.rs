//! Checks of the objects an activity points at: its semester, host school, pairing and the
//! teachers it names. Each failure is a 422 on the field, worded "no such ..." so that nothing
//! outside the caller's reach is revealed.

use entities::{activity, school, school_pairing, semester, teacher};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::validate::Checks;

/// A live semester of `district_id`, or a 422 on `semester_id`.
pub async fn check_semester(
    db: &impl ConnectionTrait,
    district_id: i64,
    semester_id: i64,
    checks: &mut Checks,
) -> DomainResult<Option<semester::Model>> {
    let found = semester::Entity::find_by_id(semester_id)
        .one(db)
        .await?
        .filter(|s| s.district_id == district_id && s.archived_at.is_none());
    if found.is_none() {
        checks.fail("semester_id", "no such semester in the organiser's district");
    }
    Ok(found)
}

/// The date must lie within the semester.
pub fn check_date_in(checks: &mut Checks, a: &activity::Model, semester: &semester::Model) {
    if let Some(date) = a.date {
        checks.ensure(
            semester.start_date <= date && date <= semester.end_date,
            "date",
            format!("must lie within the semester ({} to {})", semester.start_date, semester.end_date),
        );
    }
}

/// Places the activity at a host school and in a pairing, as `a` now says.
///
/// - A pairing must be live, seen by the caller, of the activity's district, and include the
///   activity's school; the host then is the pairing's other school (a different host is a 422).
/// - Without a pairing, a host is a live school of the same district other than the activity's
///   own school.
pub async fn check_host_and_pairing(
    db: &impl ConnectionTrait,
    actor: &Actor,
    a: &mut activity::Model,
    host_given: bool,
    checks: &mut Checks,
) -> DomainResult<()> {
    if let Some(pairing_id) = a.pairing_id {
        let pairing = school_pairing::Entity::find_by_id(pairing_id).one(db).await?.filter(|p| {
            p.archived_at.is_none()
                && p.district_id == a.district_id
                && (actor.sees_school(p.district_id, p.mentor_school_id)
                    || actor.sees_school(p.district_id, p.partner_school_id))
        });
        let Some(pairing) = pairing else {
            checks.fail("pairing_id", "no such school pairing");
            return Ok(());
        };
        let other = match a.school_id {
            Some(s) if s == pairing.mentor_school_id => pairing.partner_school_id,
            Some(s) if s == pairing.partner_school_id => pairing.mentor_school_id,
            _ => {
                checks.fail("pairing_id", "the pairing does not include the activity's school");
                return Ok(());
            }
        };
        match a.host_school_id {
            Some(host) if host_given && host != other => {
                checks.fail("host_school_id", "must be the pairing's other school (or be left out)")
            }
            _ => a.host_school_id = Some(other),
        }
        return Ok(());
    }
    if let Some(host) = a.host_school_id {
        let found = school::Entity::find_by_id(host)
            .one(db)
            .await?
            .filter(|s| s.archived_at.is_none() && s.district_id == a.district_id);
        if found.is_none() {
            checks.fail("host_school_id", "no such school in the activity's district");
        } else if a.school_id == Some(host) {
            checks.fail("host_school_id", "must be another school than the activity's own");
        }
    }
    Ok(())
}

/// A teacher an activity may name as lead speaker or teaching teacher: live (not archived), seen
/// by the caller, and of the activity's school or host school (of any school of the district for
/// zone and district activities). Otherwise a 422 "no such teacher" on `field`.
pub async fn check_teacher(
    db: &impl ConnectionTrait,
    actor: &Actor,
    a: &activity::Model,
    teacher_id: i64,
    field: &str,
    checks: &mut Checks,
) -> DomainResult<()> {
    let found = teacher::Entity::find_by_id(teacher_id).one(db).await?.filter(|t| t.archived_at.is_none());
    let school = match &found {
        Some(t) => school::Entity::find_by_id(t.school_id).one(db).await?,
        None => None,
    };
    let allowed = school.is_some_and(|s| {
        s.district_id == a.district_id
            && actor.sees_school(s.district_id, s.id)
            && match a.school_id {
                Some(own) => s.id == own || a.host_school_id == Some(s.id),
                None => true,
            }
    });
    if !allowed {
        checks.fail(field, "no such teacher");
    }
    Ok(())
}
