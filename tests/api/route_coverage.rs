//! Every operation of the OpenAPI document has its authorization tested: it is claimed by one of
//! the authorization matrices (which each check, with the service running, that they probe
//! what they claim) or listed below as exempt, with the reason. A new route that is in neither
//! fails here, naming itself.
//!
//! To cover a new route, probe it in a matrix and extend that matrix's claim: a path prefix in
//! `work_scope_matrix::AREAS` (school work: activities, records ...), an item route in
//! `scope_matrix::ITEMS` (organisation objects of a school), a tag in
//! `district_access_matrix::TAGS` (machine-client endpoints), or a matrix file of its own with a
//! `TAGS` claim added to [`MATRICES`] (as `district_teams` does). Exempt a route only when no
//! object of one school can be named through it (public routes, the caller's own account).

use std::collections::BTreeSet;

use serde_json::Value;

/// How a matrix claims operations.
enum Claim {
    /// Every operation whose path starts with one of these.
    Prefixes(&'static [&'static str]),
    /// GET, PATCH and DELETE of each item route and GET of its list.
    Items(&'static [(&'static str, &'static str)]),
    /// GET of these routes.
    Reads(&'static [&'static str]),
    /// Every operation with one of these tags.
    Tags(&'static [&'static str]),
}

const MATRICES: &[(&str, Claim)] = &[
    ("scope_matrix", Claim::Items(&crate::scope_matrix::ITEMS)),
    ("scope_matrix", Claim::Reads(&crate::scope_matrix::READS)),
    ("work_scope_matrix", Claim::Prefixes(&crate::work_scope_matrix::AREAS)),
    ("district_access_matrix", Claim::Tags(&crate::district_access_matrix::TAGS)),
    ("district_teams", Claim::Tags(&crate::district_teams::TAGS)),
    ("inspections", Claim::Prefixes(&crate::inspections::AREAS)),
    ("appraisals", Claim::Prefixes(&crate::appraisals::AREAS)),
    ("control_matrix", Claim::Prefixes(&crate::control_matrix::AREAS)),
    ("alerts", Claim::Prefixes(&crate::alerts::AREAS)),
];

/// Operations outside the matrices, with the reason. `(method, path, reason)`.
const EXEMPT: &[(&str, &str, &str)] = &[
    ("GET", "/health", PUBLIC),
    ("GET", "/healthz", PUBLIC),
    ("GET", "/readyz", PUBLIC),
    ("GET", "/metrics", OPERATIONS),
    ("POST", "/api/v1/auth/login", PUBLIC),
    ("POST", "/api/v1/auth/refresh", OWN_SESSION),
    ("POST", "/api/v1/auth/logout", OWN_SESSION),
    ("POST", "/api/v1/oauth/token", PUBLIC),
    ("GET", "/api/v1/me", OWN_SESSION),
    ("GET", "/api/v1/districts", DISTRICT_LEVEL),
    ("POST", "/api/v1/districts", DISTRICT_LEVEL),
    ("GET", "/api/v1/districts/{id}", DISTRICT_LEVEL),
    ("PATCH", "/api/v1/districts/{id}", DISTRICT_LEVEL),
    ("DELETE", "/api/v1/districts/{id}", DISTRICT_LEVEL),
    ("GET", "/api/v1/zones", DISTRICT_LEVEL),
    ("POST", "/api/v1/zones", DISTRICT_LEVEL),
    ("GET", "/api/v1/zones/{id}", DISTRICT_LEVEL),
    ("PATCH", "/api/v1/zones/{id}", DISTRICT_LEVEL),
    ("DELETE", "/api/v1/zones/{id}", DISTRICT_LEVEL),
    ("GET", "/api/v1/semesters", DISTRICT_LEVEL),
    ("POST", "/api/v1/semesters", DISTRICT_LEVEL),
    ("GET", "/api/v1/semesters/{id}", DISTRICT_LEVEL),
    ("PATCH", "/api/v1/semesters/{id}", DISTRICT_LEVEL),
    ("DELETE", "/api/v1/semesters/{id}", DISTRICT_LEVEL),
    ("GET", "/api/v1/quota-rule-templates", DISTRICT_LEVEL),
    ("POST", "/api/v1/schools", CREATION),
    ("POST", "/api/v1/school-pairings", CREATION),
    ("POST", "/api/v1/teachers", CREATION),
    ("POST", "/api/v1/users", CREATION),
    ("POST", "/api/v1/groups", CREATION),
    ("POST", "/api/v1/groups/{id}/members", CREATION),
    ("POST", "/api/v1/groups/{id}/slots", CREATION),
    ("POST", "/api/v1/research-topics", CREATION),
];

const PUBLIC: &str = "public: answers without a token and names no object";
const OPERATIONS: &str = "operations: no account reaches it; the address allow-list and the metrics token decide \
     (refusals tested in operations.rs), and it names no object of a school";
const OWN_SESSION: &str = "acts on the caller's own session or account only";
const DISTRICT_LEVEL: &str =
    "district-level organisation, read by the whole district and written by its administrators \
     (another district's: districts_zones.rs, pairings_semesters.rs, quota.rs)";
const CREATION: &str = "a creation names its school in the body; refusals for another school are tested in the \
     area's own file (schools.rs, teachers.rs, users.rs, groups.rs)";
/// The operations of the OpenAPI document, as `(METHOD, path)`, with their tags.
fn operations() -> Vec<(String, String, Vec<String>)> {
    let spec: Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "put", "post", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let tags = op["tags"].as_array().into_iter().flatten().filter_map(Value::as_str).map(String::from);
            found.push((method.to_uppercase(), path.clone(), tags.collect()));
        }
    }
    found
}

/// The operations with one of `tags`, for a matrix that claims by tag.
pub(crate) fn operations_tagged(tags: &[&str]) -> BTreeSet<(String, String)> {
    operations()
        .into_iter()
        .filter(|(_, _, t)| t.iter().any(|t| tags.contains(&t.as_str())))
        .map(|(m, p, _)| (m, p))
        .collect()
}

fn claims(claim: &Claim, method: &str, path: &str, tags: &[String]) -> bool {
    match claim {
        Claim::Prefixes(prefixes) => prefixes.iter().any(|p| path.starts_with(p)),
        Claim::Items(items) => items.iter().any(|(item, list)| {
            (path == *item && ["GET", "PATCH", "DELETE"].contains(&method)) || (path == *list && method == "GET")
        }),
        Claim::Reads(reads) => method == "GET" && reads.contains(&path),
        Claim::Tags(claimed) => tags.iter().any(|t| claimed.contains(&t.as_str())),
    }
}

#[test]
fn every_operation_is_in_an_authorization_matrix_or_exempt_with_a_reason() {
    let mut missing = Vec::new();
    let mut both = Vec::new();
    let mut documented = BTreeSet::new();
    for (method, path, tags) in operations() {
        let by: Vec<&str> =
            MATRICES.iter().filter(|(_, c)| claims(c, &method, &path, &tags)).map(|(name, _)| *name).collect();
        let exempt = EXEMPT.iter().any(|(m, p, _)| *m == method && *p == path);
        match (by.is_empty(), exempt) {
            (true, false) => missing.push(format!("{method} {path}")),
            (false, true) => both.push(format!("{method} {path} (claimed by {})", by.join(", "))),
            _ => {}
        }
        documented.insert((method, path));
    }
    assert!(
        missing.is_empty(),
        "operations in no authorization matrix (probe them in one and extend its claim, see this file's \
         documentation): {missing:#?}"
    );
    assert!(both.is_empty(), "exempt operations that a matrix claims (drop the exemption): {both:#?}");
    let stale: Vec<_> =
        EXEMPT.iter().filter(|(m, p, _)| !documented.contains(&(m.to_string(), p.to_string()))).collect();
    assert!(stale.is_empty(), "exemptions of operations the document no longer has: {stale:?}");
    assert!(EXEMPT.iter().all(|(_, _, reason)| !reason.trim().is_empty()));
}
