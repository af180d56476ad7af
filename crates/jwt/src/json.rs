//! Strict JSON checks for token parts, built on serde_json.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use serde_json::{Map, Value};

/// Why a text is not a usable JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAnObject {
    /// Not JSON at all (syntax, truncation, bad escape, nesting deeper than 128).
    Syntax,
    /// Valid JSON whose top level is not an object.
    WrongType,
}

impl From<serde_json::Error> for NotAnObject {
    fn from(e: serde_json::Error) -> Self {
        match e.classify() {
            Category::Data => NotAnObject::WrongType,
            Category::Syntax | Category::Eof | Category::Io => NotAnObject::Syntax,
        }
    }
}

/// Parses `text` as a JSON object.
pub fn parse_object(text: &str) -> Result<Map<String, Value>, NotAnObject> {
    Ok(serde_json::from_str(text)?)
}

/// Checks that `text` is a JSON object exactly as strictly as [`parse_object`] would
/// (escapes, surrogate pairs, number ranges, nesting), without building it.
pub fn check_object(text: &str) -> Result<(), NotAnObject> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(AnyJson)?;
    de.end()?;
    Ok(())
}

/// Accepts any JSON value, fully checking it and keeping nothing.
struct AnyJson;

impl<'de> Deserialize<'de> for AnyJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyJson)
    }
}

impl<'de> Visitor<'de> for AnyJson {
    type Value = AnyJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_bool<E>(self, _: bool) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_i64<E>(self, _: i64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_u64<E>(self, _: u64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_f64<E>(self, _: f64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    // Strings arrive here already unescaped, so bad escapes and lone surrogates have
    // been refused by serde_json, as they would be when building a `Value`.
    fn visit_str<E>(self, _: &str) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_unit<E>(self) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyJson, A::Error> {
        while seq.next_element::<AnyJson>()?.is_some() {}
        Ok(AnyJson)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyJson, A::Error> {
        while map.next_entry::<AnyJson, AnyJson>()?.is_some() {}
        Ok(AnyJson)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `check_object` must accept and refuse exactly what `parse_object` does.
    #[test]
    fn check_agrees_with_parse() {
        let cases = [
            r#"{}"#,
            r#" {"a": [1, -2, 3.5e10, true, false, null, {"b": "\u00e9\ud83d\ude00"}]} "#,
            r#"{"big": 123456789012345678901234567890}"#,
            r#"{"a": "\ud800"}"#,
            r#"{"a": "\x"}"#,
            r#"{"a": 1e999}"#,
            r#"{"a": NaN}"#,
            r#"{"a": 1,}"#,
            r#"{"a": 1} x"#,
            r#"{"a""#,
            r#"[1]"#,
            r#""text""#,
            r#"3"#,
            r#"null"#,
            "",
        ];
        for text in cases {
            assert_eq!(
                check_object(text),
                parse_object(text).map(|_| ()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn classifies_failures() {
        assert_eq!(check_object("[1, 2]"), Err(NotAnObject::WrongType));
        assert_eq!(check_object("{\"a\":"), Err(NotAnObject::Syntax));
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(
            check_object(&format!("{{\"a\":{deep}}}")),
            Err(NotAnObject::Syntax)
        );
    }
}
