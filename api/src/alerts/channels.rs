//! The channels' wire formats (pure): the request a message becomes for a WeCom group robot, a
//! DingTalk custom robot or a generic webhook, the signatures, and how an answer is judged.
//!
//! - WeCom (企业微信群机器人): `{"msgtype":"markdown","markdown":{"content":…}}` or
//!   `{"msgtype":"text","text":{"content":…}}`; content at most 4096 bytes (markdown) or 2048
//!   (text) in UTF-8.
//! - DingTalk (钉钉自定义机器人): `{"msgtype":"markdown","markdown":{"title":…,"text":…}}` or
//!   `{"msgtype":"text","text":{"content":…}}`; with a secret, the URL gains `timestamp` (ms) and
//!   `sign` = URL-encoded base64(HMAC-SHA256(secret, "{timestamp}\n{secret}")).
//! - Webhook: a JSON body with the message and the event's data, whose `sent_at` the
//!   `X-Jiaoyan-Timestamp` header repeats; `X-Jiaoyan-Signature: sha256=<hex HMAC-SHA256 of the
//!   body>` keyed by the subscription's secret. The body carries the time, so the signature
//!   covers it: a receiver refuses a stale `sent_at` (replay) and dedupes by `id`.
//!
//! Both robots answer HTTP 200 with `{"errcode":0,…}`: another errcode is a failure.

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use url::Url;

use super::rules::{AlertChannel, MessageType};

/// A message as the outbox keeps it.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    /// The idempotency key.
    pub key: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    /// Markdown.
    pub body: &'a str,
    pub data: Value,
}

/// Where the message goes, as what.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub channel: AlertChannel,
    pub message_type: MessageType,
    pub url: &'a str,
    pub secret: Option<&'a str>,
}

/// One HTTP POST.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

const WECOM_MARKDOWN_BYTES: usize = 4096;
const WECOM_TEXT_BYTES: usize = 2048;
const DINGTALK_BYTES: usize = 18_000;

/// The request `message` becomes for `target`, at `now_ms` (milliseconds since the epoch).
pub fn outgoing(target: &Target, message: &Message, now_ms: i64) -> Outgoing {
    let mut headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("X-Jiaoyan-Delivery".to_string(), message.key.to_string()),
        ("Idempotency-Key".to_string(), message.key.to_string()),
        ("X-Jiaoyan-Event".to_string(), message.kind.to_string()),
    ];
    let markdown = format!("**{}**\n\n{}", message.title, message.body);
    let plain = format!("{}\n{}", message.title, plain_text(message.body));
    let (url, body) = match target.channel {
        AlertChannel::Wecom => {
            let body = match target.message_type {
                MessageType::Markdown => json!({"msgtype": "markdown",
                    "markdown": {"content": truncate(&markdown, WECOM_MARKDOWN_BYTES)}}),
                MessageType::Text => {
                    json!({"msgtype": "text", "text": {"content": truncate(&plain, WECOM_TEXT_BYTES)}})
                }
            };
            (target.url.to_string(), body)
        }
        AlertChannel::Dingtalk => {
            let body = match target.message_type {
                MessageType::Markdown => json!({"msgtype": "markdown", "markdown": {"title": message.title,
                    "text": truncate(&format!("### {}\n\n{}", message.title, message.body), DINGTALK_BYTES)}}),
                MessageType::Text => json!({"msgtype": "text", "text": {"content": truncate(&plain, DINGTALK_BYTES)}}),
            };
            let url = match target.secret {
                Some(secret) => dingtalk_signed_url(target.url, secret, now_ms),
                None => target.url.to_string(),
            };
            (url, body)
        }
        AlertChannel::Webhook => {
            let sent_at = now_ms.div_euclid(1000);
            let body = json!({"id": message.key, "event": message.kind, "title": message.title,
                "text": message.body, "data": message.data, "sent_at": sent_at});
            headers.push(("X-Jiaoyan-Timestamp".to_string(), sent_at.to_string()));
            let bytes = serde_json::to_vec(&body).unwrap_or_default();
            if let Some(secret) = target.secret {
                headers
                    .push(("X-Jiaoyan-Signature".to_string(), format!("sha256={}", webhook_signature(secret, &bytes))));
            }
            return Outgoing { url: target.url.to_string(), headers, body: bytes };
        }
    };
    Outgoing { url, headers, body: serde_json::to_vec(&body).unwrap_or_default() }
}

/// DingTalk's signature: base64(HMAC-SHA256(key = secret, "{timestamp}\n{secret}")).
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The robot's URL with `timestamp` and the URL-encoded `sign` appended.
fn dingtalk_signed_url(url: &str, secret: &str, now_ms: i64) -> String {
    let Ok(mut parsed) = Url::parse(url) else { return url.to_string() };
    parsed
        .query_pairs_mut()
        .append_pair("timestamp", &now_ms.to_string())
        .append_pair("sign", &dingtalk_sign(secret, now_ms));
    parsed.to_string()
}

/// The webhook's signature: hex HMAC-SHA256 of the body, keyed by the subscription's secret.
pub fn webhook_signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Whether an answer means "delivered": a 2xx, and for the robots `errcode` 0 in the body.
pub fn judge(channel: AlertChannel, status: u16, body: &[u8]) -> Result<(), String> {
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}: {}", snippet(body)));
    }
    if channel == AlertChannel::Webhook {
        return Ok(());
    }
    let answer: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match answer.get("errcode").and_then(Value::as_i64) {
        Some(0) => Ok(()),
        Some(code) => Err(format!(
            "errcode {code}: {}",
            answer.get("errmsg").and_then(Value::as_str).unwrap_or_default().chars().take(200).collect::<String>()
        )),
        None => Err(format!("the robot's answer has no errcode: {}", snippet(body))),
    }
}

fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(200).collect()
}

/// Markdown made plain for a text message: emphasis and heading marks dropped.
fn plain_text(markdown: &str) -> String {
    markdown
        .lines()
        .map(|line| line.trim_start_matches('#').trim_start().replace("**", ""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// At most `max` bytes of `text`, cut at a character boundary, with `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message<'static> {
        Message {
            key: "finding:7/sub:3",
            kind: "finding_to_correct",
            title: "整改通知",
            body: "**王老师**：教案不全",
            data: json!({"finding_id": 7}),
        }
    }

    #[test]
    fn wecom_markdown_and_text_follow_the_documented_json() {
        let target = Target {
            channel: AlertChannel::Wecom,
            message_type: MessageType::Markdown,
            url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            secret: None,
        };
        let out = outgoing(&target, &message(), 0);
        let body: Value = serde_json::from_slice(&out.body).unwrap();
        assert_eq!(body["msgtype"], "markdown");
        assert_eq!(body["markdown"]["content"], "**整改通知**\n\n**王老师**：教案不全");
        assert!(out.headers.contains(&("Idempotency-Key".into(), "finding:7/sub:3".into())));
        let text = Target { message_type: MessageType::Text, ..target };
        let body: Value = serde_json::from_slice(&outgoing(&text, &message(), 0).body).unwrap();
        assert_eq!(body, json!({"msgtype": "text", "text": {"content": "整改通知\n王老师：教案不全"}}));
    }

    #[test]
    fn dingtalk_signs_the_url_as_documented() {
        // The example of DingTalk's documentation page, recomputed.
        let sign = dingtalk_sign("SEC000", 1_577_836_800_000);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"SEC000").unwrap();
        mac.update(b"1577836800000\nSEC000");
        assert_eq!(sign, base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
        let target = Target {
            channel: AlertChannel::Dingtalk,
            message_type: MessageType::Markdown,
            url: "https://oapi.dingtalk.com/robot/send?access_token=t",
            secret: Some("SEC000"),
        };
        let out = outgoing(&target, &message(), 1_577_836_800_000);
        let url = Url::parse(&out.url).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        assert_eq!(pairs[0], ("access_token".into(), "t".into()));
        assert_eq!(pairs[1], ("timestamp".into(), "1577836800000".into()));
        assert_eq!(pairs[2], ("sign".into(), sign));
        let body: Value = serde_json::from_slice(&out.body).unwrap();
        assert_eq!(body["markdown"]["title"], "整改通知");
    }

    #[test]
    fn the_webhook_signature_covers_the_body_with_its_time() {
        let target = Target {
            channel: AlertChannel::Webhook,
            message_type: MessageType::Markdown,
            url: "https://hooks.example.com/x",
            secret: Some("s3cret"),
        };
        let out = outgoing(&target, &message(), 1_700_000_000_123);
        let header = |name: &str| out.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap();
        assert_eq!(header("X-Jiaoyan-Timestamp"), "1700000000");
        assert_eq!(header("X-Jiaoyan-Signature"), format!("sha256={}", webhook_signature("s3cret", &out.body)));
        let body: Value = serde_json::from_slice(&out.body).unwrap();
        assert_eq!(body["sent_at"], 1_700_000_000);
        assert_eq!(body["data"]["finding_id"], 7);
    }

    #[test]
    fn robots_fail_on_a_nonzero_errcode() {
        assert!(judge(AlertChannel::Wecom, 200, br#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        assert!(judge(AlertChannel::Dingtalk, 200, br#"{"errcode":310000,"errmsg":"sign not match"}"#)
            .unwrap_err()
            .contains("310000"));
        assert!(judge(AlertChannel::Wecom, 200, b"ok").is_err());
        assert!(judge(AlertChannel::Webhook, 204, b"").is_ok());
        assert!(judge(AlertChannel::Webhook, 500, b"boom").unwrap_err().contains("500"));
    }

    #[test]
    fn long_content_is_cut_at_a_character_boundary() {
        let cut = truncate(&"教".repeat(2000), WECOM_MARKDOWN_BYTES);
        assert!(cut.len() <= WECOM_MARKDOWN_BYTES && cut.ends_with('…'));
    }
}
