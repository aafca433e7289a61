//! Database access of the rubrics API: scope, dimensions and the in-use check.

use std::collections::HashMap;

use entities::{observation, rubric, rubric_dimension, school};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select, Set,
};

use super::rules::DimensionInput;
use super::views::RubricFilter;
use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::org::ownership;
use crate::resource::{ensure_unique_per_owner, load_visible, now};

/// A rubric the caller sees (archived ones included), or 404.
pub async fn load_rubric(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<rubric::Model> {
    load_visible::<rubric::Entity>(db, id, "rubric", |r| ownership::sees(actor, r.district_id, r.school_id)).await
}

/// The filtered (not yet sorted) rubrics the caller sees.
pub fn filtered(actor: &Actor, f: &RubricFilter) -> Select<rubric::Entity> {
    let mut cond = ownership::scope(actor, rubric::Column::DistrictId, rubric::Column::SchoolId);
    if let Some(s) = f.school_id {
        cond = cond.add(rubric::Column::SchoolId.eq(s));
    }
    if let Some(d) = f.district_id {
        cond = cond.add(rubric::Column::DistrictId.eq(d)).add(rubric::Column::SchoolId.is_null());
    }
    if let Some(s) = f.usable_by_school_id {
        let district_of_school = Query::select()
            .column(school::Column::DistrictId)
            .from(school::Entity)
            .and_where(school::Column::Id.eq(s))
            .to_owned();
        cond = cond.add(
            Condition::any().add(rubric::Column::SchoolId.eq(s)).add(
                Condition::all()
                    .add(rubric::Column::SchoolId.is_null())
                    .add(rubric::Column::DistrictId.in_subquery(district_of_school)),
            ),
        );
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(rubric::Column::ArchivedAt.is_null());
    }
    rubric::Entity::find().filter(cond)
}

/// The dimensions of the given rubrics, each list ordered by position.
pub async fn dimensions_of(
    db: &impl ConnectionTrait,
    rubric_ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<rubric_dimension::Model>>> {
    let mut out: HashMap<i64, Vec<rubric_dimension::Model>> = rubric_ids.iter().map(|id| (*id, vec![])).collect();
    if rubric_ids.is_empty() {
        return Ok(out);
    }
    let rows = rubric_dimension::Entity::find()
        .filter(rubric_dimension::Column::RubricId.is_in(rubric_ids.to_vec()))
        .order_by_asc(rubric_dimension::Column::Position)
        .order_by_asc(rubric_dimension::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        out.entry(row.rubric_id).or_default().push(row);
    }
    Ok(out)
}

/// Replaces a rubric's dimensions (call inside the write's transaction); positions count from 1.
pub async fn replace_dimensions(
    db: &impl ConnectionTrait,
    rubric_id: i64,
    dims: Vec<DimensionInput>,
) -> DomainResult<()> {
    rubric_dimension::Entity::delete_many().filter(rubric_dimension::Column::RubricId.eq(rubric_id)).exec(db).await?;
    let at = now();
    let rows = dims.into_iter().enumerate().map(|(i, d)| rubric_dimension::ActiveModel {
        rubric_id: Set(rubric_id),
        position: Set(i as i32 + 1),
        name: Set(d.name),
        max_points: Set(d.max_points),
        description: Set(d.description),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    });
    rubric_dimension::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// How many observations (archived ones included: their scores still point here) use the rubric.
pub async fn observations_using(db: &impl ConnectionTrait, rubric_id: i64) -> DomainResult<u64> {
    Ok(observation::Entity::find().filter(observation::Column::RubricId.eq(rubric_id)).count(db).await?)
}

/// 409 when another live rubric of the same owner (the school, or the district itself) has the name.
pub async fn check_name(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: Option<i64>,
    name: &str,
    except: Option<i64>,
) -> DomainResult<()> {
    ensure_unique_per_owner::<rubric::Entity>(
        db,
        district_id,
        school_id,
        name,
        except,
        format!("another rubric here is named {name}"),
    )
    .await
}
