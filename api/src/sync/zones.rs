//! Zones (片区) by sourced_id. A zone's lead school may be a school of the same batch, and schools
//! name their zone, so zones are written in two passes: the zone itself before the schools, its
//! lead school after them.

use std::collections::HashMap;

use entities::{school, zone};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::batch::{ids_of, load_by_sourced_id, required, Sourced, Sync};
use super::records::SyncZone;
use super::refs::{Kind, Ref};
use super::write::{archive as archive_row, live_rows, write};
use super::{Counts, Written};
use crate::domain::names::Name;
use crate::domain::DomainResult;
use crate::resource::ensure_unique;
use crate::validate::Checks;

const RESOURCE: &str = "zones";
const NAME_MAX: usize = 100;

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> DomainResult<HashMap<String, zone::Model>> {
    load_by_sourced_id::<zone::Entity>(sync.txn, zone::Column::SourcedId, ids, |z| z.sourced_id.as_deref()).await
}

/// Zones and schools are both OneRoster orgs, which share one namespace of sourced_ids.
pub async fn org_ids_taken_by_schools(sync: &Sync<'_>, ids: &[&str]) -> DomainResult<HashMap<String, school::Model>> {
    load_by_sourced_id::<school::Entity>(sync.txn, school::Column::SourcedId, ids, |s| s.sourced_id.as_deref()).await
}

/// First pass: creates, updates or restores every active zone record (all but its lead school).
/// Returns what happened to each record, by index.
pub async fn upsert(
    sync: &mut Sync<'_>,
    active: &[Sourced<'_, SyncZone>],
    counts: &mut Counts,
) -> DomainResult<HashMap<usize, Written>> {
    let ids = ids_of(active);
    let mut existing = existing(sync, &ids).await?;
    let schools = org_ids_taken_by_schools(sync, &ids).await?;
    let mut written = HashMap::new();
    for Sourced { index, id, record: r } in active {
        let index = *index;
        let current = existing.remove(id.as_str());
        if current.as_ref().is_some_and(|c| !sync.owns(RESOURCE, index, "zone", c.into())) {
            continue;
        }
        if schools.contains_key(id.as_str()) {
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
        let unchanged = current.as_ref().is_some_and(|c| c.name == name && c.archived_at.is_none());
        let new = zone::ActiveModel {
            district_id: Set(sync.district_id()),
            lead_school_id: Set(None),
            sourced_id: Set(Some(id.as_str().to_string())),
            ..Default::default()
        };
        let (saved, state) = write(sync, current, unchanged, new, |z| z.name = Set(name), counts).await?;
        written.insert(index, state);
        sync.refs.remember(Kind::Zone, id.as_str(), Ref::from(&saved));
    }
    Ok(written)
}

/// Second pass, after the schools: each written zone's lead school (a live school of the
/// district). A zone unchanged so far that gets a new lead school counts as updated.
pub async fn set_lead_schools(
    sync: &mut Sync<'_>,
    active: &[Sourced<'_, SyncZone>],
    written: &HashMap<usize, Written>,
    counts: &mut Counts,
) -> DomainResult<()> {
    for Sourced { index, id, record: r } in active {
        let index = *index;
        let Some(state) = written.get(&index) else { continue };
        let lead = match &r.lead_school_sourced_id {
            Some(s) => match sync.reference(RESOURCE, index, "lead_school_sourced_id", Kind::School, s).await? {
                Some(found) => Some(found.id),
                None => continue,
            },
            None => None,
        };
        let Some(zone_ref) = sync.refs.get(sync.txn, Kind::Zone, id.as_str()).await? else { continue };
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
pub async fn archive(sync: &mut Sync<'_>, gone: &[Sourced<'_, SyncZone>], counts: &mut Counts) -> DomainResult<()> {
    let existing = existing(sync, &ids_of(gone)).await?;
    for (index, current) in sync.rows_to_archive(RESOURCE, "zone", gone, existing, |z| Some(z.into()), counts) {
        let live_schools = live_rows::<school::Entity>(sync, school::Column::ZoneId, current.id).await?;
        if sync.still_used(
            RESOURCE,
            index,
            live_schools,
            "live schools still belong to this zone; move or archive them first",
        ) {
            continue;
        }
        archive_row(sync, current, counts).await?;
    }
    Ok(())
}
