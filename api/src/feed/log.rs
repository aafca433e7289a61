//! Reading the change log: the window of versions there is, and one page of it within the
//! caller's district and schools.

use entities::{change_counter, change_log};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::request::Available;
use crate::clients::access::Access;
use crate::domain::{DomainError, DomainResult};

/// The versions this server serves (see [`Available`]).
pub async fn available(db: &impl ConnectionTrait) -> DomainResult<Available> {
    let counter = change_counter::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("the change counter row is missing")))?;
    Ok(Available { oldest: counter.purged_through, newest: crate::changes::newest_version(db).await? })
}

/// Which log rows a caller may read: its district's, and when it is limited to some schools,
/// only those schools' rows and the district-level ones (no school: the district, zones,
/// semesters, district teams, district activities and rubrics ...). A row of another school is
/// never read, so neither its data nor its tombstone can reach the caller — except that a teacher
/// who left one of the caller's schools is read, to be served as a tombstone ([`departed`]).
pub fn scope(access: &Access) -> Condition {
    let mut cond = Condition::all().add(change_log::Column::DistrictId.eq(access.district_id));
    if let Some(schools) = &access.schools {
        cond = cond.add(
            Condition::any()
                .add(change_log::Column::SchoolId.is_null())
                .add(change_log::Column::SchoolId.is_in(schools.iter().copied()))
                .add(change_log::Column::LeftSchoolId.is_in(schools.iter().copied())),
        );
    }
    cond
}

/// Up to `limit` rows of `types` with `since < change_version <= newest`, in version order.
///
/// Capped at `newest` (read before, in the same snapshot) so that the page and the envelope's
/// `newest` agree.
pub async fn page(
    db: &impl ConnectionTrait,
    access: &Access,
    types: &[&'static str],
    since: i64,
    newest: i64,
    limit: u64,
) -> DomainResult<Vec<change_log::Model>> {
    Ok(change_log::Entity::find()
        .filter(scope(access))
        .filter(change_log::Column::ResourceType.is_in(types.iter().copied()))
        .filter(change_log::Column::ChangeVersion.gt(since))
        .filter(change_log::Column::ChangeVersion.lte(newest))
        .order_by_asc(change_log::Column::ChangeVersion)
        .limit(limit)
        .all(db)
        .await?)
}

/// A row the caller reads only because its teacher left one of the caller's schools: for this
/// caller the teacher is gone (a tombstone), whatever the row says.
pub fn departed(access: &Access, row: &change_log::Model) -> bool {
    access.schools.is_some() && row.school_id.is_some_and(|s| !access.reaches_school(s))
}
