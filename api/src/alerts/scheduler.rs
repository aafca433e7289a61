//! The time-driven events, produced by a tick of the served application every
//! `JIAOYAN_ALERTS_TICK_MS` on the service's clock (`JIAOYAN_TODAY` fixes its date in tests):
//!
//! - `at_risk_digest`: once a week (the first tick of each ISO week), per subscription, who is
//!   at risk or short on which rule ([`super::digest`]);
//! - `deadlines_coming`: once a day, record tasks, preparation drafts and activity summaries due
//!   from today to `JIAOYAN_ALERTS_DEADLINE_DAYS` ahead and not yet handed in;
//! - `summary_overdue`: once a day, activity summaries past their due date (within the last
//!   [`OVERDUE_LOOKBACK_DAYS`] days) and not submitted.
//!
//! Each is keyed by its period and the subscription (`deadlines_coming:2026-11-20/sub:3`): a tick
//! repeated, or run by two replicas at once, enqueues it once (the outbox's unique key). An event
//! with nothing to say is not sent, so a later tick of the same day may still send it.

use chrono::{Datelike, Duration, NaiveDate};
use entities::enums::ActivityStatus;
use entities::{activity, alert_outbox, alert_subscription, preparation, record_task};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::outbox::{enqueue, Event};
use super::rules::{events_of, EventKind};
use crate::clock::{today, Clock};
use crate::domain::DomainResult;
use crate::state::AppState;

/// How far back an unsubmitted summary still counts as overdue.
pub const OVERDUE_LOOKBACK_DAYS: i64 = 60;
/// Lines of a list in one message.
const LINES: usize = 30;

/// Runs [`tick`] every `tick_ms` on `clock` until the application stops; `None` when 0.
///
/// Each tick runs on a blocking thread of the runtime (`Handle::block_on`), one after the other:
/// the quota check's future (the digest) is not `Send`, so it cannot be spawned on the pool, and
/// its connections stay the runtime's own. Aborting the task stops the ticks after the current one.
pub fn spawn(
    state: actix_web::web::Data<AppState>,
    clock: Clock,
    tick_ms: u64,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    if tick_ms == 0 {
        return Ok(None);
    }
    let runtime = tokio::runtime::Handle::current();
    Ok(Some(tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_millis(tick_ms));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let (state, clock, runtime) = (state.clone(), clock.clone(), runtime.clone());
            let ticked =
                tokio::task::spawn_blocking(move || runtime.block_on(crate::clock::scope(clock, tick(&state)))).await;
            match ticked {
                Ok(Err(e)) => tracing::warn!(error = %e, "alerts: the scheduler's tick failed"),
                Err(e) => tracing::warn!(error = %e, "alerts: the scheduler's tick panicked"),
                Ok(Ok(_)) => {}
            }
        }
    })))
}

/// One tick: every time-driven event of every live, active subscription that wants it and has
/// not had it for the period. Returns the messages enqueued.
pub async fn tick(state: &AppState) -> DomainResult<u64> {
    let db = &state.db;
    let day = today();
    let subscriptions = alert_subscription::Entity::find()
        .filter(alert_subscription::Column::Active.eq(true))
        .filter(alert_subscription::Column::ArchivedAt.is_null())
        .order_by_asc(alert_subscription::Column::Id)
        .all(db)
        .await?;
    let mut enqueued = 0;
    for s in &subscriptions {
        let wanted = events_of(&s.events);
        let mut events = Vec::new();
        if wanted.contains(&EventKind::AtRiskDigest) {
            let week = day.iso_week();
            let key = format!("at_risk_digest:{}-W{:02}", week.year(), week.week());
            if !already(db, &key, s.id).await? {
                events.extend(super::digest::digest(state, s, day, key).await?);
            }
        }
        if wanted.contains(&EventKind::DeadlinesComing) {
            let key = format!("deadlines_coming:{day}");
            if !already(db, &key, s.id).await? {
                let until = day + Duration::days(i64::from(state.settings.alerts.deadline_days));
                events.extend(deadlines(db, s, day, until, key).await?);
            }
        }
        if wanted.contains(&EventKind::SummaryOverdue) {
            let key = format!("summary_overdue:{day}");
            if !already(db, &key, s.id).await? {
                events.extend(overdue(db, s, day, key).await?);
            }
        }
        for event in events {
            let txn = crate::db::begin_write(db).await?;
            enqueued += enqueue(&txn, s.id, &event).await?;
            txn.commit().await?;
        }
    }
    Ok(enqueued)
}

/// Whether the event of `key` was already enqueued for the subscription (so as not to compute it
/// again; the unique key decides anyway).
async fn already(db: &DatabaseConnection, key: &str, subscription_id: i64) -> DomainResult<bool> {
    let found = alert_outbox::Entity::find()
        .filter(alert_outbox::Column::IdempotencyKey.eq(format!("{key}/sub:{subscription_id}")))
        .count(db)
        .await?;
    Ok(found > 0)
}

/// The rows of a table the subscription's owner covers: the district's, the school's (and, for
/// rows without a school, none), the group's.
fn owned(
    s: &alert_subscription::Model,
    district: impl ColumnTrait,
    school: impl ColumnTrait,
    group: impl ColumnTrait,
) -> Condition {
    let mut c = Condition::all().add(district.eq(s.district_id));
    match s.scope.as_str() {
        "school" => c = c.add(school.eq(s.school_id.unwrap_or(-1))),
        "group" => c = c.add(group.eq(s.group_id.unwrap_or(-1))),
        _ => {}
    }
    c
}

fn event(s: &alert_subscription::Model, kind: EventKind, key: String, title: String, lines: Vec<String>) -> Event {
    let total = lines.len();
    let mut body: Vec<String> = lines.iter().take(LINES).cloned().collect();
    if total > LINES {
        body.push(format!("- ……另有 {} 项 (and {} more)", total - LINES, total - LINES));
    }
    Event {
        kind,
        key,
        district_id: s.district_id,
        school_id: s.school_id,
        teacher_id: None,
        title,
        body: body.join("\n"),
        data: json!({"subscription_id": s.id, "items": total, "lines": lines}),
    }
}

/// Record tasks, preparation drafts and activity summaries due in `[day, until]`, not handed in.
async fn deadlines(
    db: &DatabaseConnection,
    s: &alert_subscription::Model,
    day: NaiveDate,
    until: NaiveDate,
    key: String,
) -> DomainResult<Option<Event>> {
    use activity::Column as A;
    use preparation::Column as P;
    use record_task::Column as R;
    let mut lines = Vec::new();
    let tasks = record_task::Entity::find()
        .filter(owned(s, R::DistrictId, R::SchoolId, R::GroupId))
        .filter(R::ArchivedAt.is_null())
        .filter(R::DueOn.between(day, until))
        .order_by_asc(R::DueOn)
        .all(db)
        .await?;
    lines.extend(tasks.iter().map(|t| format!("- {} 截止 (due) · 任务 (record task)：{}", t.due_on, t.title)));
    let drafts = preparation::Entity::find()
        .filter(owned(s, P::DistrictId, P::SchoolId, P::GroupId))
        .filter(P::ArchivedAt.is_null())
        .filter(P::DraftSubmittedOn.is_null())
        .filter(P::DraftDueOn.between(day, until))
        .order_by_asc(P::DraftDueOn)
        .all(db)
        .await?;
    lines.extend(
        drafts
            .iter()
            .map(|p| format!("- {} 截止 (due) · 集体备课初稿 (preparation draft)：{}", p.draft_due_on, p.lesson_title)),
    );
    let summaries = activity::Entity::find()
        .filter(owned(s, A::DistrictId, A::SchoolId, A::GroupId))
        .filter(A::ArchivedAt.is_null())
        .filter(A::Status.ne(ActivityStatus::Cancelled))
        .filter(A::SummarySubmittedAt.is_null())
        .filter(A::SummaryDueOn.between(day, until))
        .order_by_asc(A::SummaryDueOn)
        .all(db)
        .await?;
    lines.extend(summaries.iter().map(|a| {
        format!("- {} 截止 (due) · 活动简报 (activity summary)：{}", a.summary_due_on.unwrap_or(day), a.title)
    }));
    if lines.is_empty() {
        return Ok(None);
    }
    let title = format!("近期截止事项 (deadlines coming) {day} – {until}：{} 项", lines.len());
    Ok(Some(event(s, EventKind::DeadlinesComing, key, title, lines)))
}

/// Activity summaries due before `day` (within the look-back) and not submitted.
async fn overdue(
    db: &DatabaseConnection,
    s: &alert_subscription::Model,
    day: NaiveDate,
    key: String,
) -> DomainResult<Option<Event>> {
    use activity::Column as A;
    let since = day - Duration::days(OVERDUE_LOOKBACK_DAYS);
    let late = activity::Entity::find()
        .filter(owned(s, A::DistrictId, A::SchoolId, A::GroupId))
        .filter(A::ArchivedAt.is_null())
        .filter(A::Status.ne(ActivityStatus::Cancelled))
        .filter(A::SummarySubmittedAt.is_null())
        .filter(A::SummaryDueOn.gte(since))
        .filter(A::SummaryDueOn.lt(day))
        .order_by_asc(A::SummaryDueOn)
        .all(db)
        .await?;
    let lines: Vec<String> = late
        .iter()
        .map(|a| {
            let due = a.summary_due_on.unwrap_or(day);
            format!(
                "- {}：简报应于 {due} 提交，已逾期 {} 天 (summary overdue by {} days)",
                a.title,
                (day - due).num_days(),
                (day - due).num_days()
            )
        })
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    let title = format!("活动简报逾期 (overdue activity summaries)：{} 项", lines.len());
    Ok(Some(event(s, EventKind::SummaryOverdue, key, title, lines)))
}
