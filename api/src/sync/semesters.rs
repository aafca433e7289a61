//! Semesters (学期) by sourced_id (whole-district callers only). The first teaching week starts on
//! the Monday of the start date, unless the semester keeps its start date and an administrator
//! set another week 1 in the API.

use std::collections::HashMap;

use entities::{research_topic, semester};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::batch::{ids_of, load_by_sourced_id, required, Sourced, Sync};
use super::records::SyncSemester;
use super::refs::Ref;
use super::write::{archive as archive_row, live_rows, write};
use super::Counts;
use crate::domain::DomainResult;
use crate::org::calendar::{self, Holiday};
use crate::org::semesters::{check_calendar, holidays_json, NAME_MAX};
use crate::resource::ensure_unique;
use crate::validate::Checks;

const RESOURCE: &str = "semesters";

async fn existing(sync: &Sync<'_>, ids: &[&str]) -> DomainResult<HashMap<String, semester::Model>> {
    load_by_sourced_id::<semester::Entity>(sync.txn, semester::Column::SourcedId, ids, |s| s.sourced_id.as_deref())
        .await
}

/// A semester belongs to its district (no school).
fn reference(s: &semester::Model) -> Ref {
    Ref { id: s.id, district_id: s.district_id, school_id: None, live: s.archived_at.is_none() }
}

/// Creates, updates or restores every active semester record.
pub async fn upsert(
    sync: &mut Sync<'_>,
    active: &[Sourced<'_, SyncSemester>],
    counts: &mut Counts,
) -> DomainResult<()> {
    let mut existing = existing(sync, &ids_of(active)).await?;
    for Sourced { index, id, record: r } in active {
        let index = *index;
        let current = existing.remove(id.as_str());
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
        let unchanged = current.as_ref().is_some_and(|c| {
            c.name == name
                && c.school_year == school_year
                && c.start_date == start
                && c.end_date == end
                && stored_holidays(c) == holidays
                && c.archived_at.is_none()
        });
        let new = semester::ActiveModel {
            district_id: Set(sync.district_id()),
            sourced_id: Set(Some(id.as_str().to_string())),
            ..Default::default()
        };
        let fill = |s: &mut semester::ActiveModel| {
            s.name = Set(name);
            s.school_year = Set(school_year);
            s.start_date = Set(start);
            s.end_date = Set(end);
            s.week1_start = Set(week1_start);
            s.holidays = Set(holidays_value);
        };
        write(sync, current, unchanged, new, fill, counts).await?;
    }
    Ok(())
}

fn stored_holidays(s: &semester::Model) -> Vec<Holiday> {
    serde_json::from_value(s.holidays.clone()).unwrap_or_default()
}

/// Archives the semesters of `tobedeleted` records; one that live research topics still belong
/// to stays.
pub async fn archive(sync: &mut Sync<'_>, gone: &[Sourced<'_, SyncSemester>], counts: &mut Counts) -> DomainResult<()> {
    let existing = existing(sync, &ids_of(gone)).await?;
    for (index, current) in sync.rows_to_archive(RESOURCE, "semester", gone, existing, |s| Some(reference(s)), counts) {
        let live_topics =
            live_rows::<research_topic::Entity>(sync, research_topic::Column::SemesterId, current.id).await?;
        if sync.still_used(RESOURCE, index, live_topics, "live research topics still belong to this semester") {
            continue;
        }
        archive_row(sync, current, counts).await?;
    }
    Ok(())
}
