//! Database access.

use super::views::*;
use crate::auth::{Actor, Reach};
use crate::domain::DomainResult;
use crate::resource::{ensure_unique, load_visible, sorted};
use crate::state::State;
use entities::semester;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A semester within the caller's reach (its district), or 404.
pub async fn load_semester(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<semester::Model> {
    load_visible::<semester::Entity>(db, id, "semester", |s| actor.sees_district(s.district_id)).await
}

pub(super) async fn check_unique_name(
    state: &State,
    district_id: i64,
    name: &str,
    except: Option<i64>,
) -> DomainResult<()> {
    let query = semester::Entity::find()
        .filter(semester::Column::DistrictId.eq(district_id))
        .filter(semester::Column::Name.eq(name));
    ensure_unique(
        &state.db,
        query,
        semester::Column::Id,
        except,
        "name",
        format!("the district already has a semester named {name}"),
    )
    .await?;
    Ok(())
}

/// What `list_semesters` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn semesters_matching(
    actor: &Actor,
    filter: &SemesterFilter,
) -> DomainResult<sea_orm::Select<semester::Entity>> {
    use semester::Column as C;
    let mut query = semester::Entity::find();
    match actor.reach() {
        Reach::Everything => {}
        Reach::District(d) | Reach::School { district_id: d, .. } => query = query.filter(C::DistrictId.eq(d)),
    }
    if let Some(d) = filter.district_id {
        query = query.filter(C::DistrictId.eq(d));
    }
    if let Some(year) = filter.school_year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        query = query.filter(C::SchoolYear.eq(year));
    }
    if let Some(day) = filter.contains_date {
        query = query.filter(C::StartDate.lte(day)).filter(C::EndDate.gte(day));
    }
    if !filter.include_archived.unwrap_or(false) {
        query = query.filter(C::ArchivedAt.is_null());
    }
    sorted(
        query,
        filter.sort.as_deref(),
        &[("start_date", C::StartDate), ("name", C::Name), ("created_at", C::CreatedAt), ("id", C::Id)],
        C::Id,
    )
}
