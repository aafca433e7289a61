//! The scopes a machine client may be granted. A token carries a subset of its client's scopes;
//! the client's current scopes are checked again on every request.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a client may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
pub enum ClientScope {
    /// Read the roster: the change feed's organisation and people, and the OneRoster view.
    #[serde(rename = "roster.read")]
    RosterRead,
    /// Push the roster: `PUT /sync/...` and the CSV import.
    #[serde(rename = "roster.write")]
    RosterWrite,
    /// Read teachers' work in the change feed (activities, observations, records, mentorships ...).
    #[serde(rename = "records.read")]
    RecordsRead,
}

impl ClientScope {
    pub const ALL: [ClientScope; 3] = [ClientScope::RosterRead, ClientScope::RosterWrite, ClientScope::RecordsRead];

    pub fn code(self) -> &'static str {
        match self {
            ClientScope::RosterRead => "roster.read",
            ClientScope::RosterWrite => "roster.write",
            ClientScope::RecordsRead => "records.read",
        }
    }

    /// What the scope allows, for the OpenAPI document.
    pub fn description(self) -> &'static str {
        match self {
            ClientScope::RosterRead => "Read the roster (change feed organisation and people, OneRoster view)",
            ClientScope::RosterWrite => "Push the roster (sync and CSV import)",
            ClientScope::RecordsRead => "Read teachers' work in the change feed",
        }
    }

    pub fn parse(code: &str) -> Option<ClientScope> {
        ClientScope::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Scopes as OAuth writes them: sorted codes separated by spaces.
pub fn to_scope_string(scopes: &[ClientScope]) -> String {
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(" ")
}

/// The scopes of a space-separated string; `Err` names the first unknown one.
pub fn parse_scope_string(value: &str) -> Result<Vec<ClientScope>, String> {
    let mut scopes = Vec::new();
    for code in value.split_whitespace() {
        scopes.push(ClientScope::parse(code).ok_or_else(|| code.to_string())?);
    }
    scopes.sort();
    scopes.dedup();
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_strings_round_trip_sorted_and_without_duplicates() {
        let parsed = parse_scope_string(" roster.write roster.read  roster.write ").unwrap();
        assert_eq!(parsed, vec![ClientScope::RosterRead, ClientScope::RosterWrite]);
        assert_eq!(to_scope_string(&parsed), "roster.read roster.write");
        assert_eq!(parse_scope_string("roster.read admin"), Err("admin".to_string()));
        assert_eq!(parse_scope_string(""), Ok(vec![]));
    }

    #[test]
    fn serde_codes_are_the_scope_codes() {
        for scope in ClientScope::ALL {
            assert_eq!(serde_json::to_value(scope).unwrap(), serde_json::json!(scope.code()));
        }
    }
}
