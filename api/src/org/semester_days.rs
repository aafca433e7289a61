//! Which semester a day belongs to: work is filed under the semester containing its date (none
//! between semesters), and a request naming no semester means the one containing its `as_of`.

use chrono::NaiveDate;
use entities::semester;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};

/// The district's live semester containing `day` (the latest-starting one, should two overlap),
/// or `None` for a day between semesters.
pub async fn semester_containing(
    db: &impl ConnectionTrait,
    district_id: i64,
    day: NaiveDate,
) -> DomainResult<Option<semester::Model>> {
    Ok(semester::Entity::find()
        .filter(semester::Column::DistrictId.eq(district_id))
        .filter(semester::Column::ArchivedAt.is_null())
        .filter(semester::Column::StartDate.lte(day))
        .filter(semester::Column::EndDate.gte(day))
        .order_by_desc(semester::Column::StartDate)
        .order_by_desc(semester::Column::Id)
        .one(db)
        .await?)
}

/// The semester a request means when it names none (quota checks, reports): the one containing
/// `as_of`; a 422 on `semester_id` when no semester of the district contains that day.
pub async fn semester_of_day(
    db: &impl ConnectionTrait,
    district_id: i64,
    as_of: NaiveDate,
) -> DomainResult<semester::Model> {
    semester_containing(db, district_id, as_of).await?.ok_or_else(|| {
        DomainError::invalid(
            "semester_id",
            format!(
                "no semester of the district contains {as_of} (as_of); give semester_id, or an as_of inside a semester"
            ),
        )
    })
}

/// A semester the caller sees, named by `field` of the request: 422 "no such semester" otherwise
/// (a reference, not the addressed object).
pub async fn semester_ref(
    db: &impl ConnectionTrait,
    actor: &Actor,
    semester_id: i64,
    field: &str,
) -> DomainResult<semester::Model> {
    semester::Entity::find_by_id(semester_id)
        .one(db)
        .await?
        .filter(|s| actor.sees_district(s.district_id))
        .ok_or_else(|| DomainError::invalid(field, "no such semester"))
}
