//! The due days of collective preparations (集体备课) as all-day events of the feeds: the lead's
//! draft (`UID:preparation-<id>-draft@jiaoyan`, on its due day) and the co-preparers' revision
//! notes (`UID:preparation-<id>-notes@jiaoyan`, due by the session day). A teacher's feed shows
//! the draft of the preparations they lead and the notes of those they co-prepare; a group's feed
//! both, for all its live preparations. `DTSTAMP` is the preparation's `updated_at`.

use chrono::{Duration, NaiveDate};
use entities::enums::PreparationRole;
use entities::{preparation, preparation_participant};
use icalendar::{Component, Event, EventLike, EventStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

use crate::domain::DomainResult;
use crate::groups::access::today;

/// Which due day of a preparation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Draft,
    Notes,
}

/// The all-day event of one due day.
pub fn event(p: &preparation::Model, due: Due) -> Event {
    let (key, day, summary) = match due {
        Due::Draft => ("draft", p.draft_due_on, format!("初备截止 draft due:《{}》", p.lesson_title)),
        Due::Notes => ("notes", p.session_on, format!("一度调整截止 notes due:《{}》", p.lesson_title)),
    };
    let mut e = Event::new();
    e.uid(&format!("preparation-{}-{key}@jiaoyan", p.id));
    e.timestamp(p.updated_at);
    e.last_modified(p.updated_at);
    e.summary(&summary);
    e.starts(day).ends(day.succ_opt().unwrap_or(NaiveDate::MAX));
    e.description(&format!("集体备课 {} {}年级; 集中研讨 session: {}", p.subject, p.grade, p.session_on));
    e.status(EventStatus::Confirmed);
    e.done()
}

fn live(of: Condition, history_days: i64) -> sea_orm::Select<preparation::Entity> {
    preparation::Entity::find()
        .filter(of)
        .filter(preparation::Column::ArchivedAt.is_null())
        .filter(preparation::Column::SessionOn.gte(today() - Duration::days(history_days)))
        .order_by_asc(preparation::Column::SessionOn)
        .order_by_asc(preparation::Column::Id)
}

/// A teacher's due days: drafts as lead, notes as co-preparer.
pub async fn of_teacher(db: &impl ConnectionTrait, teacher_id: i64, history_days: i64) -> DomainResult<Vec<Event>> {
    let co_prepares = preparation_participant::Entity::find()
        .select_only()
        .column(preparation_participant::Column::PreparationId)
        .filter(preparation_participant::Column::TeacherId.eq(teacher_id))
        .filter(preparation_participant::Column::Role.eq(PreparationRole::CoPreparer))
        .into_query();
    let of = Condition::any()
        .add(preparation::Column::LeadTeacherId.eq(teacher_id))
        .add(preparation::Column::Id.in_subquery(co_prepares));
    let found = live(of, history_days).all(db).await?;
    Ok(found.iter().map(|p| event(p, if p.lead_teacher_id == teacher_id { Due::Draft } else { Due::Notes })).collect())
}

/// A group's due days: both of each live preparation.
pub async fn of_group(db: &impl ConnectionTrait, group_id: i64, history_days: i64) -> DomainResult<Vec<Event>> {
    let found = live(Condition::all().add(preparation::Column::GroupId.eq(group_id)), history_days).all(db).await?;
    Ok(found.iter().flat_map(|p| [event(p, Due::Draft), event(p, Due::Notes)]).collect())
}
