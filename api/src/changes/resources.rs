//! The tracked resource types and the paths that name one of their resources.
//!
//! A type is the collection's name in the change log. Every type here has triggers (the
//! `district_sync` migration); the feed serves a subset of them (accounts, pairings and API
//! clients stay out of it).

/// `(path segment under /api/v1, resource type)` for `/api/v1/<segment>/{id}`.
const TOP_LEVEL: &[(&str, &str)] = &[
    ("districts", "districts"),
    ("zones", "zones"),
    ("schools", "schools"),
    ("school-pairings", "school_pairings"),
    ("semesters", "semesters"),
    ("teachers", "teachers"),
    ("users", "users"),
    ("groups", "groups"),
    ("research-topics", "research_topics"),
    ("activities", "activities"),
    ("observations", "observations"),
    ("rubrics", "rubrics"),
    ("records", "records"),
    ("record-tasks", "record_tasks"),
    ("mentorships", "mentorships"),
    ("preparations", "preparations"),
    ("quota-rules", "quota_rules"),
    ("api-clients", "api_clients"),
];

/// `(path segment under /api/v1/groups/{id}/, resource type)`.
const UNDER_GROUPS: &[(&str, &str)] = &[("members", "memberships"), ("slots", "slots")];

/// Every tracked resource type.
pub fn all_types() -> impl Iterator<Item = &'static str> {
    TOP_LEVEL.iter().chain(UNDER_GROUPS).map(|(_, kind)| *kind)
}

/// The table whose rows are the resources of a tracked type (every one has an `id` column).
pub fn table_of(kind: &str) -> Option<&'static str> {
    let kind = all_types().find(|k| *k == kind)?;
    Some(match kind {
        "memberships" => "group_memberships",
        "slots" => "weekly_slots",
        other => other,
    })
}

/// The resource a request path names, if it names exactly one tracked resource:
/// `/api/v1/teachers/12` → `("teachers", 12)`, `/api/v1/groups/3/members/40` →
/// `("memberships", 40)`; anything else (lists, sub-resources such as `/activities/1/attendance`,
/// non-numeric ids) → `None`.
pub fn resource_of_path(path: &str) -> Option<(&'static str, i64)> {
    let rest = path.strip_prefix("/api/v1/")?;
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let id = |s: &str| s.parse::<i64>().ok().filter(|id| *id > 0);
    match segments.as_slice() {
        [collection, raw] => {
            let kind = TOP_LEVEL.iter().find(|(segment, _)| segment == collection)?.1;
            Some((kind, id(raw)?))
        }
        ["groups", group, child, raw] => {
            id(group)?;
            let kind = UNDER_GROUPS.iter().find(|(segment, _)| segment == child)?.1;
            Some((kind, id(raw)?))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_its_table() {
        assert_eq!(table_of("teachers"), Some("teachers"));
        assert_eq!(table_of("memberships"), Some("group_memberships"));
        assert_eq!(table_of("slots"), Some("weekly_slots"));
        assert_eq!(table_of("nonsense"), None);
        assert!(all_types().all(|k| table_of(k).is_some()));
    }

    #[test]
    fn single_resources_are_named_by_their_paths() {
        assert_eq!(resource_of_path("/api/v1/teachers/12"), Some(("teachers", 12)));
        assert_eq!(resource_of_path("/api/v1/record-tasks/7"), Some(("record_tasks", 7)));
        assert_eq!(resource_of_path("/api/v1/groups/3/members/40"), Some(("memberships", 40)));
        assert_eq!(resource_of_path("/api/v1/groups/3/slots/5"), Some(("slots", 5)));
        assert_eq!(resource_of_path("/api/v1/groups/3"), Some(("groups", 3)));
    }

    #[test]
    fn lists_sub_resources_and_odd_ids_name_nothing() {
        for path in [
            "/api/v1/teachers",
            "/api/v1/activities/1/attendance",
            "/api/v1/teachers/abc",
            "/api/v1/teachers/0",
            "/api/v1/teachers/-3",
            "/api/v1/groups/x/members/4",
            "/api/v1/groups/3/members",
            "/api/v1/quota-checks/explain",
            "/api/v1/me/calendar-token",
            "/health",
        ] {
            assert_eq!(resource_of_path(path), None, "{path}");
        }
    }
}
