//! What the teacher statistics read besides the figures (`org::schools::statistics`).

use entities::school;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::DomainResult;

/// The live schools of the district, or of one zone of it: `(id, name)` in name order.
pub async fn live_schools(
    db: &impl ConnectionTrait,
    district_id: i64,
    zone_id: Option<i64>,
) -> DomainResult<Vec<(i64, String)>> {
    let mut schools = school::Entity::find()
        .select_only()
        .column(school::Column::Id)
        .column(school::Column::Name)
        .filter(school::Column::DistrictId.eq(district_id))
        .filter(school::Column::ArchivedAt.is_null());
    if let Some(zone_id) = zone_id {
        schools = schools.filter(school::Column::ZoneId.eq(zone_id));
    }
    Ok(schools.order_by_asc(school::Column::Name).order_by_asc(school::Column::Id).into_tuple().all(db).await?)
}
