//! The public base URL (`JIAOYAN_PUBLIC_URL`) that absolute URLs in answers are built from.
//!
//! A request's `Host` (or `X-Forwarded-Host`) is whatever the client sent: building links from
//! it lets anyone who can reach the service make it hand out URLs to their own host (a poisoned
//! cache or proxy then serves them to others). So the origin is configuration. `Location` and
//! `Link` headers are relative references (RFC 9110 §10.2.2, RFC 8288 §3.2) and need no origin.

use std::net::SocketAddr;

/// The configured base URL checked and without a trailing `/`, or `http://` and the bound
/// address when none is configured.
pub fn resolve(configured: Option<&str>, bound: SocketAddr) -> anyhow::Result<String> {
    let Some(url) = configured.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(format!("http://{bound}"));
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| anyhow::anyhow!("JIAOYAN_PUBLIC_URL must start with https:// or http://, got {url}"))?;
    let host = rest.split('/').next().unwrap_or("");
    anyhow::ensure!(!host.is_empty(), "JIAOYAN_PUBLIC_URL has no host: {url}");
    anyhow::ensure!(
        !url.contains(['?', '#', '@']) && !url.chars().any(|c| c.is_whitespace() || c.is_control()),
        "JIAOYAN_PUBLIC_URL must be scheme://host[:port][/prefix], without credentials, query or fragment: {url}"
    );
    Ok(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_is_configured_or_the_bound_address() {
        let bound: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(resolve(None, bound).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(resolve(Some(" "), bound).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(resolve(Some("https://jy.example.edu.cn/"), bound).unwrap(), "https://jy.example.edu.cn");
        assert_eq!(resolve(Some("https://example.org/jy/"), bound).unwrap(), "https://example.org/jy");
        for bad in ["jy.example.edu.cn", "ftp://x", "https://", "https://x/?a=1", "https://u:p@x", "https://x y"] {
            assert!(resolve(Some(bad), bound).is_err(), "{bad}");
        }
    }
}
