//! Groups by sourced_id: a school's research and lesson-prep groups, or (no school) the
//! district's teams. A record may name a parent group created earlier in the same batch.

use std::collections::HashMap;

use entities::enums::GroupKind;
use entities::group;
use sea_orm::Set;

use super::batch::{ids_of, load_by_sourced_id, required, Sourced, Sync};
use super::records::SyncGroup;
use super::refs::{Kind, Ref};
use super::write::{archive as archive_row, live_rows, write};
use super::Counts;
use crate::domain::DomainResult;
use crate::groups::groups::checks::{check_kind_keeps_children, check_leader, check_parent, check_unique_name};
use crate::validate::Checks;

const RESOURCE: &str = "groups";
/// The shared checks name our ids; the record names sourced ids.
const RENAMES: &[(&str, &str)] = &[("parent_id", "parent_sourced_id"), ("leader_teacher_id", "leader_sourced_id")];

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> DomainResult<HashMap<String, group::Model>> {
    load_by_sourced_id::<group::Entity>(sync.txn, group::Column::SourcedId, ids, |g| g.sourced_id.as_deref()).await
}

/// A group as a record wants it.
struct Wanted {
    kind: GroupKind,
    school_id: Option<i64>,
    name: String,
    subject: Option<String>,
    description: Option<String>,
    parent_id: Option<i64>,
    leader_teacher_id: Option<i64>,
}

async fn wanted(
    sync: &mut Sync<'_>,
    index: usize,
    r: &SyncGroup,
    current: Option<&group::Model>,
) -> DomainResult<Option<Wanted>> {
    let errors_before = sync.errors.len();
    let mut checks = Checks::new();
    let kind = required(&mut checks, "kind", &r.kind).copied();
    let name = required(&mut checks, "name", &r.name).map(|n| checks.text("name", n, 100));
    let subject = checks.optional_text("subject", r.subject.as_deref(), 32);
    let description = checks.optional_text("description", r.description.as_deref(), 2000);
    let school_id = match (kind, &r.school_sourced_id) {
        (Some(GroupKind::DistrictTeam), Some(_)) => {
            checks.fail("school_sourced_id", "must be absent for a district team");
            None
        }
        (Some(GroupKind::DistrictTeam), None) => {
            if !sync.reaches(None) {
                checks.fail("kind", "district teams are synced by callers with the whole district");
            }
            None
        }
        (Some(_), None) => {
            checks.fail("school_sourced_id", "is required unless the group is a district team");
            None
        }
        (_, Some(s)) => sync.reference(RESOURCE, index, "school_sourced_id", Kind::School, s).await?.map(|s| s.id),
        (None, None) => None,
    };
    let (Some(kind), Some(name), true) = (kind, name, sync.errors.len() == errors_before && checks.is_empty()) else {
        sync.absorb(RESOURCE, index, checks, RENAMES);
        return Ok(None);
    };
    let district_id = sync.district_id();
    let parent_id = match &r.parent_sourced_id {
        Some(p) => match sync.reference(RESOURCE, index, "parent_sourced_id", Kind::Group, p).await? {
            Some(parent) => {
                check_parent(sync.txn, district_id, school_id, kind, current.map(|c| c.id), parent.id, &mut checks)
                    .await?;
                Some(parent.id)
            }
            None => None,
        },
        None => None,
    };
    let leader_teacher_id = match &r.leader_sourced_id {
        Some(t) => match sync.reference(RESOURCE, index, "leader_sourced_id", Kind::Teacher, t).await? {
            Some(leader) => {
                check_leader(sync.txn, district_id, school_id, leader.id, &mut checks).await?;
                Some(leader.id)
            }
            None => None,
        },
        None => None,
    };
    if let Some(c) = current.filter(|c| c.kind != kind) {
        check_kind_keeps_children(sync.txn, c.id, kind, &mut checks).await?;
    }
    if !sync.absorb(RESOURCE, index, checks, RENAMES) || sync.errors.len() > errors_before {
        return Ok(None);
    }
    let unique = check_unique_name(sync.txn, district_id, school_id, &name, current.map(|c| c.id)).await;
    if !sync.conflict_of(RESOURCE, index, unique)? {
        return Ok(None);
    }
    Ok(Some(Wanted { kind, school_id, name, subject, description, parent_id, leader_teacher_id }))
}

fn same(c: &group::Model, w: &Wanted, r: &SyncGroup) -> bool {
    c.kind == w.kind
        && c.school_id == w.school_id
        && c.name == w.name
        && c.subject == w.subject
        && c.grade_band == r.grade_band
        && c.parent_id == w.parent_id
        && c.leader_teacher_id == w.leader_teacher_id
        && c.description == w.description
        && c.archived_at.is_none()
}

/// Creates, updates or restores every active group record, in the order given.
pub async fn upsert(sync: &mut Sync<'_>, active: &[Sourced<'_, SyncGroup>], counts: &mut Counts) -> DomainResult<()> {
    let mut existing = existing(sync, &ids_of(active)).await?;
    let schools: Vec<&str> = active.iter().filter_map(|s| s.record.school_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::School, &schools).await?;
    let leaders: Vec<&str> = active.iter().filter_map(|s| s.record.leader_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::Teacher, &leaders).await?;
    for Sourced { index, id, record: r } in active {
        let index = *index;
        let current = existing.remove(id.as_str());
        if current.as_ref().is_some_and(|c| !sync.owns(RESOURCE, index, "group", c.into())) {
            continue;
        }
        let Some(w) = wanted(sync, index, r, current.as_ref()).await? else { continue };
        let unchanged = current.as_ref().is_some_and(|c| same(c, &w, r));
        let new = group::ActiveModel {
            district_id: Set(sync.district_id()),
            sourced_id: Set(Some(id.as_str().to_string())),
            ..Default::default()
        };
        let fill = |g: &mut group::ActiveModel| {
            g.kind = Set(w.kind);
            g.school_id = Set(w.school_id);
            g.name = Set(w.name);
            g.subject = Set(w.subject);
            g.grade_band = Set(r.grade_band);
            g.parent_id = Set(w.parent_id);
            g.leader_teacher_id = Set(w.leader_teacher_id);
            g.description = Set(w.description);
        };
        let (saved, _) = write(sync, current, unchanged, new, fill, counts).await?;
        sync.refs.remember(Kind::Group, id.as_str(), Ref::from(&saved));
    }
    Ok(())
}

/// Archives the groups of `tobedeleted` records. Sub-groups go first whatever their order in the
/// batch; a group that live sub-groups outside the batch still belong to stays.
pub async fn archive(sync: &mut Sync<'_>, gone: &[Sourced<'_, SyncGroup>], counts: &mut Counts) -> DomainResult<()> {
    let existing = existing(sync, &ids_of(gone)).await?;
    let mut pending = sync.rows_to_archive(RESOURCE, "group", gone, existing, |g| Some(g.into()), counts);
    // Each round archives the groups without live sub-groups; stop when a round archives none.
    loop {
        let mut blocked = Vec::new();
        let tried = pending.len();
        for (index, c) in std::mem::take(&mut pending) {
            let live_children = live_rows::<group::Entity>(sync, group::Column::ParentId, c.id).await?;
            if live_children > 0 {
                blocked.push((index, c, live_children));
            } else {
                archive_row(sync, c, counts).await?;
            }
        }
        if blocked.is_empty() || blocked.len() == tried {
            for (index, _, n) in blocked {
                sync.fail(RESOURCE, index, "status", format!("{n} live sub-groups still belong to this group"));
            }
            return Ok(());
        }
        pending = blocked.into_iter().map(|(i, c, _)| (i, c)).collect();
    }
}
