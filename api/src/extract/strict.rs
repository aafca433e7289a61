//! Deserialising a request type from a [`Node`] strictly: a struct must come from a JSON object.
//!
//! serde's derive accepts a sequence for a struct (fields by position), so `[1,null,"数组小学"]`
//! would create a school. This deserializer refuses an array wherever a struct is expected, at
//! any depth, with serde's usual "invalid type: sequence, expected struct ..." message, so that
//! `serde_path_to_error` names the field. Types that buffer their input first (internally tagged
//! enums, `#[serde(flatten)]`) read their inner structs from serde's buffer, not from here; none
//! of their inner structs is documented as anything but an object, and each of them checks its
//! fields by name.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, Unexpected, VariantAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Error;

use super::tree::Node;

impl Node {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Node::Null => Unexpected::Unit,
            Node::Bool(b) => Unexpected::Bool(*b),
            Node::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Unexpected::Unsigned(u),
                (_, Some(i), _) => Unexpected::Signed(i),
                (_, _, Some(f)) => Unexpected::Float(f),
                _ => Unexpected::Other("number"),
            },
            Node::String(s) => Unexpected::Str(s),
            Node::Array(_) => Unexpected::Seq,
            Node::Object(_) => Unexpected::Map,
        }
    }
}

impl<'de> Deserializer<'de> for &'de Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Number(n) => n.deserialize_any(visitor),
            Node::String(s) => visitor.visit_borrowed_str(s),
            Node::Array(items) => {
                let mut seq = Seq { items: items.iter(), len: items.len() };
                let value = visitor.visit_seq(&mut seq)?;
                match seq.items.len() {
                    0 => Ok(value),
                    _ => Err(de::Error::invalid_length(seq.len, &"fewer elements in array")),
                }
            }
            Node::Object(entries) => visitor.visit_map(Map { entries: entries.iter(), value: None }),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Array(_) => Err(de::Error::invalid_type(Unexpected::Seq, &visitor)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::String(s) => visitor.visit_enum(BorrowedStrDeserializer::<Error>::new(s)),
            Node::Object(entries) if entries.len() == 1 => {
                let (variant, value) = &entries[0];
                visitor.visit_enum(Variant { variant, value })
            }
            Node::Object(_) => Err(de::Error::invalid_value(Unexpected::Map, &"a map with a single key (the variant)")),
            other => Err(de::Error::invalid_type(other.unexpected(), &"a string or a map with a single key")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

struct Seq<'de> {
    items: std::slice::Iter<'de, Node>,
    len: usize,
}

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.items.next().map(|item| seed.deserialize(item)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'de> {
    entries: std::slice::Iter<'de, (String, Node)>,
    value: Option<&'de Node>,
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(BorrowedStrDeserializer::<Error>::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Variant<'de> {
    variant: &'de str,
    value: &'de Node,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = &'de Node;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, &'de Node), Error> {
        let variant = BorrowedStrDeserializer::<Error>::new(self.variant);
        Ok((seed.deserialize(variant)?, self.value))
    }
}

impl<'de> VariantAccess<'de> for &'de Node {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self {
            Node::Null => Ok(()),
            other => Err(de::Error::invalid_type(other.unexpected(), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        self.deserialize_struct("", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct School {
        name: String,
        tier: Option<Tier>,
        zone_id: Option<i64>,
        #[serde(default)]
        honours: Vec<Honour>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Honour {
        year: i32,
        level: Option<f64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Tier {
        Village,
        Central { since: u16 },
    }

    fn parse<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, (String, String)> {
        let node: Node = serde_json::from_str(json).unwrap();
        serde_path_to_error::deserialize(&node).map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
    }

    #[test]
    fn objects_deserialise_as_usual() {
        let school: School =
            parse(r#"{"name":"一小","tier":"village","zone_id":3,"honours":[{"year":2020,"level":1}]}"#).unwrap();
        assert_eq!(school.honours[0], Honour { year: 2020, level: Some(1.0) });
        assert_eq!(school.tier, Some(Tier::Village));
        let central: School = parse(r#"{"name":"x","tier":{"central":{"since":1990}},"zone_id":null}"#).unwrap();
        assert_eq!(central.tier, Some(Tier::Central { since: 1990 }));
        let map: BTreeMap<String, Vec<i64>> = parse(r#"{"a":[1,2]}"#).unwrap();
        assert_eq!(map["a"], [1, 2]);
    }

    #[test]
    fn arrays_are_refused_where_a_struct_is_expected_at_any_depth() {
        let (path, message) = parse::<School>(r#"[1,null,"数组小学","village",null,null]"#).unwrap_err();
        assert_eq!((path.as_str(), message.as_str()), (".", "invalid type: sequence, expected struct School"));
        let (path, _) = parse::<School>(r#"{"name":"x","honours":[[2020,null]]}"#).unwrap_err();
        assert_eq!(path, "honours[0]");
        let (path, _) = parse::<School>(r#"{"name":"x","tier":{"central":[1990]}}"#).unwrap_err();
        assert_eq!(path, "tier.central");
    }

    #[test]
    fn type_errors_keep_serdes_messages() {
        let (path, message) = parse::<School>(r#"{"name":"x","zone_id":"three"}"#).unwrap_err();
        assert_eq!((path.as_str(), message.as_str()), ("zone_id", "invalid type: string \"three\", expected i64"));
        let (_, message) = parse::<School>(r#"{"name":"x","tier":"town"}"#).unwrap_err();
        assert!(message.starts_with("unknown variant `town`"), "{message}");
        let (_, message) = parse::<School>(r#"{"name":"x","colour":1}"#).unwrap_err();
        assert!(message.starts_with("unknown field `colour`"), "{message}");
        let (_, message) = parse::<School>(r#"{"tier":null}"#).unwrap_err();
        assert_eq!(message, "missing field `name`");
    }
}
