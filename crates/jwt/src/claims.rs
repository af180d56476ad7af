//! Token claims parsed once into a small tree that keeps the document's order, so a
//! binding can both check them and turn them into its own objects without parsing the
//! JSON again.

use std::fmt;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use crate::json::NotAnObject;

/// One JSON value of the claims.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// An integer that fits in an `i64`.
    Int(i64),
    /// A non-negative integer above `i64::MAX` that fits in a `u64`.
    UInt(u64),
    /// Any other number: a fraction, an exponent, or an integer beyond 64 bits. Its
    /// exact value may differ from what another parser reads (see [`Claims::has_float`]).
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    /// Members in document order; a repeated name is kept as it appears.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The value as a number of seconds, when it is a JSON number.
    pub fn as_number(&self) -> Option<f64> {
        match *self {
            // Precision beyond 2^53 does not matter for comparing times.
            Json::Int(i) => Some(i as f64),
            Json::UInt(u) => Some(u as f64),
            Json::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The value as text, when it is a JSON string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The claims of a token: a JSON object, members in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    members: Vec<(String, Json)>,
    has_float: bool,
}

impl Claims {
    /// Parses the claims' JSON text, which must be an object.
    pub fn parse(text: &str) -> Result<Self, NotAnObject> {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut has_float = false;
        let members = de.deserialize_map(ObjectVisitor {
            has_float: &mut has_float,
        })?;
        de.end()?;
        Ok(Claims { members, has_float })
    }

    /// The members in document order, repeated names included.
    pub fn members(&self) -> &[(String, Json)] {
        &self.members
    }

    /// The value of claim `name`: the last one when the name is repeated, as in a
    /// dict built from the members in order.
    pub fn get(&self, name: &str) -> Option<&Json> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// True when some number anywhere in the claims is a [`Json::Float`]: a binding
    /// that must read numbers exactly as its own JSON parser does should then parse
    /// the text itself.
    pub fn has_float(&self) -> bool {
        self.has_float
    }
}

/// Builds any JSON value, noting whether a float was seen.
struct ValueSeed<'a> {
    has_float: &'a mut bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(ValueVisitor {
            has_float: self.has_float,
        })
    }
}

struct ValueVisitor<'a> {
    has_float: &'a mut bool,
}

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(i64::try_from(v).map_or(Json::UInt(v), Json::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        *self.has_float = true;
        Ok(Json::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ValueSeed {
            has_float: &mut *self.has_float,
        })? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Json, A::Error> {
        ObjectVisitor {
            has_float: self.has_float,
        }
        .visit_map(map)
        .map(Json::Object)
    }
}

/// Builds a JSON object's members; refuses any other top-level value.
struct ObjectVisitor<'a> {
    has_float: &'a mut bool,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = Vec<(String, Json)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(ValueSeed {
                has_float: &mut *self.has_float,
            })?;
            members.push((key, value));
        }
        Ok(members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::check_object;

    #[test]
    fn keeps_order_and_types() {
        let c = Claims::parse(
            r#"{"z": 1, "a": [true, null, "é"], "big": 18446744073709551615, "o": {"k": -2}}"#,
        )
        .unwrap();
        let names: Vec<&str> = c.members().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["z", "a", "big", "o"]);
        assert_eq!(c.get("z"), Some(&Json::Int(1)));
        assert_eq!(c.get("big"), Some(&Json::UInt(u64::MAX)));
        assert_eq!(
            c.get("a"),
            Some(&Json::Array(vec![
                Json::Bool(true),
                Json::Null,
                Json::Str("é".into())
            ]))
        );
        assert_eq!(
            c.get("o"),
            Some(&Json::Object(vec![("k".into(), Json::Int(-2))]))
        );
        assert!(!c.has_float());
    }

    #[test]
    fn notes_floats_anywhere() {
        for text in [
            r#"{"a": 1.5}"#,
            r#"{"a": [{"b": 1e3}]}"#,
            r#"{"a": 123456789012345678901234567890}"#,
        ] {
            assert!(Claims::parse(text).unwrap().has_float(), "{text}");
        }
    }

    #[test]
    fn last_repeated_name_wins() {
        let c = Claims::parse(r#"{"exp": 1, "exp": "x"}"#).unwrap();
        assert_eq!(c.get("exp"), Some(&Json::Str("x".into())));
        assert_eq!(c.members().len(), 2);
    }

    /// Refuses exactly what the strict object check refuses.
    #[test]
    fn agrees_with_the_object_check() {
        for text in [
            r#"{}"#,
            r#"{"a": "\ud800"}"#,
            r#"{"a": 1e999}"#,
            r#"{"a": 1,}"#,
            r#"{"a": 1} x"#,
            r#"[1]"#,
            r#"3"#,
            "",
        ] {
            assert_eq!(
                Claims::parse(text).map(|_| ()),
                check_object(text),
                "{text:?}"
            );
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        let text = format!("{{\"a\":{deep}}}");
        assert_eq!(Claims::parse(&text).map(|_| ()), check_object(&text));
    }
}
