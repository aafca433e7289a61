//! Memberships of groups by sourced_id. The teacher must belong to the group's school (to the
//! group's district, for a district team), and has at most one live membership of a group.

use std::collections::HashMap;

use entities::enums::MemberRole;
use entities::{group, group_membership};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::batch::{ids_of, load_by_sourced_id, required, Sourced, Sync, CHUNK};
use super::records::SyncMembership;
use super::refs::{Kind, Ref};
use super::write::{archive as archive_row, write};
use super::Counts;
use crate::domain::{DomainError, DomainResult};
use crate::groups::members::check_single_live;
use crate::validate::Checks;

const RESOURCE: &str = "memberships";

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> DomainResult<HashMap<String, group_membership::Model>> {
    load_by_sourced_id::<group_membership::Entity>(sync.txn, group_membership::Column::SourcedId, ids, |m| {
        m.sourced_id.as_deref()
    })
    .await
}

/// The group of each existing membership, for its district and school.
async fn groups_of(
    sync: &Sync<'_>,
    memberships: &HashMap<String, group_membership::Model>,
) -> DomainResult<HashMap<i64, Ref>> {
    let ids: Vec<i64> = memberships.values().map(|m| m.group_id).collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for g in group::Entity::find().filter(group::Column::Id.is_in(chunk.iter().copied())).all(sync.txn).await? {
            out.insert(g.id, Ref { live: true, ..Ref::from(&g) });
        }
    }
    Ok(out)
}

/// An existing membership is the caller's when its group is.
fn owns(sync: &mut Sync<'_>, index: usize, m: &group_membership::Model, groups: &HashMap<i64, Ref>) -> bool {
    match groups.get(&m.group_id) {
        Some(g) => sync.owns(RESOURCE, index, "membership", *g),
        None => {
            sync.fail(RESOURCE, index, "sourced_id", "is the sourced_id of a membership whose group is gone");
            false
        }
    }
}

/// Creates, updates or restores every active membership record.
pub async fn upsert(
    sync: &mut Sync<'_>,
    active: &[Sourced<'_, SyncMembership>],
    counts: &mut Counts,
) -> DomainResult<()> {
    let mut existing = existing(sync, &ids_of(active)).await?;
    let groups = groups_of(sync, &existing).await?;
    let group_ids: Vec<&str> = active.iter().filter_map(|s| s.record.group_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::Group, &group_ids).await?;
    let teacher_ids: Vec<&str> = active.iter().filter_map(|s| s.record.teacher_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::Teacher, &teacher_ids).await?;
    for Sourced { index, id, record: r } in active {
        let index = *index;
        let current = existing.remove(id.as_str());
        if current.as_ref().is_some_and(|c| !owns(sync, index, c, &groups)) {
            continue;
        }
        let errors_before = sync.errors.len();
        let mut checks = Checks::new();
        let group_sid = required(&mut checks, "group_sourced_id", &r.group_sourced_id).map(String::as_str);
        let teacher_sid = required(&mut checks, "teacher_sourced_id", &r.teacher_sourced_id).map(String::as_str);
        let group = sync.optional_reference(RESOURCE, index, "group_sourced_id", Kind::Group, group_sid).await?;
        let teacher =
            sync.optional_reference(RESOURCE, index, "teacher_sourced_id", Kind::Teacher, teacher_sid).await?;
        if let (Some(g), Some(t)) = (group, teacher) {
            let fits = match g.school_id {
                Some(school) => t.school_id == Some(school),
                None => t.district_id == g.district_id,
            };
            let where_ = if g.school_id.is_some() { "the group's school" } else { "the group's district" };
            checks.ensure(fits, "teacher_sourced_id", format!("the teacher is not in {where_}"));
        }
        let since = r.since.or(current.as_ref().map(|c| c.since)).unwrap_or(sync.today);
        checks.ensure(r.until.is_none_or(|u| u >= since), "until", "must not be before since");
        let clean = sync.absorb(RESOURCE, index, checks, &[]) && sync.errors.len() == errors_before;
        let (Some(group), Some(teacher), true) = (group, teacher, clean) else {
            continue;
        };
        let role = r.role.unwrap_or(MemberRole::Member);
        let ends_in_past = r.until.is_some_and(|u| u < sync.today);
        if !ends_in_past {
            let single = check_single_live(sync.txn, group.id, teacher.id, current.as_ref().map(|c| c.id)).await;
            if !sync.conflict_of(RESOURCE, index, single.map_err(rename_teacher_field))? {
                continue;
            }
        }
        let unchanged = current.as_ref().is_some_and(|c| {
            c.group_id == group.id
                && c.teacher_id == teacher.id
                && c.role == role
                && c.since == since
                && c.until == r.until
                && c.archived_at.is_none()
        });
        let new =
            group_membership::ActiveModel { sourced_id: Set(Some(id.as_str().to_string())), ..Default::default() };
        let fill = |m: &mut group_membership::ActiveModel| {
            m.group_id = Set(group.id);
            m.teacher_id = Set(teacher.id);
            m.role = Set(role);
            m.since = Set(since);
            m.until = Set(r.until);
        };
        write(sync, current, unchanged, new, fill, counts).await?;
    }
    Ok(())
}

/// The shared check names `teacher_id`; the record names `teacher_sourced_id`.
fn rename_teacher_field(e: DomainError) -> DomainError {
    match e {
        DomainError::Conflict { detail, field: Some(f) } if f == "teacher_id" => {
            DomainError::Conflict { detail, field: Some("teacher_sourced_id".into()) }
        }
        other => other,
    }
}

/// Archives the memberships of `tobedeleted` records.
pub async fn archive(
    sync: &mut Sync<'_>,
    gone: &[Sourced<'_, SyncMembership>],
    counts: &mut Counts,
) -> DomainResult<()> {
    let existing = existing(sync, &ids_of(gone)).await?;
    let groups = groups_of(sync, &existing).await?;
    let reference =
        |m: &group_membership::Model| groups.get(&m.group_id).map(|g| Ref { live: m.archived_at.is_none(), ..*g });
    for (_, current) in sync.rows_to_archive(RESOURCE, "membership", gone, existing, reference, counts) {
        archive_row(sync, current, counts).await?;
    }
    Ok(())
}
