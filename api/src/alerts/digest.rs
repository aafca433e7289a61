//! The weekly at-risk digest of one subscription: its school's, group's or district's quota
//! check as of today through the quota area's check service (so a kept result is read, not
//! recomputed), the results that are short (未达标) or at risk (有风险), each with its numbers.

use chrono::NaiveDate;
use entities::alert_subscription;
use entities::enums::Role;
use serde_json::json;

use super::outbox::Event;
use super::rules::EventKind;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::quota::checks::audience::Selection;
use crate::quota::checks::service::{check, Request};
use crate::quota::evaluate::Status;
use crate::state::AppState;

/// Results listed in one message.
const LINES: usize = 40;

/// The district's administrator as the scheduler acts: reads the whole district's checks.
fn district_reader(district_id: i64) -> Actor {
    Actor {
        user_id: 0,
        username: "alerts".into(),
        role: Role::DistrictAdmin,
        district_id: Some(district_id),
        school_id: None,
        teacher_id: None,
    }
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Short => "未达标 short",
        Status::AtRisk => "有风险 at risk",
        Status::OnTrack => "进度正常 on track",
        Status::Met => "达标 met",
    }
}

/// The digest of `s` for `day`, or `None` when its district has no semester on that day or no
/// rule measures anyone there.
pub async fn digest(
    state: &AppState,
    s: &alert_subscription::Model,
    day: NaiveDate,
    key: String,
) -> DomainResult<Option<Event>> {
    let selection = match s.scope.as_str() {
        "school" => Selection { school_id: s.school_id, ..Default::default() },
        "group" => Selection { group_id: s.group_id, ..Default::default() },
        _ => Selection::default(),
    };
    let request = Request { as_of: day, selection, include_saved: true, ..Default::default() };
    let outcome = match check(state, &district_reader(s.district_id), &request).await {
        Ok(outcome) => outcome,
        // No semester on that day, or the school or group is gone: nothing to digest.
        Err(DomainError::NotFound(_) | DomainError::Invalid(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let briefs = outcome.kept.briefs(&outcome.filter(None, None, None));
    if briefs.is_empty() {
        return Ok(None);
    }
    let count = |status: Status| briefs.iter().filter(|b| b.status == status).count();
    let (short, at_risk, on_track, met) =
        (count(Status::Short), count(Status::AtRisk), count(Status::OnTrack), count(Status::Met));
    let mut behind: Vec<_> = briefs.iter().filter(|b| matches!(b.status, Status::Short | Status::AtRisk)).collect();
    behind.sort_by_key(|b| (b.status != Status::Short, b.subject.name.clone(), b.rule.name.clone()));
    let mut lines = vec![format!(
        "未达标 (short) **{short}** · 有风险 (at risk) **{at_risk}** · 进度正常 (on track) {on_track} · 达标 (met) {met}"
    )];
    lines.push(String::new());
    lines.extend(behind.iter().take(LINES).map(|b| {
        format!(
            "- {} · {}：{} / {}（{}）",
            b.subject.name,
            b.rule.name,
            number(b.actual),
            number(b.required),
            status_label(b.status)
        )
    }));
    if behind.len() > LINES {
        lines.push(format!("- ……另有 {} 项 (and {} more)", behind.len() - LINES, behind.len() - LINES));
    }
    let items: Vec<_> = behind
        .iter()
        .map(|b| {
            json!({"subject_type": b.subject.kind, "subject_id": b.subject.id, "subject": b.subject.name,
            "rule_id": b.rule.id, "rule": b.rule.name, "actual": b.actual, "required": b.required, "status": b.status})
        })
        .collect();
    let title = format!("{} 教研常规周报 (weekly at-risk digest) {day}", outcome.semester.name);
    Ok(Some(Event {
        kind: EventKind::AtRiskDigest,
        key,
        district_id: s.district_id,
        school_id: s.school_id,
        teacher_id: None,
        title,
        body: lines.join("\n"),
        data: json!({"as_of": day, "semester_id": outcome.semester.id, "short": short, "at_risk": at_risk,
            "on_track": on_track, "met": met, "items": items}),
    }))
}

/// A count as people write it: `3`, or `2.5`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}
