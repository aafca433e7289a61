//! Schools by sourced_id (whole-district callers only: a school belongs to the district).

use std::collections::HashMap;

use entities::{group, school, teacher, zone};
use sea_orm::Set;

use super::batch::{ids_of, load_by_sourced_id, required, Sourced, Sync};
use super::records::SyncSchool;
use super::refs::{Kind, Ref};
use super::write::{archive as archive_row, live_rows, write};
use super::Counts;
use crate::domain::names::Name;
use crate::domain::DomainResult;
use crate::org::schools::{check_unique, release_zone_lead, ADDRESS_MAX, CODE_MAX, NAME_MAX};
use crate::validate::Checks;

const RESOURCE: &str = "schools";

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> DomainResult<HashMap<String, school::Model>> {
    load_by_sourced_id::<school::Entity>(sync.txn, school::Column::SourcedId, ids, |s| s.sourced_id.as_deref()).await
}

/// Creates, updates or restores every active school record.
pub async fn upsert(sync: &mut Sync<'_>, active: &[Sourced<'_, SyncSchool>], counts: &mut Counts) -> DomainResult<()> {
    let ids = ids_of(active);
    let mut existing = existing(sync, &ids).await?;
    let zones =
        load_by_sourced_id::<zone::Entity>(sync.txn, zone::Column::SourcedId, &ids, |z| z.sourced_id.as_deref())
            .await?;
    for Sourced { index, id, record: r } in active {
        let index = *index;
        let current = existing.remove(id.as_str());
        if current.as_ref().is_some_and(|c| !sync.owns(RESOURCE, index, "school", c.into())) {
            continue;
        }
        if zones.contains_key(id.as_str()) {
            sync.fail(RESOURCE, index, "sourced_id", "is the sourced_id of a zone (zones and schools are both orgs)");
            continue;
        }
        let errors_before = sync.errors.len();
        let mut checks = Checks::new();
        let name = required(&mut checks, "name", &r.name).and_then(|n| checks.parsed(Name::parse("name", n, NAME_MAX)));
        let tier = required(&mut checks, "tier", &r.tier).copied();
        let code = checks.optional_text("code", r.code.as_deref(), CODE_MAX);
        let address = checks.optional_text("address", r.address.as_deref(), ADDRESS_MAX);
        let zone = r.zone_sourced_id.as_deref();
        let zone_id =
            sync.optional_reference(RESOURCE, index, "zone_sourced_id", Kind::Zone, zone).await?.map(|z| z.id);
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
        let unchanged = current.as_ref().is_some_and(|c| {
            c.name == name
                && c.tier == tier
                && c.code == code
                && c.address == address
                && c.zone_id == zone_id
                && c.archived_at.is_none()
        });
        if let Some(c) = current.as_ref().filter(|c| !unchanged && c.zone_id != zone_id) {
            release_zone_lead(sync.txn, c.id).await?;
        }
        let new = school::ActiveModel {
            district_id: Set(sync.district_id()),
            sourced_id: Set(Some(id.as_str().to_string())),
            ..Default::default()
        };
        let fill = |s: &mut school::ActiveModel| {
            s.name = Set(name);
            s.tier = Set(tier);
            s.code = Set(code);
            s.address = Set(address);
            s.zone_id = Set(zone_id);
        };
        let (saved, _) = write(sync, current, unchanged, new, fill, counts).await?;
        sync.refs.remember(Kind::School, id.as_str(), Ref::from(&saved));
    }
    Ok(())
}

/// Archives the schools of `tobedeleted` records, after the batch archived their teachers and
/// groups; a school that live teachers or groups still belong to stays.
pub async fn archive(sync: &mut Sync<'_>, gone: &[Sourced<'_, SyncSchool>], counts: &mut Counts) -> DomainResult<()> {
    let existing = existing(sync, &ids_of(gone)).await?;
    for (index, current) in sync.rows_to_archive(RESOURCE, "school", gone, existing, |s| Some(s.into()), counts) {
        let live_teachers = live_rows::<teacher::Entity>(sync, teacher::Column::SchoolId, current.id).await?;
        let live_groups = live_rows::<group::Entity>(sync, group::Column::SchoolId, current.id).await?;
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
        archive_row(sync, current, counts).await?;
    }
    Ok(())
}
