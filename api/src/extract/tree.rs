//! A JSON body read into a tree before it becomes a request type: keys keep their order and a
//! key given twice is refused; every string is cleaned ([`crate::text`]) in place, each error
//! naming its path; then [`super::strict`] deserialises the request type from it.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::FieldError;
use crate::text::{self, TextKind};

/// A JSON value, objects in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        serde_json::Number::from_f64(v).map(Node::Number).ok_or_else(|| E::custom("numbers must be finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Node::Object(entries))
    }
}

/// Cleans every string of `node` in place: NFC, no control characters, no invisible characters
/// in names (recognised by their key, [`text::is_name_key`]); secrets are left exactly as sent.
/// Returns every refusal, each on its path (`records[3].name`).
pub fn clean_strings(node: &mut Node) -> Vec<FieldError> {
    let mut errors = Vec::new();
    walk(node, &mut String::new(), None, &mut errors);
    errors
}

fn walk(node: &mut Node, path: &mut String, key: Option<&str>, errors: &mut Vec<FieldError>) {
    match node {
        Node::String(s) => {
            if key.is_some_and(text::is_secret_key) {
                return;
            }
            let kind = if key.is_some_and(is_name_like) { TextKind::Name } else { TextKind::Free };
            match text::clean(s, kind) {
                Ok(std::borrow::Cow::Owned(cleaned)) => *s = cleaned,
                Ok(std::borrow::Cow::Borrowed(_)) => {}
                Err(refused) => errors.push(FieldError::new(field(path), refused.0)),
            }
        }
        Node::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path, key, errors);
                path.truncate(len);
            }
        }
        Node::Object(entries) => {
            for (k, value) in entries.iter_mut() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(value, path, Some(k), errors);
                path.truncate(len);
            }
        }
        Node::Null | Node::Bool(_) | Node::Number(_) => {}
    }
}

/// Names, and the subjects a teacher teaches or a group is for (labels compared for equality in
/// filters and uniqueness, like names).
fn is_name_like(key: &str) -> bool {
    text::is_name_key(key) || key == "subject" || key == "subjects"
}

fn field(path: &str) -> String {
    if path.is_empty() {
        "body".to_string()
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Node {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn objects_keep_their_order_and_refuse_a_key_twice() {
        let node = read(r#"{"b":1,"a":[true,null,"x",1.5]}"#);
        let Node::Object(entries) = node else { panic!() };
        assert_eq!(entries.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        let err = serde_json::from_str::<Node>(r#"{"a":1,"a":2}"#).unwrap_err();
        assert!(err.to_string().starts_with("duplicate field `a`"), "{err}");
    }

    #[test]
    fn strings_are_cleaned_on_their_paths() {
        let mut node = read(
            r#"{"name":"大河岸\u200b","records":[{"name":"ok"},{"subjects":["语文","数\u200d学"]}],
                "description":"第一行\r\n第二行","password":"e\u0301\u200b","note":"a\u0007"}"#,
        );
        let errors = clean_strings(&mut node);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "records[1].subjects[1]", "note"]);
        let Node::Object(entries) = &node else { panic!() };
        assert_eq!(entries[2].1, Node::String("第一行\n第二行".into()));
        assert_eq!(entries[3].1, Node::String("e\u{301}\u{200b}".into()), "secrets are left alone");
        let mut top = read(r#""a\u0000""#);
        assert_eq!(clean_strings(&mut top)[0].field, "body");
    }
}
