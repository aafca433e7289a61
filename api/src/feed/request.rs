//! The query of `GET /changes`, and where its `since` stands against the retained window. Pure:
//! no database, so every rule is unit-tested.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::{DomainError, DomainResult};

pub const DEFAULT_LIMIT: u64 = 100;
pub const MAX_LIMIT: u64 = 1000;

/// The parameters of `GET /changes`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// Return changes with a version above this one: `0` (the default) for a full pull, else
    /// the `next_since` of the previous page. Below `oldest` of `/changes/available` (purged
    /// deletions) or above `newest` the answer is 409: resynchronise from 0.
    #[param(minimum = 0, example = 1200)]
    pub since: Option<i64>,
    /// Comma-separated types (`teachers,records`). Default: every type the caller's scopes
    /// allow. Roster types (districts, zones, schools, semesters, teachers, groups,
    /// memberships, slots) need `roster.read`; the others (research_topics, activities,
    /// observations, rubrics, records, record_tasks, mentorships, quota_rules) `records.read`.
    #[param(example = "teachers,records")]
    pub types: Option<String>,
    /// Entries per page, 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000, example = 100)]
    pub limit: Option<u64>,
    /// The district to read: required for an installation administrator, otherwise the
    /// caller's own (any other is a 422).
    pub district_id: Option<i64>,
}

/// A checked request window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: i64,
    pub limit: u64,
}

impl FeedParams {
    /// `since` and `limit`, checked together so a client learns of both at once.
    pub fn window(&self) -> DomainResult<Window> {
        let mut errors = Vec::new();
        let since = self.since.unwrap_or(0);
        if since < 0 {
            errors.push(crate::error::FieldError::new("since", "must be 0 or a change version (never negative)"));
        }
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            errors.push(crate::error::FieldError::new("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        if errors.is_empty() {
            Ok(Window { since, limit })
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

/// The versions a feed can serve: `since` from `oldest` to `newest` (or 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Available {
    /// The lowest `since` still served whole: deletions up to it may have been purged.
    pub oldest: i64,
    /// The last version handed out.
    pub newest: i64,
}

impl Available {
    /// Whether a client that has read everything up to `since` can carry on from there. A full
    /// pull (`since = 0`) always can: it gets the current state, and purged tombstones are of
    /// resources it never saw. Below `oldest` deletions it never saw may be gone; above `newest`
    /// the client's version comes from elsewhere (another installation, a restored backup), and
    /// carrying on would skip the versions this server hands out up to it.
    pub fn serves(&self, since: i64) -> bool {
        since == 0 || (self.oldest..=self.newest).contains(&since)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(since: Option<i64>, limit: Option<u64>) -> FeedParams {
        FeedParams { since, limit, ..Default::default() }
    }

    fn fields(err: impl Into<crate::error::ApiError>) -> Vec<String> {
        err.into().problem().errors.unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn since_defaults_to_a_full_pull_and_is_never_negative() {
        assert_eq!(params(None, None).window().unwrap(), Window { since: 0, limit: 100 });
        assert_eq!(params(Some(42), Some(1000)).window().unwrap(), Window { since: 42, limit: 1000 });
        assert_eq!(fields(params(Some(-1), None).window().unwrap_err()), vec!["since"]);
    }

    #[test]
    fn limit_is_between_1_and_1000() {
        assert_eq!(fields(params(None, Some(0)).window().unwrap_err()), vec!["limit"]);
        assert_eq!(fields(params(None, Some(1001)).window().unwrap_err()), vec!["limit"]);
        assert_eq!(fields(params(Some(-5), Some(5000)).window().unwrap_err()), vec!["since", "limit"]);
    }

    #[test]
    fn non_numbers_and_unknown_parameters_are_refused() {
        for (query, field) in [("since=abc", "since"), ("since=1.5", "since"), ("limit=-3", "limit")] {
            let err = crate::extract::parse_query::<FeedParams>(query).unwrap_err();
            assert_eq!(fields(err), vec![field.to_string()], "{query}");
        }
        let err = crate::extract::parse_query::<FeedParams>("sinse=3").unwrap_err();
        assert_eq!(err.problem().status, 422);
    }

    #[test]
    fn the_window_serves_a_full_pull_and_versions_from_oldest_to_newest() {
        let a = Available { oldest: 10, newest: 50 };
        assert!(a.serves(0) && a.serves(10) && a.serves(30) && a.serves(50));
        assert!(!a.serves(9) && !a.serves(1) && !a.serves(51));
        let fresh = Available { oldest: 0, newest: 0 };
        assert!(fresh.serves(0) && !fresh.serves(1));
    }
}
