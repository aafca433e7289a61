//! Publishing a scheme: its results computed now and stored as a new, frozen version.

use chrono::NaiveDate;
use entities::{appraisal_result, appraisal_scheme, appraisal_version};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use super::compute::{compute, spec_of};
use super::rules::PUBLISHED;
use super::views::VersionView;
use crate::domain::{DomainError, DomainResult};
use crate::resource::now;
use crate::state::AppState;

/// Publishes `scheme`'s results as of `today` as version n+1, by `publisher`, in one
/// transaction: the version (with the scoring as published), a result row per teacher and group,
/// and the scheme marked published (its scoring frozen from then on). A concurrent publication
/// that came first makes this one a conflict.
pub async fn publish(
    state: &AppState,
    scheme: appraisal_scheme::Model,
    publisher: Option<i64>,
    today: NaiveDate,
) -> DomainResult<VersionView> {
    let spec = spec_of(&scheme)?;
    let computed = compute(state, &scheme, None, today).await?;
    let version = scheme.published_version + 1;
    let txn = crate::db::begin_write(&state.db).await?;
    let current = appraisal_scheme::Entity::find_by_id(scheme.id).one(&txn).await?;
    if current.as_ref().map(|s| s.published_version) != Some(scheme.published_version) {
        return Err(DomainError::conflict("version", "another publication of this scheme came first"));
    }
    let saved = appraisal_version::ActiveModel {
        scheme_id: Set(scheme.id),
        version: Set(version),
        as_of: Set(computed.as_of),
        spec: Set(serde_json::to_value(&spec).map_err(anyhow::Error::from)?),
        published_by_user_id: Set(publisher),
        published_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rows: Vec<appraisal_result::ActiveModel> = computed
        .teachers
        .iter()
        .chain(&computed.groups)
        .map(|r| {
            Ok(appraisal_result::ActiveModel {
                version_id: Set(saved.id),
                subject_type: Set(r.subject_type.clone()),
                subject_id: Set(r.subject_id),
                school_id: Set(r.school_id),
                name: Set(r.name.clone()),
                score: Set(r.score),
                rank: Set(r.rank),
                breakdown: Set(serde_json::to_value(&r.breakdown)?),
                ..Default::default()
            })
        })
        .collect::<Result<_, serde_json::Error>>()
        .map_err(anyhow::Error::from)?;
    // Bounded statements: a district's thousands of rows in chunks the engines' bind limits take.
    for chunk in rows.chunks(500) {
        appraisal_result::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    let mut active = scheme.into_active_model();
    active.status = Set(PUBLISHED.into());
    active.published_version = Set(version);
    active.updated_at = Set(now());
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(VersionView::new(saved, computed.teachers.len() as i64, computed.groups.len() as i64))
}
