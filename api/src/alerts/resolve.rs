//! The delivery client's name resolution: a host name that resolves only to internal addresses
//! (loopback, private, link-local ...) is not reached, so that a public-looking name pointed at
//! the service's own network (DNS rebinding) cannot turn a subscription into a probe of it. URLs
//! naming an IP address are checked when saved and before each send ([`super::rules::check_url`]).

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::rules::is_internal;

/// Resolves with the system resolver and keeps the public addresses.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.filter(|a| !is_internal(a.ip())).collect();
            if found.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}
