//! Pure rules of the audit trail: what an entry's action is called, and who may read which
//! entries.

use serde_json::Value;

use crate::auth::{Actor, Reach};
use entities::enums::Role;

/// The action an entry shows: `insert`, `update` and `delete` of the row, except that an update
/// setting `archived_at` is an `archive`, and one clearing it a `restore`.
pub fn action_of(action: &str, old: Option<&Value>, new: Option<&Value>) -> &'static str {
    let archived = |v: Option<&Value>| v.and_then(|v| v.get("archived_at")).map(|a| !a.is_null());
    match action {
        "insert" => "insert",
        "delete" => "delete",
        _ => match (archived(old), archived(new)) {
            (Some(false), Some(true)) => "archive",
            (Some(true), Some(false)) => "restore",
            _ => "update",
        },
    }
}

/// Which entries a caller reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditScope {
    Everything,
    District(i64),
    School(i64),
    /// The history of the resources this teacher owns (their observations, records and own
    /// teacher record).
    Owner(i64),
    Nothing,
}

pub fn scope_of(actor: &Actor) -> AuditScope {
    match (actor.reach(), actor.role) {
        (Reach::Everything, _) => AuditScope::Everything,
        (Reach::District(d), _) => AuditScope::District(d),
        (Reach::School { school_id, .. }, Role::SchoolAdmin) => AuditScope::School(school_id),
        (Reach::School { .. }, _) => actor.teacher_id.map_or(AuditScope::Nothing, AuditScope::Owner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn archiving_and_restoring_are_named() {
        let live = json!({"archived_at": null});
        let gone = json!({"archived_at": "2026-12-05T08:00:00Z"});
        assert_eq!(action_of("update", Some(&live), Some(&gone)), "archive");
        assert_eq!(action_of("update", Some(&gone), Some(&live)), "restore");
        assert_eq!(action_of("update", Some(&json!({"name": "a"})), Some(&json!({"name": "b"}))), "update");
        assert_eq!(action_of("insert", None, Some(&live)), "insert");
        assert_eq!(action_of("delete", Some(&live), None), "delete");
    }

    fn actor(role: Role, district_id: Option<i64>, school_id: Option<i64>, teacher_id: Option<i64>) -> Actor {
        Actor { user_id: 1, username: "u".into(), role, district_id, school_id, teacher_id }
    }

    #[test]
    fn administrators_read_their_reach_and_teachers_their_own() {
        assert_eq!(scope_of(&actor(Role::DistrictAdmin, None, None, None)), AuditScope::Everything);
        assert_eq!(scope_of(&actor(Role::DistrictAdmin, Some(2), None, None)), AuditScope::District(2));
        assert_eq!(scope_of(&actor(Role::SchoolAdmin, Some(2), Some(7), None)), AuditScope::School(7));
        assert_eq!(scope_of(&actor(Role::Teacher, Some(2), Some(7), Some(40))), AuditScope::Owner(40));
        assert_eq!(scope_of(&actor(Role::GroupLeader, Some(2), Some(7), Some(41))), AuditScope::Owner(41));
        assert_eq!(scope_of(&actor(Role::Teacher, Some(2), Some(7), None)), AuditScope::Nothing);
    }
}
