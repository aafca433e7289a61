//! `/alert-subscriptions`: extract, call, respond. School administrators manage their school's
//! and its groups' subscriptions, district administrators the district's (and every one of the
//! district); the delivery log and the test message belong to the same people.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::{alert_outbox, alert_subscription};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::outbox::{enqueue, Event};
use super::queries::{deliveries_of, load_subscription, messages, resolve_owner, subscriptions_matching};
use super::rules::{check_url, events_to_text, AlertChannel, EventKind};
use super::views::*;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

const NAME_MAX: usize = 100;
const URL_MAX: usize = 2000;
const SECRET_MAX: usize = 500;
/// A webhook's HMAC key is at least this long.
const WEBHOOK_SECRET_MIN: usize = 16;

/// Checks the URL, the secret and the events of a subscription as they would be saved.
fn check_target(
    checks: &mut Checks,
    channel: AlertChannel,
    url: &str,
    secret: Option<&str>,
    events: &[EventKind],
    allow_http_localhost: bool,
) {
    if url.chars().count() > URL_MAX {
        checks.fail("url", format!("must be at most {URL_MAX} characters"));
    } else {
        checks.parsed(check_url(url, channel, allow_http_localhost));
    }
    match (channel, secret) {
        (AlertChannel::Wecom, Some(_)) => {
            checks.fail("secret", "a WeCom robot has no secret: its key is in the URL");
        }
        (AlertChannel::Webhook, None) => checks.fail("secret", "a webhook needs a secret to sign its bodies"),
        (AlertChannel::Webhook, Some(s)) if s.chars().count() < WEBHOOK_SECRET_MIN => {
            checks.fail("secret", format!("must be at least {WEBHOOK_SECRET_MIN} characters"));
        }
        _ => {}
    }
    if secret.is_some_and(|s| s.chars().count() > SECRET_MAX) {
        checks.fail("secret", format!("must be at most {SECRET_MAX} characters"));
    }
    checks.ensure(!events.is_empty(), "events", "must name at least one event");
    checks.ensure(!events.contains(&EventKind::Test), "events", "test messages are sent by hand, not subscribed to");
}

/// List the alert subscriptions the caller manages (school and district administrators).
#[utoipa::path(tag = "alerts", params(AlertSubscriptionFilter),
    responses((status = 200, description = "A page of subscriptions", body = Page<AlertSubscriptionView>),
        (status = 403, description = "The caller's role manages no subscriptions", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/alert-subscriptions")]
pub(super) async fn list_alert_subscriptions(
    state: State,
    actor: Actor,
    filter: Query<AlertSubscriptionFilter>,
) -> ApiResult<web::Json<Page<AlertSubscriptionView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = subscriptions_matching(&actor, &f)?;
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(AlertSubscriptionView::from)))
}

/// Subscribe a school, group or district to alerts on a WeCom or DingTalk group robot or a
/// webhook.
#[utoipa::path(tag = "alerts", request_body = NewAlertSubscription,
    responses((status = 201, description = "Created", body = AlertSubscriptionView),
        (status = 403, description = "The caller does not manage the owner's subscriptions", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/alert-subscriptions")]
pub(super) async fn create_alert_subscription(
    state: State,
    actor: Actor,
    body: Json<NewAlertSubscription>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let owner = resolve_owner(&state.db, &actor, body.scope, body.district_id, body.school_id, body.group_id).await?;
    let mut checks = Checks::new();
    let name = checks.text("name", &body.name, NAME_MAX);
    let secret = body.secret.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let allow = state.settings.alerts.allow_http_localhost;
    check_target(&mut checks, body.channel, &body.url, secret.as_deref(), &body.events, allow);
    checks.finish()?;
    let at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = alert_subscription::ActiveModel {
        district_id: Set(owner.district_id),
        school_id: Set(owner.school_id),
        group_id: Set(owner.group_id),
        scope: Set(owner.scope.code().to_string()),
        name: Set(name),
        channel: Set(body.channel.code().to_string()),
        url: Set(body.url.trim().to_string()),
        secret: Set(secret),
        message_type: Set(body.message_type.unwrap_or_default().code().to_string()),
        events: Set(events_to_text(&body.events)),
        active: Set(body.active.unwrap_or(true)),
        created_by_user_id: Set(Some(actor.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/alert-subscriptions/{}", saved.id), AlertSubscriptionView::from(saved)))
}

/// Get a subscription (its secret never; its URL's key masked).
#[utoipa::path(tag = "alerts", params(("id" = i64, Path, description = "Subscription id")),
    responses((status = 200, description = "The subscription", body = AlertSubscriptionView),
        (status = 403, description = "The caller does not manage it", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/alert-subscriptions/{id}")]
pub(super) async fn get_alert_subscription(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<AlertSubscriptionView>> {
    Ok(web::Json(load_subscription(&state.db, &actor, id.into_inner()).await?.into()))
}

/// Change a subscription's name, URL, secret, message type, events or activity.
#[utoipa::path(tag = "alerts", params(("id" = i64, Path, description = "Subscription id")),
    request_body = AlertSubscriptionPatch,
    responses((status = 200, description = "The changed subscription", body = AlertSubscriptionView),
        (status = 403, description = "The caller does not manage it", body = crate::error::Problem, content_type = "application/problem+json")))]
#[patch("/alert-subscriptions/{id}")]
pub(super) async fn update_alert_subscription(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<AlertSubscriptionPatch>,
) -> ApiResult<web::Json<AlertSubscriptionView>> {
    let body = body.0;
    let current = load_subscription(&state.db, &actor, id.into_inner()).await?;
    let mut checks = Checks::new();
    let name = body.name.as_deref().map(|n| checks.text("name", n, NAME_MAX));
    let url = body.url.as_deref().map(str::trim).unwrap_or(&current.url).to_string();
    let secret = match &body.secret {
        Some(s) => s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
        None => current.secret.clone(),
    };
    let events = body.events.clone().unwrap_or_else(|| super::rules::events_of(&current.events));
    let channel = AlertChannel::parse(&current.channel).unwrap_or(AlertChannel::Webhook);
    check_target(&mut checks, channel, &url, secret.as_deref(), &events, state.settings.alerts.allow_http_localhost);
    checks.finish()?;
    let mut active = current.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    active.url = Set(url);
    active.secret = Set(secret);
    active.events = Set(events_to_text(&events));
    if let Some(message_type) = body.message_type {
        active.message_type = Set(message_type.code().to_string());
    }
    if let Some(flag) = body.active {
        active.active = Set(flag);
    }
    active.updated_at = Set(now());
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// Remove a subscription: it is told nothing more, and its undelivered messages die. Its log
/// stays.
#[utoipa::path(tag = "alerts", params(("id" = i64, Path, description = "Subscription id")),
    responses((status = 204, description = "Removed"),
        (status = 403, description = "The caller does not manage it", body = crate::error::Problem, content_type = "application/problem+json")))]
#[delete("/alert-subscriptions/{id}")]
pub(super) async fn delete_alert_subscription(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let current = load_subscription(&state.db, &actor, id.into_inner()).await?;
    let at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    alert_subscription::Entity::update_many()
        .col_expr(alert_subscription::Column::ArchivedAt, Some(at).into())
        .col_expr(alert_subscription::Column::Active, false.into())
        .col_expr(alert_subscription::Column::UpdatedAt, at.into())
        .filter(alert_subscription::Column::Id.eq(current.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(no_content())
}

/// The subscription's delivery log: every attempt, newest first, with the HTTP status, the
/// error and the message's state now.
#[utoipa::path(tag = "alerts", params(("id" = i64, Path, description = "Subscription id"), AlertDeliveryFilter),
    responses((status = 200, description = "A page of attempts", body = Page<AlertDeliveryView>),
        (status = 403, description = "The caller does not manage it", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/alert-subscriptions/{id}/deliveries")]
pub(super) async fn list_alert_deliveries(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    filter: Query<AlertDeliveryFilter>,
) -> ApiResult<web::Json<Page<AlertDeliveryView>>> {
    let paging = Paging::new(filter.0.limit, filter.0.offset)?;
    let subscription = load_subscription(&state.db, &actor, id.into_inner()).await?;
    let page = fetch_page(deliveries_of(subscription.id), paging, &state.db).await?;
    let found = messages(&state.db, page.ids(|d| d.outbox_id)).await?;
    Ok(web::Json(page.map(|d| {
        let message = found.iter().find(|m| m.id == d.outbox_id);
        AlertDeliveryView::new(d, message)
    })))
}

/// Send a test message to the subscription now (queued like any other; follow it in the log).
#[utoipa::path(tag = "alerts", params(("id" = i64, Path, description = "Subscription id")),
    responses((status = 202, description = "Queued", body = AlertTestView),
        (status = 403, description = "The caller does not manage it", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/alert-subscriptions/{id}/test")]
pub(super) async fn test_alert_subscription(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let subscription = load_subscription(&state.db, &actor, id.into_inner()).await?;
    let key = format!("test:{}", super::outbox::now_ms());
    let event = Event {
        kind: EventKind::Test,
        key: key.clone(),
        district_id: subscription.district_id,
        school_id: subscription.school_id,
        teacher_id: None,
        title: "教研提醒测试消息 (Jiaoyan test message)".into(),
        body: format!("订阅「{}」已连通。This subscription works; sent by {}.", subscription.name, actor.username),
        data: serde_json::json!({"subscription_id": subscription.id}),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    enqueue(&txn, subscription.id, &event).await?;
    let idempotency_key = format!("{key}/sub:{}", subscription.id);
    let row = alert_outbox::Entity::find()
        .filter(alert_outbox::Column::IdempotencyKey.eq(idempotency_key.clone()))
        .one(&txn)
        .await?;
    txn.commit().await?;
    let message_id = row.map(|r| r.id).unwrap_or_default();
    Ok(HttpResponse::Accepted().json(AlertTestView { message_id, idempotency_key, status: "pending".into() }))
}
