//! Wire types of the audit trail.

use chrono::{DateTime, Utc};
use entities::audit_log;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::rules::action_of;

/// The resource types the audit trail files entries under (the change feed's names, plus the
/// two policy kinds and the district teams' policies, removals and notices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditResource {
    Districts,
    Zones,
    Schools,
    SchoolPairings,
    Semesters,
    Teachers,
    Users,
    Groups,
    Memberships,
    Slots,
    ResearchTopics,
    Activities,
    Observations,
    Rubrics,
    Records,
    RecordTasks,
    Mentorships,
    QuotaRules,
    ApiClients,
    ActivityPolicies,
    MentorshipPolicies,
    TeamAttendancePolicies,
    TeamRemovals,
    Notices,
}

impl AuditResource {
    pub fn code(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }
}

/// Who wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorType {
    /// A user account (`actor_id` is the user's id).
    User,
    /// A machine client (`actor_id` is the client's row id, as in `/api-clients/{id}`).
    Client,
    /// A request without a valid token (logging in).
    Anonymous,
    /// No request: start-up, the demo seed, maintenance.
    System,
}

impl ActorType {
    pub fn code(self) -> &'static str {
        match self {
            ActorType::User => "user",
            ActorType::Client => "client",
            ActorType::Anonymous => "anonymous",
            ActorType::System => "system",
        }
    }
}

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Insert,
    Update,
    /// An update that set `archived_at` (a `DELETE` of the API, or a sync's `tobedeleted`).
    Archive,
    /// An update that cleared `archived_at`.
    Restore,
    /// The row was removed.
    Delete,
}

/// One audited write of one row.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 812, "at": "2026-12-05T08:14:03.512Z", "actor_type": "user", "actor_id": 3,
    "address": "10.2.0.15", "request_id": "6f1c2d0e-8a8b-4d55-9c43-0c1c4b1f2a77",
    "operation": "PATCH /api/v1/teachers/{id}", "action": "update", "resource_type": "teachers",
    "resource_id": 41, "part": null, "district_id": 1, "school_id": 3,
    "before": {"name": "王丽"}, "after": {"name": "王莉"}}))]
pub struct AuditEntryView {
    /// Increasing in the order entries were written.
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_type: ActorType,
    pub actor_id: Option<i64>,
    /// The client's address as the service saw it (the peer of the connection).
    pub address: Option<String>,
    /// The request id of the service's logs.
    pub request_id: Option<String>,
    /// `METHOD /route/{pattern}` of the request.
    pub operation: Option<String>,
    pub action: AuditAction,
    pub resource_type: String,
    pub resource_id: i64,
    /// For a write to a part of the resource (a teacher's subjects, an activity's participants
    /// ...), the table of that part; `null` for the resource's own row.
    pub part: Option<String>,
    pub district_id: Option<i64>,
    pub school_id: Option<i64>,
    /// The fields before: all of them for a delete, the changed ones for an update, `null` for an
    /// insert. Secrets are never shown (a changed one reads `"[redacted]"`).
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    /// The fields after: all of them for an insert, the changed ones for an update, `null` for a
    /// delete.
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

fn actor_type(code: &str) -> ActorType {
    match code {
        "user" => ActorType::User,
        "client" => ActorType::Client,
        "anonymous" => ActorType::Anonymous,
        _ => ActorType::System,
    }
}

/// A JSON value read back: SQLite hands JSON columns back as text.
fn json_of(value: Option<Value>) -> Option<Value> {
    match value {
        Some(Value::String(text)) => serde_json::from_str(&text).ok().or(Some(Value::String(text))),
        Some(Value::Null) | None => None,
        other => other,
    }
}

impl From<audit_log::Model> for AuditEntryView {
    fn from(m: audit_log::Model) -> Self {
        let before = json_of(m.old_values);
        let after = json_of(m.new_values);
        let action = match action_of(&m.action, before.as_ref(), after.as_ref()) {
            "insert" => AuditAction::Insert,
            "delete" => AuditAction::Delete,
            "archive" => AuditAction::Archive,
            "restore" => AuditAction::Restore,
            _ => AuditAction::Update,
        };
        AuditEntryView {
            id: m.id,
            at: DateTime::from_timestamp_millis(m.occurred_at).unwrap_or_default(),
            actor_type: actor_type(&m.actor_type),
            actor_id: m.actor_id,
            address: m.address,
            request_id: m.request_id,
            operation: m.operation,
            action,
            resource_type: m.resource_type,
            resource_id: m.resource_id,
            part: m.part,
            district_id: m.district_id,
            school_id: m.school_id,
            before,
            after,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only entries of this resource type.
    pub resource_type: Option<AuditResource>,
    /// Only entries of this resource id (with `resource_type`, one resource's history).
    #[param(minimum = 1)]
    pub resource_id: Option<i64>,
    /// Only entries written by this kind of actor.
    pub actor_type: Option<ActorType>,
    /// Only entries written by this user or machine client id.
    #[param(minimum = 1)]
    pub actor_id: Option<i64>,
    /// Only entries written at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Only entries written before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    #[param(minimum = 0)]
    pub offset: Option<u64>,
}
