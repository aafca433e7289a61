//! Which semester a day belongs to: work is filed under the semester containing its date (none
//! between semesters).

use chrono::NaiveDate;
use entities::semester;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::ApiResult;

/// The district's live semester containing `day` (the latest-starting one, should two overlap),
/// or `None` for a day between semesters.
pub async fn semester_containing(
    db: &impl ConnectionTrait,
    district_id: i64,
    day: NaiveDate,
) -> ApiResult<Option<semester::Model>> {
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
