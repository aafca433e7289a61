//! The pure decisions of the operations endpoints: whether the database's migrations are this
//! binary's, and who may read `/metrics`.

use std::net::IpAddr;

use ipnet::IpNet;
use subtle::ConstantTimeEq;

use crate::domain::{DomainError, DomainResult};

/// What is wrong with the applied migrations, when they are not exactly `known` (the binary's
/// `Migrator` list): pending ones (the database is behind: run `jiaoyan migrate`, or let a
/// starting service migrate) and unknown ones (the database was migrated by a newer binary).
pub fn migrations_gap(known: &[String], applied: &[String]) -> Option<String> {
    let pending: Vec<&str> = known.iter().filter(|m| !applied.contains(m)).map(String::as_str).collect();
    let unknown: Vec<&str> = applied.iter().filter(|m| !known.contains(m)).map(String::as_str).collect();
    let list = |names: &[&str]| {
        let shown: Vec<&str> = names.iter().take(3).copied().collect();
        let more = names.len().saturating_sub(shown.len());
        format!("{}{}", shown.join(", "), if more > 0 { format!(" and {more} more") } else { String::new() })
    };
    let mut problems = Vec::new();
    if !pending.is_empty() {
        problems.push(format!("{} pending: {}", pending.len(), list(&pending)));
    }
    if !unknown.is_empty() {
        problems.push(format!(
            "{} unknown to this binary (a newer version migrated it): {}",
            unknown.len(),
            list(&unknown)
        ));
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// Whether a request from `peer` carrying `bearer` may read `/metrics`: the peer address must be
/// in `allow` (403 otherwise), and when `token` is set the bearer token must be it (401).
pub fn admit_metrics(
    allow: &[IpNet],
    token: Option<&str>,
    peer: Option<IpAddr>,
    bearer: Option<&str>,
) -> DomainResult<()> {
    // An IPv4 client of a dual-stack listener appears as ::ffff:a.b.c.d.
    let allowed = peer.map(|ip| ip.to_canonical()).is_some_and(|ip| allow.iter().any(|net| net.contains(&ip)));
    if !allowed {
        return Err(DomainError::forbidden(
            "the metrics are not served to this address (JIAOYAN_METRICS_ALLOW)".to_string(),
        ));
    }
    match token {
        None => Ok(()),
        Some(expected) if bearer.is_some_and(|b| bool::from(b.as_bytes().ct_eq(expected.as_bytes()))) => Ok(()),
        Some(_) => {
            Err(DomainError::Unauthenticated("the metrics need the bearer token of JIAOYAN_METRICS_TOKEN".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn migrations_are_current_only_when_applied_equals_known() {
        let known = names(&["m1", "m2", "m3"]);
        assert_eq!(migrations_gap(&known, &names(&["m1", "m2", "m3"])), None);
        assert_eq!(migrations_gap(&known, &names(&["m1"])).unwrap(), "2 pending: m2, m3");
        let newer = migrations_gap(&known, &names(&["m1", "m2", "m3", "m4"])).unwrap();
        assert!(newer.starts_with("1 unknown to this binary") && newer.ends_with(": m4"), "{newer}");
        let many = names(&["a", "b", "c", "d", "e"]);
        assert_eq!(migrations_gap(&many, &[]).unwrap(), "5 pending: a, b, c and 2 more");
    }

    #[test]
    fn metrics_need_an_allowed_address_and_the_token_when_there_is_one() {
        let allow: [IpNet; 2] = ["127.0.0.1/32".parse().unwrap(), "10.1.0.0/16".parse().unwrap()];
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert!(admit_metrics(&allow, None, ip("127.0.0.1"), None).is_ok());
        assert!(admit_metrics(&allow, None, ip("::ffff:10.1.2.3"), None).is_ok(), "an IPv4-mapped peer");
        let refused = admit_metrics(&allow, None, ip("192.0.2.1"), None);
        assert!(matches!(refused, Err(DomainError::Forbidden(_))));
        assert!(matches!(admit_metrics(&allow, None, None, None), Err(DomainError::Forbidden(_))));
        let token = Some("s3cret-token");
        assert!(admit_metrics(&allow, token, ip("127.0.0.1"), Some("s3cret-token")).is_ok());
        for bearer in [None, Some("s3cret"), Some("s3cret-token2")] {
            let refused = admit_metrics(&allow, token, ip("127.0.0.1"), bearer);
            assert!(matches!(refused, Err(DomainError::Unauthenticated(_))), "{bearer:?}");
        }
        let elsewhere = admit_metrics(&allow, token, ip("192.0.2.1"), Some("s3cret-token"));
        assert!(matches!(elsewhere, Err(DomainError::Forbidden(_))), "the token does not open other addresses");
    }
}
