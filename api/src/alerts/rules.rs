//! The pure rules of alerts: the vocabularies (scopes, channels, message types, event kinds),
//! which URLs a subscription may name (the SSRF stance, docs/ALERTS.md "Security"), how a URL is
//! shown, and when a failed delivery is tried again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use url::{Host, Url};
use utoipa::ToSchema;

use crate::domain::FieldError;

/// Whose subscription it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertScope {
    District,
    School,
    Group,
}

/// Where the messages go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertChannel {
    /// A WeCom (企业微信) group robot: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...`.
    Wecom,
    /// A DingTalk (钉钉) custom robot: `https://oapi.dingtalk.com/robot/send?access_token=...`,
    /// signed when it has a secret.
    Dingtalk,
    /// Any HTTPS endpoint: a JSON body signed with HMAC-SHA256 (`X-Jiaoyan-Signature`).
    Webhook,
}

/// How a robot shows the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum MessageType {
    #[default]
    Markdown,
    Text,
}

/// What a subscription can be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Monday's digest of who is at risk or short on which rule (from the quota checks).
    AtRiskDigest,
    /// Record tasks, preparation drafts and activity summaries due within the next days.
    DeadlinesComing,
    /// Activity summaries past their due date and not submitted.
    SummaryOverdue,
    /// A district team removed a member of the school (the notice to the school).
    TeamNotice,
    /// An inspection recorded a finding to correct (整改).
    FindingToCorrect,
    /// A test message sent by hand (`POST /alert-subscriptions/{id}/test`); always wanted.
    Test,
}

impl EventKind {
    pub const SUBSCRIBABLE: [EventKind; 5] = [
        EventKind::AtRiskDigest,
        EventKind::DeadlinesComing,
        EventKind::SummaryOverdue,
        EventKind::TeamNotice,
        EventKind::FindingToCorrect,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::AtRiskDigest => "at_risk_digest",
            EventKind::DeadlinesComing => "deadlines_coming",
            EventKind::SummaryOverdue => "summary_overdue",
            EventKind::TeamNotice => "team_notice",
            EventKind::FindingToCorrect => "finding_to_correct",
            EventKind::Test => "test",
        }
    }

    pub fn parse(code: &str) -> Option<EventKind> {
        Self::SUBSCRIBABLE.into_iter().chain([EventKind::Test]).find(|k| k.code() == code)
    }
}

impl AlertScope {
    pub fn code(self) -> &'static str {
        match self {
            AlertScope::District => "district",
            AlertScope::School => "school",
            AlertScope::Group => "group",
        }
    }

    pub fn parse(code: &str) -> Option<AlertScope> {
        [AlertScope::District, AlertScope::School, AlertScope::Group].into_iter().find(|s| s.code() == code)
    }
}

impl AlertChannel {
    pub fn code(self) -> &'static str {
        match self {
            AlertChannel::Wecom => "wecom",
            AlertChannel::Dingtalk => "dingtalk",
            AlertChannel::Webhook => "webhook",
        }
    }

    pub fn parse(code: &str) -> Option<AlertChannel> {
        [AlertChannel::Wecom, AlertChannel::Dingtalk, AlertChannel::Webhook].into_iter().find(|c| c.code() == code)
    }
}

impl MessageType {
    pub fn code(self) -> &'static str {
        match self {
            MessageType::Markdown => "markdown",
            MessageType::Text => "text",
        }
    }

    pub fn parse(code: &str) -> MessageType {
        if code == "text" {
            MessageType::Text
        } else {
            MessageType::Markdown
        }
    }
}

/// The stored form of a list of event kinds.
pub fn events_to_text(kinds: &[EventKind]) -> String {
    let mut codes: Vec<&str> = EventKind::SUBSCRIBABLE.iter().filter(|k| kinds.contains(k)).map(|k| k.code()).collect();
    codes.dedup();
    codes.join(",")
}

/// The event kinds of a stored list (unknown codes are skipped).
pub fn events_of(text: &str) -> Vec<EventKind> {
    text.split(',').filter_map(|c| EventKind::parse(c.trim())).collect()
}

/// Whether an address is one a subscription may never reach: loopback, private, link-local,
/// carrier-grade NAT, unique-local, multicast, unspecified, documentation or benchmark ranges.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => internal_v4(v4),
            None => internal_v6(v6),
        },
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// The test receiver's host: `http://127.0.0.1:PORT/...` when `JIAOYAN_ALERTS_ALLOW_HTTP_LOCALHOST`.
pub fn is_test_host(url: &Url) -> bool {
    url.host() == Some(Host::Ipv4(Ipv4Addr::LOCALHOST))
}

/// Checks a subscription's URL: HTTPS to a public host (an IP literal must not be internal, and
/// `localhost` and `.local`/`.internal` names are refused), no credentials or fragment; a WeCom
/// or DingTalk robot at its vendor's documented address. `http://127.0.0.1:PORT` is the one
/// exception, and only when `allow_http_localhost` (it may then speak any channel's format).
pub fn check_url(text: &str, channel: AlertChannel, allow_http_localhost: bool) -> Result<Url, FieldError> {
    let bad = |message: &str| FieldError::new("url", message);
    let url = Url::parse(text.trim()).map_err(|e| bad(&format!("is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry credentials (user:password@)"));
    }
    if url.fragment().is_some() {
        return Err(bad("must not have a fragment"));
    }
    if allow_http_localhost && is_test_host(&url) && matches!(url.scheme(), "http" | "https") {
        return Ok(url);
    }
    if url.scheme() != "https" {
        return Err(bad("must be https://"));
    }
    match url.host() {
        None => return Err(bad("has no host")),
        Some(Host::Ipv4(ip)) if is_internal(IpAddr::V4(ip)) => {
            return Err(bad("must not name a private, loopback or link-local address"))
        }
        Some(Host::Ipv6(ip)) if is_internal(IpAddr::V6(ip)) => {
            return Err(bad("must not name a private, loopback or link-local address"))
        }
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name == "localhost"
                || [".localhost", ".local", ".internal", ".lan", ".home.arpa"].iter().any(|s| name.ends_with(s))
                || !name.contains('.')
            {
                return Err(bad("must name a public host"));
            }
        }
        _ => {}
    }
    let query_has = |key: &str| url.query_pairs().any(|(k, v)| k == key && !v.is_empty());
    match channel {
        AlertChannel::Wecom => {
            if url.host_str() != Some("qyapi.weixin.qq.com")
                || url.path() != "/cgi-bin/webhook/send"
                || !query_has("key")
            {
                return Err(bad("a WeCom robot's URL is https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=..."));
            }
        }
        AlertChannel::Dingtalk => {
            if url.host_str() != Some("oapi.dingtalk.com") || url.path() != "/robot/send" || !query_has("access_token")
            {
                return Err(bad("a DingTalk robot's URL is https://oapi.dingtalk.com/robot/send?access_token=..."));
            }
        }
        AlertChannel::Webhook => {}
    }
    Ok(url)
}

/// A URL as the API shows it: the values of its query masked (a robot's `key` and
/// `access_token` are secrets), so `?key=***`.
pub fn masked_url(text: &str) -> String {
    let Ok(mut url) = Url::parse(text) else { return "***".into() };
    let keys: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    if keys.is_empty() {
        return url.to_string();
    }
    let query = keys.iter().map(|k| format!("{k}=***")).collect::<Vec<_>>().join("&");
    url.set_query(Some(&query));
    url.to_string()
}

/// Milliseconds to wait after the `attempt`th failed attempt (1-based): `base × 2^(attempt-1)`,
/// at most an hour, of which a random share in `[½, 1]` (`jitter` in `[0, 1)`), so that the
/// messages of one outage do not all come back at once.
pub fn backoff_ms(base_ms: u64, attempt: u32, jitter: f64) -> u64 {
    const CAP_MS: u64 = 3_600_000;
    let exponent = attempt.saturating_sub(1).min(30);
    let full = base_ms.saturating_mul(1u64 << exponent).min(CAP_MS);
    let half = full / 2;
    half + (half as f64 * jitter.clamp(0.0, 1.0)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_need_their_vendors_https_address() {
        let wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc";
        assert!(check_url(wecom, AlertChannel::Wecom, false).is_ok());
        assert!(check_url(wecom, AlertChannel::Dingtalk, false).is_err());
        assert!(check_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", AlertChannel::Wecom, false).is_err());
        let ding = "https://oapi.dingtalk.com/robot/send?access_token=xyz";
        assert!(check_url(ding, AlertChannel::Dingtalk, false).is_ok());
        assert!(check_url("http://hooks.example.com/x", AlertChannel::Webhook, false).is_err());
        assert!(check_url("https://hooks.example.com/x", AlertChannel::Webhook, false).is_ok());
    }

    #[test]
    fn internal_targets_are_refused_but_the_test_host_when_allowed() {
        for url in [
            "https://10.0.0.5/hook",
            "https://192.168.1.1/hook",
            "https://127.0.0.2/hook",
            "https://[::1]/hook",
            "https://169.254.169.254/latest",
            "https://[fd00::1]/hook",
            "https://100.64.0.1/hook",
            "https://localhost/hook",
            "https://printer.local/hook",
            "https://intranet/hook",
            "https://user:pw@hooks.example.com/x",
        ] {
            assert!(check_url(url, AlertChannel::Webhook, true).is_err(), "{url}");
        }
        assert!(check_url("http://127.0.0.1:9000/hook", AlertChannel::Webhook, false).is_err());
        assert!(check_url("https://127.0.0.1/hook", AlertChannel::Webhook, false).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", AlertChannel::Wecom, true).is_ok());
        assert!(check_url("http://127.0.0.2:9000/hook", AlertChannel::Webhook, true).is_err());
        assert!(is_internal("::ffff:10.1.2.3".parse().unwrap()));
        assert!(!is_internal("101.226.0.1".parse().unwrap()));
    }

    #[test]
    fn a_shown_url_hides_its_query_values() {
        assert_eq!(
            masked_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
        );
        assert_eq!(masked_url("https://hooks.example.com/x"), "https://hooks.example.com/x");
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter_up_to_an_hour() {
        assert_eq!(backoff_ms(1000, 1, 1.0), 1000);
        assert_eq!(backoff_ms(1000, 1, 0.0), 500);
        assert_eq!(backoff_ms(1000, 3, 1.0), 4000);
        assert!((2000..=4000).contains(&backoff_ms(1000, 3, 0.37)));
        assert_eq!(backoff_ms(30_000, 20, 1.0), 3_600_000);
        assert_eq!(backoff_ms(u64::MAX, 64, 1.0), 3_600_000);
    }

    #[test]
    fn event_lists_round_trip_in_a_stable_order() {
        let text = events_to_text(&[EventKind::TeamNotice, EventKind::AtRiskDigest, EventKind::TeamNotice]);
        assert_eq!(text, "at_risk_digest,team_notice");
        assert_eq!(events_of(&text), vec![EventKind::AtRiskDigest, EventKind::TeamNotice]);
        assert_eq!(events_of("nonsense,,team_notice"), vec![EventKind::TeamNotice]);
    }
}
