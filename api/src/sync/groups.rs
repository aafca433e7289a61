//! Groups by sourced_id: a school's research and lesson-prep groups, or (no school) the
//! district's teams. A record may name a parent group created earlier in the same batch.

use std::collections::HashMap;

use entities::enums::GroupKind;
use entities::group;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};

use super::batch::{load_by_sourced_id, required, split, tombstones, Sync};
use super::records::SyncGroup;
use super::refs::{Kind, Ref};
use super::Counts;
use crate::error::ApiResult;
use crate::groups::groups::checks::{check_kind_keeps_children, check_leader, check_parent, check_unique_name};
use crate::resource::mark_archived;
use crate::validate::Checks;

const RESOURCE: &str = "groups";
/// The shared checks name our ids; the record names sourced ids.
const RENAMES: &[(&str, &str)] = &[("parent_id", "parent_sourced_id"), ("leader_teacher_id", "leader_sourced_id")];

fn reference(g: &group::Model) -> Ref {
    Ref { id: g.id, district_id: g.district_id, school_id: g.school_id, live: g.archived_at.is_none() }
}

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> ApiResult<HashMap<String, group::Model>> {
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
) -> ApiResult<Option<Wanted>> {
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
pub async fn upsert(sync: &mut Sync<'_>, records: &[SyncGroup], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let (active, _) = split(records, ok, |r| r.status);
    let ids: Vec<&str> = active.iter().map(|(_, r)| r.sourced_id.as_str()).collect();
    let mut existing = existing(sync, &ids).await?;
    let schools: Vec<&str> = active.iter().filter_map(|(_, r)| r.school_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::School, &schools).await?;
    let leaders: Vec<&str> = active.iter().filter_map(|(_, r)| r.leader_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::Teacher, &leaders).await?;
    for (index, r) in active {
        let current = existing.remove(&r.sourced_id);
        if current.as_ref().is_some_and(|c| !sync.owns(RESOURCE, index, "group", reference(c))) {
            continue;
        }
        let Some(w) = wanted(sync, index, r, current.as_ref()).await? else { continue };
        let saved = match current {
            Some(c) if same(&c, &w, r) => {
                counts.unchanged += 1;
                c
            }
            Some(c) => {
                let mut active = c.into_active_model();
                active.kind = Set(w.kind);
                active.school_id = Set(w.school_id);
                active.name = Set(w.name);
                active.subject = Set(w.subject);
                active.grade_band = Set(r.grade_band);
                active.parent_id = Set(w.parent_id);
                active.leader_teacher_id = Set(w.leader_teacher_id);
                active.description = Set(w.description);
                active.archived_at = Set(None);
                active.updated_at = Set(sync.now);
                counts.updated += 1;
                active.update(sync.txn).await?
            }
            None => {
                counts.created += 1;
                group::ActiveModel {
                    district_id: Set(sync.district_id()),
                    school_id: Set(w.school_id),
                    kind: Set(w.kind),
                    name: Set(w.name),
                    subject: Set(w.subject),
                    grade_band: Set(r.grade_band),
                    parent_id: Set(w.parent_id),
                    leader_teacher_id: Set(w.leader_teacher_id),
                    description: Set(w.description),
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
        sync.refs.remember(Kind::Group, &r.sourced_id, reference(&saved));
    }
    Ok(())
}

/// Archives the groups of `tobedeleted` records. Sub-groups go first whatever their order in the
/// batch; a group that live sub-groups outside the batch still belong to stays.
pub async fn archive(sync: &mut Sync<'_>, records: &[SyncGroup], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let gone = tombstones(records, ok, |r| r.status, |r| r.sourced_id.as_str());
    let ids: Vec<&str> = gone.iter().map(|(_, id)| *id).collect();
    let existing = existing(sync, &ids).await?;
    let mut pending = sync.rows_to_archive(RESOURCE, "group", &gone, existing, |g| Some(reference(g)), counts);
    // Each round archives the groups without live sub-groups; stop when a round archives none.
    loop {
        let mut blocked = Vec::new();
        let tried = pending.len();
        for (index, c) in std::mem::take(&mut pending) {
            let live_children = group::Entity::find()
                .filter(group::Column::ParentId.eq(c.id))
                .filter(group::Column::ArchivedAt.is_null())
                .count(sync.txn)
                .await?;
            if live_children > 0 {
                blocked.push((index, c, live_children));
            } else {
                mark_archived(sync.txn, c).await?;
                counts.archived += 1;
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
