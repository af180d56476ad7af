//! Query parameters, kept percent-encoded so that the canonical query string and the
//! query string of the URL are one and the same text.

use crate::error::Result;
use crate::percent;

/// An ordered list of query parameters; repeated names are allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// `(name, value)`, both already URI-encoded.
    pairs: Vec<(String, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one parameter given as plain (unencoded) text or bytes.
    pub fn push(&mut self, name: &[u8], value: &[u8]) {
        self.pairs
            .push((percent::encode(name, false), percent::encode(value, false)));
    }

    /// Parses the query string of a URL (the part after `?`). `+` is read as a space,
    /// as form encoding (and `requests`) writes it; a name without `=` has an empty value.
    pub fn parse(query: &str) -> Result<Self> {
        let mut parsed = Self::new();
        for piece in query.split('&').filter(|piece| !piece.is_empty()) {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            parsed.push(
                &percent::decode(name, true, "query")?,
                &percent::decode(value, true, "query")?,
            );
        }
        Ok(parsed)
    }

    /// Whether a parameter with this exact (plain) name is present.
    pub(crate) fn contains(&self, name: &str) -> bool {
        let encoded = percent::encode(name.as_bytes(), false);
        self.pairs.iter().any(|(n, _)| *n == encoded)
    }

    /// The canonical query string: parameters sorted by encoded name, then by encoded
    /// value, written `name=value` and joined with `&`. Sorts this query in place.
    pub fn canonical(&mut self) -> String {
        self.pairs.sort_unstable();
        let length = self.pairs.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
        let mut out = String::with_capacity(length);
        for (name, value) in &self.pairs {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_order_is_by_encoded_name_then_value() {
        let mut q = Query::new();
        q.push(b"b", b"2");
        q.push(b"a", b"z");
        q.push(b"a", b"y");
        q.push("\u{1234}".as_bytes(), b"");
        q.push(b"A", b"1 + 1");
        assert_eq!(q.canonical(), "%E1%88%B4=&A=1%20%2B%201&a=y&a=z&b=2");
    }

    #[test]
    fn parsing_decodes_and_reencodes() {
        let mut q = Query::parse("b=x+y&a&&c=%7e%2F").unwrap();
        assert_eq!(q.canonical(), "a=&b=x%20y&c=~%2F");
        assert!(Query::parse("a=%G1").is_err());
    }
}
