//! Zones (片区) by sourced_id. A zone's lead school may be a school of the same batch, and schools
//! name their zone, so zones are written in two passes: the zone itself before the schools, its
//! lead school after them.

use std::collections::HashMap;

use entities::{school, zone};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};

use super::batch::{load_by_sourced_id, required, split, tombstones, Sync};
use super::records::SyncZone;
use super::refs::{Kind, Ref};
use super::{Counts, Written};
use crate::domain::names::Name;
use crate::error::ApiResult;
use crate::resource::{ensure_unique, mark_archived};
use crate::validate::Checks;

const RESOURCE: &str = "zones";
const NAME_MAX: usize = 100;

fn reference(z: &zone::Model) -> Ref {
    Ref { id: z.id, district_id: z.district_id, school_id: None, live: z.archived_at.is_none() }
}

/// Zones and schools are both OneRoster orgs, which share one namespace of sourced_ids.
pub async fn org_ids_taken_by_schools(sync: &Sync<'_>, ids: &[&str]) -> ApiResult<HashMap<String, school::Model>> {
    load_by_sourced_id::<school::Entity>(sync.txn, school::Column::SourcedId, ids, |s| s.sourced_id.as_deref()).await
}

/// First pass: creates, updates or restores every active zone record (all but its lead school).
/// Returns what happened to each record, by index.
pub async fn upsert(
    sync: &mut Sync<'_>,
    records: &[SyncZone],
    ok: &[bool],
    counts: &mut Counts,
) -> ApiResult<HashMap<usize, Written>> {
    let (active, _) = split(records, ok, |r| r.status);
    let ids: Vec<&str> = active.iter().map(|(_, r)| r.sourced_id.as_str()).collect();
    let mut existing =
        load_by_sourced_id::<zone::Entity>(sync.txn, zone::Column::SourcedId, &ids, |z| z.sourced_id.as_deref())
            .await?;
    let schools = org_ids_taken_by_schools(sync, &ids).await?;
    let mut written = HashMap::new();
    for (index, r) in active {
        let current = existing.remove(&r.sourced_id);
        if current.as_ref().is_some_and(|c| !sync.owns(RESOURCE, index, "zone", reference(c))) {
            continue;
        }
        if schools.contains_key(&r.sourced_id) {
            sync.fail(RESOURCE, index, "sourced_id", "is the sourced_id of a school (zones and schools are both orgs)");
            continue;
        }
        let mut checks = Checks::new();
        let name = required(&mut checks, "name", &r.name).and_then(|n| checks.parsed(Name::parse("name", n, NAME_MAX)));
        let (true, Some(name)) = (sync.absorb(RESOURCE, index, checks, &[]), name) else {
            continue;
        };
        let name = name.into_string();
        let taken = zone::Entity::find()
            .filter(zone::Column::DistrictId.eq(sync.district_id()))
            .filter(zone::Column::Name.eq(name.as_str()));
        let unique = ensure_unique(
            sync.txn,
            taken,
            zone::Column::Id,
            current.as_ref().map(|c| c.id),
            "name",
            format!("the district already has a zone named {name}"),
        )
        .await;
        if !sync.conflict_of(RESOURCE, index, unique)? {
            continue;
        }
        let saved = match current {
            Some(c) if c.name == name && c.archived_at.is_none() => {
                counts.unchanged += 1;
                written.insert(index, Written::Unchanged);
                c
            }
            Some(c) => {
                let mut active = c.into_active_model();
                active.name = Set(name);
                active.archived_at = Set(None);
                active.updated_at = Set(sync.now);
                counts.updated += 1;
                written.insert(index, Written::Updated);
                active.update(sync.txn).await?
            }
            None => {
                counts.created += 1;
                written.insert(index, Written::Created);
                zone::ActiveModel {
                    district_id: Set(sync.district_id()),
                    name: Set(name),
                    lead_school_id: Set(None),
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
        sync.refs.remember(Kind::Zone, &r.sourced_id, reference(&saved));
    }
    Ok(written)
}

/// Second pass, after the schools: each written zone's lead school (a live school of the
/// district). A zone unchanged so far that gets a new lead school counts as updated.
pub async fn set_lead_schools(
    sync: &mut Sync<'_>,
    records: &[SyncZone],
    written: &HashMap<usize, Written>,
    counts: &mut Counts,
) -> ApiResult<()> {
    for (index, r) in records.iter().enumerate() {
        let Some(state) = written.get(&index) else { continue };
        let lead = match &r.lead_school_sourced_id {
            Some(s) => match sync.reference(RESOURCE, index, "lead_school_sourced_id", Kind::School, s).await? {
                Some(found) => Some(found.id),
                None => continue,
            },
            None => None,
        };
        let Some(zone_ref) = sync.refs.get(sync.txn, Kind::Zone, &r.sourced_id).await? else { continue };
        let Some(row) = zone::Entity::find_by_id(zone_ref.id).one(sync.txn).await? else { continue };
        if row.lead_school_id == lead {
            continue;
        }
        if *state == Written::Unchanged {
            counts.unchanged -= 1;
            counts.updated += 1;
        }
        let mut active = row.into_active_model();
        active.lead_school_id = Set(lead);
        active.updated_at = Set(sync.now);
        active.update(sync.txn).await?;
    }
    Ok(())
}

/// Archives the zones of `tobedeleted` records; a zone that live schools still belong to stays.
pub async fn archive(sync: &mut Sync<'_>, records: &[SyncZone], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let gone = tombstones(records, ok, |r| r.status, |r| r.sourced_id.as_str());
    let ids: Vec<&str> = gone.iter().map(|(_, id)| *id).collect();
    let existing =
        load_by_sourced_id::<zone::Entity>(sync.txn, zone::Column::SourcedId, &ids, |z| z.sourced_id.as_deref())
            .await?;
    for (index, current) in sync.rows_to_archive(RESOURCE, "zone", &gone, existing, |z| Some(reference(z)), counts) {
        let live_schools = school::Entity::find()
            .filter(school::Column::ZoneId.eq(current.id))
            .filter(school::Column::ArchivedAt.is_null())
            .count(sync.txn)
            .await?;
        if sync.still_used(
            RESOURCE,
            index,
            live_schools,
            "live schools still belong to this zone; move or archive them first",
        ) {
            continue;
        }
        mark_archived(sync.txn, current).await?;
        counts.archived += 1;
    }
    Ok(())
}
