//! Schools by sourced_id (whole-district callers only: a school belongs to the district).

use std::collections::HashMap;

use entities::{group, school, teacher, zone};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};

use super::batch::{load_by_sourced_id, required, split, tombstones, Sync};
use super::records::SyncSchool;
use super::refs::{Kind, Ref};
use super::Counts;
use crate::domain::names::Name;
use crate::error::ApiResult;
use crate::org::schools::handlers::{check_unique, release_zone_lead, ADDRESS_MAX, CODE_MAX, NAME_MAX};
use crate::resource::mark_archived;
use crate::validate::Checks;

const RESOURCE: &str = "schools";

fn reference(s: &school::Model) -> Ref {
    Ref { id: s.id, district_id: s.district_id, school_id: Some(s.id), live: s.archived_at.is_none() }
}

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> ApiResult<HashMap<String, school::Model>> {
    load_by_sourced_id::<school::Entity>(sync.txn, school::Column::SourcedId, ids, |s| s.sourced_id.as_deref()).await
}

/// Creates, updates or restores every active school record.
pub async fn upsert(sync: &mut Sync<'_>, records: &[SyncSchool], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let (active, _) = split(records, ok, |r| r.status);
    let ids: Vec<&str> = active.iter().map(|(_, r)| r.sourced_id.as_str()).collect();
    let mut existing = existing(sync, &ids).await?;
    let zones =
        load_by_sourced_id::<zone::Entity>(sync.txn, zone::Column::SourcedId, &ids, |z| z.sourced_id.as_deref())
            .await?;
    for (index, r) in active {
        let current = existing.remove(&r.sourced_id);
        if current.as_ref().is_some_and(|c| !sync.owns(RESOURCE, index, "school", reference(c))) {
            continue;
        }
        if zones.contains_key(&r.sourced_id) {
            sync.fail(RESOURCE, index, "sourced_id", "is the sourced_id of a zone (zones and schools are both orgs)");
            continue;
        }
        let errors_before = sync.errors.len();
        let mut checks = Checks::new();
        let name = required(&mut checks, "name", &r.name).and_then(|n| checks.parsed(Name::parse("name", n, NAME_MAX)));
        let tier = required(&mut checks, "tier", &r.tier).copied();
        let code = checks.optional_text("code", r.code.as_deref(), CODE_MAX);
        let address = checks.optional_text("address", r.address.as_deref(), ADDRESS_MAX);
        let zone_id = match &r.zone_sourced_id {
            Some(z) => sync.reference(RESOURCE, index, "zone_sourced_id", Kind::Zone, z).await?.map(|z| z.id),
            None => None,
        };
        let clean = sync.absorb(RESOURCE, index, checks, &[]) && sync.errors.len() == errors_before;
        let (Some(name), Some(tier), true) = (name, tier, clean) else {
            continue;
        };
        let name = name.into_string();
        let unique =
            check_unique(sync.txn, sync.district_id(), Some(&name), code.as_deref(), current.as_ref().map(|c| c.id))
                .await;
        if !sync.conflict_of(RESOURCE, index, unique)? {
            continue;
        }
        let saved = match current {
            Some(c)
                if c.name == name
                    && c.tier == tier
                    && c.code == code
                    && c.address == address
                    && c.zone_id == zone_id
                    && c.archived_at.is_none() =>
            {
                counts.unchanged += 1;
                c
            }
            Some(c) => {
                if c.zone_id != zone_id {
                    release_zone_lead(sync.txn, c.id).await?;
                }
                let mut active = c.into_active_model();
                active.name = Set(name);
                active.tier = Set(tier);
                active.code = Set(code);
                active.address = Set(address);
                active.zone_id = Set(zone_id);
                active.archived_at = Set(None);
                active.updated_at = Set(sync.now);
                counts.updated += 1;
                active.update(sync.txn).await?
            }
            None => {
                counts.created += 1;
                school::ActiveModel {
                    district_id: Set(sync.district_id()),
                    zone_id: Set(zone_id),
                    name: Set(name),
                    tier: Set(tier),
                    code: Set(code),
                    address: Set(address),
                    sourced_id: Set(Some(r.sourced_id.clone())),
                    created_at: Set(sync.now),
                    updated_at: Set(sync.now),
                    archived_at: Set(None),
                    ..Default::default()
                }
                .insert(sync.txn)
                .await?
            }
        };
        sync.refs.remember(Kind::School, &r.sourced_id, reference(&saved));
    }
    Ok(())
}

/// Archives the schools of `tobedeleted` records, after the batch archived their teachers and
/// groups; a school that live teachers or groups still belong to stays.
pub async fn archive(sync: &mut Sync<'_>, records: &[SyncSchool], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let gone = tombstones(records, ok, |r| r.status, |r| r.sourced_id.as_str());
    let ids: Vec<&str> = gone.iter().map(|(_, id)| *id).collect();
    let existing = existing(sync, &ids).await?;
    for (index, current) in sync.rows_to_archive(RESOURCE, "school", &gone, existing, |s| Some(reference(s)), counts) {
        let live_teachers = teacher::Entity::find()
            .filter(teacher::Column::SchoolId.eq(current.id))
            .filter(teacher::Column::ArchivedAt.is_null())
            .count(sync.txn)
            .await?;
        let live_groups = group::Entity::find()
            .filter(group::Column::SchoolId.eq(current.id))
            .filter(group::Column::ArchivedAt.is_null())
            .count(sync.txn)
            .await?;
        if live_teachers + live_groups > 0 {
            sync.fail(
                RESOURCE,
                index,
                "status",
                format!(
                    "{live_teachers} teachers and {live_groups} groups still belong to this school; archive them first"
                ),
            );
            continue;
        }
        release_zone_lead(sync.txn, current.id).await?;
        mark_archived(sync.txn, current).await?;
        counts.archived += 1;
    }
    Ok(())
}
