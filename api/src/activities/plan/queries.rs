//! The database side of `GET /activities`: the caller's activities matching a filter, sorted.

use entities::enums::{ActivityStatus, ActivityType};
use entities::{activity, activity_lesson, activity_participant, school};
use sea_orm::{ColumnTrait, Condition, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select};

use super::views::ActivityFilter;
use crate::activities::access::visible_activities;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::resource::text_contains;
use crate::validate::comma_list;

/// The activities `actor` sees that match `f`, in the order `f.sort` asks for (not paged).
pub fn activities_matching(actor: &Actor, f: &ActivityFilter) -> DomainResult<Select<activity::Entity>> {
    let mut cond = Condition::all().add(visible_activities(actor));
    let statuses: Vec<ActivityStatus> = parse_codes(f.status.as_deref(), "status")?;
    let types: Vec<ActivityType> = parse_codes(f.activity_type.as_deref(), "activity_type")?;
    if !statuses.is_empty() {
        cond = cond.add(activity::Column::Status.is_in(statuses));
    }
    if !types.is_empty() {
        cond = cond.add(activity::Column::ActivityType.is_in(types));
    }
    if let Some(s) = f.semester_id {
        cond = cond.add(activity::Column::SemesterId.eq(s));
    }
    if let Some(k) = f.organiser_kind {
        cond = cond.add(activity::Column::OrganiserKind.eq(k));
    }
    if let Some(g) = f.group_id {
        cond = cond.add(activity::Column::GroupId.eq(g));
    }
    if let Some(s) = f.school_id {
        cond =
            cond.add(Condition::any().add(activity::Column::SchoolId.eq(s)).add(activity::Column::HostSchoolId.eq(s)));
    }
    if let Some(z) = f.zone_id {
        let schools_of_zone =
            school::Entity::find().select_only().column(school::Column::Id).filter(school::Column::ZoneId.eq(z));
        cond = cond.add(
            Condition::any()
                .add(activity::Column::ZoneId.eq(z))
                .add(activity::Column::SchoolId.in_subquery(schools_of_zone.into_query())),
        );
    }
    if let Some(p) = f.pairing_id {
        cond = cond.add(activity::Column::PairingId.eq(p));
    }
    if let Some(slot) = f.slot_id {
        cond = cond.add(activity::Column::SlotId.eq(slot));
    }
    if let Some(m) = f.modality {
        cond = cond.add(activity::Column::Modality.eq(m));
    }
    if let Some(t) = f.teacher_id {
        let teaches = activity_lesson::Entity::find()
            .select_only()
            .column(activity_lesson::Column::ActivityId)
            .filter(activity_lesson::Column::TeacherId.eq(t));
        let listed = activity_participant::Entity::find()
            .select_only()
            .column(activity_participant::Column::ActivityId)
            .filter(activity_participant::Column::TeacherId.eq(t));
        cond = cond.add(
            Condition::any()
                .add(activity::Column::LeadSpeakerTeacherId.eq(t))
                .add(activity::Column::Id.in_subquery(teaches.into_query()))
                .add(activity::Column::Id.in_subquery(listed.into_query())),
        );
    }
    if let Some(d) = f.date_from {
        cond = cond.add(activity::Column::Date.gte(d));
    }
    if let Some(d) = f.date_to {
        cond = cond.add(activity::Column::Date.lte(d));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(text_contains(activity::Column::Title, q))
                .add(text_contains(activity::Column::Topic, q)),
        );
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(activity::Column::ArchivedAt.is_null());
    }
    sort_activities(activity::Entity::find().filter(cond), f.sort.as_deref())
}

/// Parses a comma list of enumeration codes; an unknown code is a 422 on `field`.
fn parse_codes<T: serde::de::DeserializeOwned>(value: Option<&str>, field: &str) -> DomainResult<Vec<T>> {
    comma_list(value)
        .into_iter()
        .map(|code| {
            serde_json::from_value(serde_json::Value::String(code.clone()))
                .map_err(|_| DomainError::invalid(field, format!("unknown value {code:?}")))
        })
        .collect()
}

/// `date` orders by day then start time (then id); the others by their column then id.
fn sort_activities(select: Select<activity::Entity>, sort: Option<&str>) -> DomainResult<Select<activity::Entity>> {
    let sort = sort.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("id");
    let (name, order) = match sort.strip_prefix('-') {
        Some(name) => (name, Order::Desc),
        None => (sort, Order::Asc),
    };
    let select = match name {
        "date" => select
            .order_by(activity::Column::Date, order.clone())
            .order_by(activity::Column::StartTime, order.clone())
            .order_by(activity::Column::StartPeriod, order),
        "created_at" => select.order_by(activity::Column::CreatedAt, order),
        "title" => select.order_by(activity::Column::Title, order),
        "id" => select.order_by(activity::Column::Id, order),
        _ => {
            return Err(DomainError::invalid(
                "sort",
                "must be one of date, created_at, title, id (prefix - for descending)",
            ))
        }
    };
    Ok(select.order_by(activity::Column::Id, Order::Asc))
}
