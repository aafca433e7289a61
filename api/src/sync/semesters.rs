//! Semesters (学期) by sourced_id (whole-district callers only). The first teaching week starts on
//! the Monday of the start date, unless the semester keeps its start date and an administrator
//! set another week 1 in the API.

use std::collections::HashMap;

use entities::{research_topic, semester};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set};

use super::batch::{load_by_sourced_id, required, split, tombstones, Sync};
use super::records::SyncSemester;
use super::refs::Ref;
use super::Counts;
use crate::error::ApiResult;
use crate::org::calendar::{self, Holiday};
use crate::org::semesters::{check_calendar, holidays_json, NAME_MAX};
use crate::resource::{ensure_unique, mark_archived};
use crate::validate::Checks;

const RESOURCE: &str = "semesters";

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> ApiResult<HashMap<String, semester::Model>> {
    load_by_sourced_id::<semester::Entity>(sync.txn, semester::Column::SourcedId, ids, |s| s.sourced_id.as_deref())
        .await
}

/// A semester belongs to its district (no school).
fn reference(s: &semester::Model) -> Ref {
    Ref { id: s.id, district_id: s.district_id, school_id: None, live: s.archived_at.is_none() }
}

/// Creates, updates or restores every active semester record.
pub async fn upsert(sync: &mut Sync<'_>, records: &[SyncSemester], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let (active, _) = split(records, ok, |r| r.status);
    let ids: Vec<&str> = active.iter().map(|(_, r)| r.sourced_id.as_str()).collect();
    let mut existing = existing(sync, &ids).await?;
    for (index, r) in active {
        let current = existing.remove(&r.sourced_id);
        if current.as_ref().is_some_and(|c| !sync.owns(RESOURCE, index, "semester", reference(c))) {
            continue;
        }
        let mut checks = Checks::new();
        let name = required(&mut checks, "name", &r.name).map(|n| checks.text("name", n, NAME_MAX));
        let school_year = required(&mut checks, "school_year", &r.school_year).map(|y| y.trim().to_string());
        let start = required(&mut checks, "start_date", &r.start_date).copied();
        let end = required(&mut checks, "end_date", &r.end_date).copied();
        let (Some(name), Some(school_year), Some(start), Some(end)) = (name, school_year, start, end) else {
            sync.absorb(RESOURCE, index, checks, &[]);
            continue;
        };
        let week1_start = match &current {
            Some(c) if c.start_date == start => c.week1_start,
            _ => calendar::monday_of(start),
        };
        let holidays = check_calendar(&mut checks, &school_year, start, end, week1_start, r.holidays.clone());
        if !sync.absorb(RESOURCE, index, checks, &[]) {
            continue;
        }
        let taken = semester::Entity::find()
            .filter(semester::Column::DistrictId.eq(sync.district_id()))
            .filter(semester::Column::Name.eq(name.as_str()));
        let unique = ensure_unique(
            sync.txn,
            taken,
            semester::Column::Id,
            current.as_ref().map(|c| c.id),
            "name",
            format!("the district already has a semester named {name}"),
        )
        .await;
        if !sync.conflict_of(RESOURCE, index, unique)? {
            continue;
        }
        let holidays_value = holidays_json(&holidays)?;
        match current {
            Some(c)
                if c.name == name
                    && c.school_year == school_year
                    && c.start_date == start
                    && c.end_date == end
                    && stored_holidays(&c) == holidays
                    && c.archived_at.is_none() =>
            {
                counts.unchanged += 1;
            }
            Some(c) => {
                let mut active = c.into_active_model();
                active.name = Set(name);
                active.school_year = Set(school_year);
                active.start_date = Set(start);
                active.end_date = Set(end);
                active.week1_start = Set(week1_start);
                active.holidays = Set(holidays_value);
                active.archived_at = Set(None);
                active.updated_at = Set(sync.now);
                active.update(sync.txn).await?;
                counts.updated += 1;
            }
            None => {
                semester::ActiveModel {
                    district_id: Set(sync.district_id()),
                    name: Set(name),
                    school_year: Set(school_year),
                    start_date: Set(start),
                    end_date: Set(end),
                    week1_start: Set(week1_start),
                    holidays: Set(holidays_value),
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

fn stored_holidays(s: &semester::Model) -> Vec<Holiday> {
    serde_json::from_value(s.holidays.clone()).unwrap_or_default()
}

/// Archives the semesters of `tobedeleted` records; one that live research topics still belong
/// to stays.
pub async fn archive(sync: &mut Sync<'_>, records: &[SyncSemester], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let gone = tombstones(records, ok, |r| r.status, |r| r.sourced_id.as_str());
    let ids: Vec<&str> = gone.iter().map(|(_, id)| *id).collect();
    let existing = existing(sync, &ids).await?;
    for (index, current) in sync.rows_to_archive(RESOURCE, "semester", &gone, existing, |s| Some(reference(s)), counts)
    {
        let live_topics = research_topic::Entity::find()
            .filter(research_topic::Column::SemesterId.eq(current.id))
            .filter(research_topic::Column::ArchivedAt.is_null())
            .count(sync.txn)
            .await?;
        if sync.still_used(RESOURCE, index, live_topics, "live research topics still belong to this semester") {
            continue;
        }
        mark_archived(sync.txn, current).await?;
        counts.archived += 1;
    }
    Ok(())
}
