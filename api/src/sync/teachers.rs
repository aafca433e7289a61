//! Teachers by sourced_id (the teacher's `external_id`), in bulk: the existing rows, their lists
//! and the schools named are loaded a few queries per 500 records, and a teacher is written only
//! when the record differs from it (lists included), so a re-sent batch writes nothing.

use std::collections::HashMap;

use entities::enums::{EmploymentType, TeacherStatus};
use entities::teacher;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use super::batch::{load_by_sourced_id, required, split, tombstones, Sync, CHUNK};
use super::records::SyncTeacher;
use super::refs::{districts_of_schools, Kind, Ref};
use super::Counts;
use crate::domain::names::PersonName;
use crate::error::ApiResult;
use crate::people::teachers::queries::{insert_lists, load_children, move_accounts, replace_lists, Lists};
use crate::people::teachers::rules;
use crate::people::teachers::views::{Children, Honour};
use crate::resource::mark_archived;
use crate::validate::Checks;

const RESOURCE: &str = "teachers";

/// The existing teachers of the records, by sourced_id, with the district of each.
async fn existing(sync: &Sync<'_>, ids: &[&str]) -> ApiResult<(HashMap<String, teacher::Model>, HashMap<i64, i64>)> {
    let rows =
        load_by_sourced_id::<teacher::Entity>(sync.txn, teacher::Column::ExternalId, ids, |t| t.external_id.as_deref())
            .await?;
    let districts = districts_of_schools(sync.txn, rows.values().map(|t| t.school_id)).await?;
    Ok((rows, districts))
}

fn reference(t: &teacher::Model, districts: &HashMap<i64, i64>) -> Ref {
    Ref {
        id: t.id,
        district_id: districts.get(&t.school_id).copied().unwrap_or_default(),
        school_id: Some(t.school_id),
        live: t.archived_at.is_none(),
    }
}

/// A teacher as a record wants it.
struct Wanted {
    school_id: i64,
    name: String,
    children: Children,
}

/// Checks one record; `None` when it is bad (the errors are recorded).
async fn wanted(sync: &mut Sync<'_>, index: usize, r: &SyncTeacher) -> ApiResult<Option<Wanted>> {
    let errors_before = sync.errors.len();
    let today = sync.today;
    let mut checks = Checks::new();
    let name = required(&mut checks, "name", &r.name).and_then(|n| checks.parsed(PersonName::parse("name", n)));
    let school = required(&mut checks, "school_sourced_id", &r.school_sourced_id);
    let birth_ok = r.birth_date.is_none_or(|b| rules::check_birth_date(&mut checks, b, today));
    let start_ok = r.teaching_start_year.is_none_or(|y| rules::check_start_year(&mut checks, y, today));
    if let (Some(birth), Some(start), true, true) = (r.birth_date, r.teaching_start_year, birth_ok, start_ok) {
        rules::check_start_after_birth(&mut checks, start, birth, "teaching_start_year");
    }
    let children = Children {
        subjects: rules::clean_subjects(&mut checks, &r.subjects),
        grades: rules::clean_grades(&mut checks, &r.grades),
        posts: rules::clean_posts(&mut checks, &r.posts),
        honours: rules::clean_honours(&mut checks, &r.honours, today),
    };
    let school_id = match school {
        Some(s) => sync.reference(RESOURCE, index, "school_sourced_id", Kind::School, s).await?.map(|s| s.id),
        None => None,
    };
    let clean = sync.absorb(RESOURCE, index, checks, &[]) && sync.errors.len() == errors_before;
    let (Some(school_id), Some(name), true) = (school_id, name, clean) else {
        return Ok(None);
    };
    Ok(Some(Wanted { school_id, name: name.into_string(), children }))
}

fn same_row(c: &teacher::Model, w: &Wanted, r: &SyncTeacher) -> bool {
    c.school_id == w.school_id
        && c.name == w.name
        && c.gender == r.gender
        && c.birth_date == r.birth_date
        && c.teaching_start_year == r.teaching_start_year
        && c.degree == r.degree
        && c.employment_type == r.employment_type.unwrap_or(EmploymentType::Permanent)
        && c.professional_title == r.professional_title
        && c.status == r.teacher_status.unwrap_or(TeacherStatus::Active)
        && c.archived_at.is_none()
}

/// The lists that differ from the stored ones (`None`: keep). Honours are compared as sets: the
/// store orders them by year.
fn changed_lists(stored: &Children, wanted: Children) -> Lists {
    let same_honours = |a: &[Honour], b: &[Honour]| a.len() == b.len() && a.iter().all(|h| b.contains(h));
    Lists {
        subjects: (stored.subjects != wanted.subjects).then_some(wanted.subjects),
        grades: (stored.grades != wanted.grades).then_some(wanted.grades),
        posts: (stored.posts != wanted.posts).then_some(wanted.posts),
        honours: (!same_honours(&stored.honours, &wanted.honours)).then_some(wanted.honours),
    }
}

fn lists_unchanged(l: &Lists) -> bool {
    l.subjects.is_none() && l.grades.is_none() && l.posts.is_none() && l.honours.is_none()
}

/// Creates, updates, moves or restores every active teacher record.
pub async fn upsert(sync: &mut Sync<'_>, records: &[SyncTeacher], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let (active, _) = split(records, ok, |r| r.status);
    let ids: Vec<&str> = active.iter().map(|(_, r)| r.sourced_id.as_str()).collect();
    let (mut existing, districts) = existing(sync, &ids).await?;
    let schools: Vec<&str> = active.iter().filter_map(|(_, r)| r.school_sourced_id.as_deref()).collect();
    sync.refs.preload(sync.txn, Kind::School, &schools).await?;
    let existing_ids: Vec<i64> = existing.values().map(|t| t.id).collect();
    let mut stored_children = HashMap::new();
    for chunk in existing_ids.chunks(CHUNK) {
        stored_children.extend(load_children(sync.txn, chunk).await?);
    }
    // The lists of new teachers, written together after the loop.
    let mut new_lists = Vec::new();
    for (index, r) in active {
        let current = existing.remove(&r.sourced_id);
        if current.as_ref().is_some_and(|c| !sync.owns(RESOURCE, index, "teacher", reference(c, &districts))) {
            continue;
        }
        let Some(w) = wanted(sync, index, r).await? else { continue };
        let saved = match current {
            Some(c) => {
                let row_unchanged = same_row(&c, &w, r);
                let lists = changed_lists(&stored_children.remove(&c.id).unwrap_or_default(), w.children);
                if row_unchanged && lists_unchanged(&lists) {
                    counts.unchanged += 1;
                    continue;
                }
                let moved = c.school_id != w.school_id;
                let saved = if row_unchanged {
                    c
                } else {
                    let mut active = c.into_active_model();
                    active.school_id = Set(w.school_id);
                    active.name = Set(w.name);
                    active.gender = Set(r.gender);
                    active.birth_date = Set(r.birth_date);
                    active.teaching_start_year = Set(r.teaching_start_year);
                    active.degree = Set(r.degree);
                    active.employment_type = Set(r.employment_type.unwrap_or(EmploymentType::Permanent));
                    active.professional_title = Set(r.professional_title);
                    active.status = Set(r.teacher_status.unwrap_or(TeacherStatus::Active));
                    active.archived_at = Set(None);
                    active.updated_at = Set(sync.now);
                    active.update(sync.txn).await?
                };
                replace_lists(sync.txn, saved.id, lists).await?;
                if moved {
                    move_accounts(sync.txn, saved.id, saved.school_id, sync.district_id(), sync.now).await?;
                }
                counts.updated += 1;
                saved
            }
            None => {
                let saved = teacher::ActiveModel {
                    school_id: Set(w.school_id),
                    name: Set(w.name),
                    gender: Set(r.gender),
                    birth_date: Set(r.birth_date),
                    teaching_start_year: Set(r.teaching_start_year),
                    degree: Set(r.degree),
                    employment_type: Set(r.employment_type.unwrap_or(EmploymentType::Permanent)),
                    professional_title: Set(r.professional_title),
                    status: Set(r.teacher_status.unwrap_or(TeacherStatus::Active)),
                    external_id: Set(Some(r.sourced_id.clone())),
                    created_at: Set(sync.now),
                    updated_at: Set(sync.now),
                    archived_at: Set(None),
                    ..Default::default()
                }
                .insert(sync.txn)
                .await?;
                new_lists.push((saved.id, w.children));
                counts.created += 1;
                saved
            }
        };
        let r_ref = Ref { id: saved.id, district_id: sync.district_id(), school_id: Some(saved.school_id), live: true };
        sync.refs.remember(Kind::Teacher, &r.sourced_id, r_ref);
    }
    Ok(insert_lists(sync.txn, new_lists).await?)
}

/// Archives the teachers of `tobedeleted` records.
pub async fn archive(sync: &mut Sync<'_>, records: &[SyncTeacher], ok: &[bool], counts: &mut Counts) -> ApiResult<()> {
    let gone = tombstones(records, ok, |r| r.status, |r| r.sourced_id.as_str());
    let ids: Vec<&str> = gone.iter().map(|(_, id)| *id).collect();
    let (existing, districts) = existing(sync, &ids).await?;
    let reference = |t: &teacher::Model| Some(reference(t, &districts));
    for (_, current) in sync.rows_to_archive(RESOURCE, "teacher", &gone, existing, reference, counts) {
        mark_archived(sync.txn, current).await?;
        counts.archived += 1;
    }
    Ok(())
}
