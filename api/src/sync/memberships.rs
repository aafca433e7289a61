//! Memberships of groups by sourced_id. The teacher must belong to the group's school (to the
//! group's district, for a district team), and has at most one live membership of a group.

use std::collections::HashMap;

use entities::enums::MemberRole;
use entities::{group, group_membership};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::batch::{load_by_sourced_id, required, split, tombstones, Sync, CHUNK};
use super::records::SyncMembership;
use super::refs::{Kind, Ref};
use super::Counts;
use crate::error::ApiResult;
use crate::groups::members::check_single_live;
use crate::resource::mark_archived;
use crate::validate::Checks;

const RESOURCE: &str = "memberships";

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> ApiResult<HashMap<String, group_membership::Model>> {
    load_by_sourced_id::<group_membership::Entity>(sync.txn, group_membership::Column::SourcedId, ids, |m| {
        m.sourced_id.as_deref()
    })
    .await
}

/// The group of each existing membership, for its district and school.
async fn groups_of(
    sync: &Sync<'_>,
    memberships: &HashMap<String, group_membership::Model>,
) -> ApiResult<HashMap<i64, Ref>> {
    let ids: Vec<i64> = memberships.values().map(|m| m.group_id).collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for g in group::Entity::find().filter(group::Column::Id.is_in(chunk.iter().copied())).all(sync.txn).await? {
            out.insert(g.id, Ref { id: g.id, district_id: g.district_id, school_id: g.school_id, live: true });
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
    records: &[SyncMembership],
    ok: &[bool],
    counts: &mut Counts,
) -> ApiResult<()> {
    let (active, _) = split(records, ok, |r| r.status);
    let ids: Vec<&str> = active.iter().map(|(_, r)| r.sourced_id.as_str()).collect();
    let mut existing = existing(sync, &ids).await?;
    let groups = groups_of(sync, &existing).await?;
    let group_ids: Vec<&str> = active.iter().filter_map(|(_, r)| r.group_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::Group, &group_ids).await?;
    let teacher_ids: Vec<&str> = active.iter().filter_map(|(_, r)| r.teacher_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::Teacher, &teacher_ids).await?;
    for (index, r) in active {
        let current = existing.remove(&r.sourced_id);
        if current.as_ref().is_some_and(|c| !owns(sync, index, c, &groups)) {
            continue;
        }
        let errors_before = sync.errors.len();
        let mut checks = Checks::new();
        let group_sid = required(&mut checks, "group_sourced_id", &r.group_sourced_id);
        let teacher_sid = required(&mut checks, "teacher_sourced_id", &r.teacher_sourced_id);
        let group = match group_sid {
            Some(g) => sync.reference(RESOURCE, index, "group_sourced_id", Kind::Group, g).await?,
            None => None,
        };
        let teacher = match teacher_sid {
            Some(t) => sync.reference(RESOURCE, index, "teacher_sourced_id", Kind::Teacher, t).await?,
            None => None,
        };
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
            if !sync.conflict_of(RESOURCE, index, single.map_err(|e| rename_teacher_field(e.into())))? {
                continue;
            }
        }
        match current {
            Some(c)
                if c.group_id == group.id
                    && c.teacher_id == teacher.id
                    && c.role == role
                    && c.since == since
                    && c.until == r.until
                    && c.archived_at.is_none() =>
            {
                counts.unchanged += 1;
            }
            Some(c) => {
                let mut active = c.into_active_model();
                active.group_id = Set(group.id);
                active.teacher_id = Set(teacher.id);
                active.role = Set(role);
                active.since = Set(since);
                active.until = Set(r.until);
                active.archived_at = Set(None);
                active.updated_at = Set(sync.now);
                active.update(sync.txn).await?;
                counts.updated += 1;
            }
            None => {
                group_membership::ActiveModel {
                    group_id: Set(group.id),
                    teacher_id: Set(teacher.id),
                    role: Set(role),
                    since: Set(since),
                    until: Set(r.until),
                    sourced_id: Set(Some(r.sourced_id.clone())),
                    created_at: Set(sync.now),
                    updated_at: Set(sync.now),
                    archived_at: Set(None),
                    ..Default::default()
                }
                .insert(sync.txn)
                .await?;
                counts.created += 1;
            }
        }
    }
    Ok(())
}

/// The shared check names `teacher_id`; the record names `teacher_sourced_id`.
fn rename_teacher_field(e: crate::error::ApiError) -> crate::error::ApiError {
    match e {
        crate::error::ApiError::Conflict { detail, field: Some(f) } if f == "teacher_id" => {
            crate::error::ApiError::Conflict { detail, field: Some("teacher_sourced_id".into()) }
        }
        other => other,
    }
}

/// Archives the memberships of `tobedeleted` records.
pub async fn archive(
    sync: &mut Sync<'_>,
    records: &[SyncMembership],
    ok: &[bool],
    counts: &mut Counts,
) -> ApiResult<()> {
    let gone = tombstones(records, ok, |r| r.status, |r| r.sourced_id.as_str());
    let ids: Vec<&str> = gone.iter().map(|(_, id)| *id).collect();
    let existing = existing(sync, &ids).await?;
    let groups = groups_of(sync, &existing).await?;
    let reference =
        |m: &group_membership::Model| groups.get(&m.group_id).map(|g| Ref { live: m.archived_at.is_none(), ..*g });
    for (_, current) in sync.rows_to_archive(RESOURCE, "membership", &gone, existing, reference, counts) {
        mark_archived(sync.txn, current).await?;
        counts.archived += 1;
    }
    Ok(())
}
