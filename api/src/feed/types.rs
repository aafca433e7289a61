//! Which resource types the feed serves, which scope each needs, and how the `types` parameter
//! names them.
//!
//! Every tracked type of [`crate::changes::resources::all_types`] is served except
//! - `users` and `api_clients`: accounts and credentials are not data a district system pulls
//!   (and a user row says nothing the teacher row does not);
//! - `school_pairings`: a pairing belongs to two schools, but its change-log row carries only the
//!   mentor school, so a caller limited to the mentee school could never be served it
//!   consistently (nor its tombstone). Whole-district readers have `GET /school-pairings`.

use crate::clients::scopes::ClientScope;

/// A resource type of the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedType {
    /// The type's name in the change log and in `types=`.
    pub name: &'static str,
    /// The scope a caller needs to read it.
    pub scope: ClientScope,
}

const fn roster(name: &'static str) -> FeedType {
    FeedType { name, scope: ClientScope::RosterRead }
}

const fn records(name: &'static str) -> FeedType {
    FeedType { name, scope: ClientScope::RecordsRead }
}

/// Every type of the feed: the roster (organisation and people), then teachers' work.
pub const FEED_TYPES: &[FeedType] = &[
    roster("districts"),
    roster("zones"),
    roster("schools"),
    roster("semesters"),
    roster("teachers"),
    roster("groups"),
    roster("memberships"),
    roster("slots"),
    records("research_topics"),
    records("activities"),
    records("observations"),
    records("rubrics"),
    records("records"),
    records("record_tasks"),
    records("mentorships"),
    records("preparations"),
    records("quota_rules"),
];

/// Why a `types` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypesRefusal {
    /// A 422: `types` names no type, or one the feed does not serve.
    Invalid(String),
    /// A 403: a named type (or, without `types`, every type) needs a scope the caller lacks.
    Forbidden(String),
}

/// The types a request reads: those named in `types` (comma-separated, duplicates and blanks
/// around names ignored), or every type the caller's scopes allow when `types` is absent.
/// Unknown names are reported before missing scopes, so a typo is never mistaken for a
/// permission problem.
pub fn requested_types(types: Option<&str>, scopes: &[ClientScope]) -> Result<Vec<&'static str>, TypesRefusal> {
    let Some(types) = types else {
        let allowed: Vec<&'static str> =
            FEED_TYPES.iter().filter(|t| scopes.contains(&t.scope)).map(|t| t.name).collect();
        if allowed.is_empty() {
            return Err(TypesRefusal::Forbidden(format!(
                "the change feed needs the scope {} or {}",
                ClientScope::RosterRead.code(),
                ClientScope::RecordsRead.code()
            )));
        }
        return Ok(allowed);
    };
    let mut named: Vec<FeedType> = Vec::new();
    for name in types.split(',').map(str::trim) {
        if name.is_empty() {
            continue;
        }
        let found = FEED_TYPES.iter().find(|t| t.name == name).ok_or_else(|| {
            let names: Vec<&str> = FEED_TYPES.iter().map(|t| t.name).collect();
            TypesRefusal::Invalid(format!("unknown type {name:?}; the feed serves {}", names.join(", ")))
        })?;
        if !named.contains(found) {
            named.push(*found);
        }
    }
    if named.is_empty() {
        return Err(TypesRefusal::Invalid("must name at least one type (or be left out for every type)".into()));
    }
    if let Some(t) = named.iter().find(|t| !scopes.contains(&t.scope)) {
        return Err(TypesRefusal::Forbidden(format!("reading {} needs the scope {}", t.name, t.scope.code())));
    }
    // In the table's order, so the answer does not depend on how the client spelled the list.
    Ok(FEED_TYPES.iter().filter(|t| named.contains(t)).map(|t| t.name).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClientScope::*;

    #[test]
    fn the_feed_serves_every_tracked_type_but_accounts_clients_and_pairings() {
        let tracked: Vec<&str> = crate::changes::resources::all_types().collect();
        for t in FEED_TYPES {
            assert!(tracked.contains(&t.name), "{} is not tracked", t.name);
        }
        let left_out: Vec<&str> =
            tracked.iter().copied().filter(|name| !FEED_TYPES.iter().any(|t| t.name == *name)).collect();
        assert_eq!(left_out, vec!["school_pairings", "users", "api_clients"]);
    }

    #[test]
    fn without_types_the_scopes_decide() {
        let roster = requested_types(None, &[RosterRead]).unwrap();
        assert_eq!(
            roster,
            vec!["districts", "zones", "schools", "semesters", "teachers", "groups", "memberships", "slots"]
        );
        let work = requested_types(None, &[RecordsRead, RosterWrite]).unwrap();
        assert!(work.contains(&"records") && !work.contains(&"teachers"));
        assert_eq!(requested_types(None, &[RosterRead, RecordsRead]).unwrap().len(), FEED_TYPES.len());
        assert!(matches!(requested_types(None, &[RosterWrite]), Err(TypesRefusal::Forbidden(_))));
    }

    #[test]
    fn named_types_are_trimmed_deduplicated_and_in_table_order() {
        let all = [RosterRead, RecordsRead];
        assert_eq!(requested_types(Some(" records,teachers ,records,"), &all).unwrap(), vec!["teachers", "records"]);
    }

    #[test]
    fn unknown_types_are_invalid_before_missing_scopes_are_forbidden() {
        assert!(
            matches!(requested_types(Some("teachers,users"), &[RosterRead]), Err(TypesRefusal::Invalid(m)) if m.contains("users"))
        );
        assert!(matches!(requested_types(Some("records,nope"), &[RosterRead]), Err(TypesRefusal::Invalid(_))));
        assert!(matches!(requested_types(Some(" , "), &[RosterRead]), Err(TypesRefusal::Invalid(_))));
        assert!(matches!(requested_types(Some(""), &[RosterRead]), Err(TypesRefusal::Invalid(_))));
        assert!(
            matches!(requested_types(Some("teachers,records"), &[RosterRead]), Err(TypesRefusal::Forbidden(m)) if m.contains("records.read"))
        );
        assert!(matches!(requested_types(Some("teachers"), &[RecordsRead]), Err(TypesRefusal::Forbidden(_))));
    }
}
