//! Header checks, the canonical header block and the headers to send.

use crate::error::{Error, Result};

/// Headers never signed: `authorization` (the signature's own header) and headers that
/// proxies and HTTP stacks add, drop or rewrite on the way (the same list as botocore's).
const NEVER_SIGNED: [&str; 15] = [
    "authorization",
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Checks that `name` is an RFC 9110 token and `value` holds no control character other
/// than a tab (a CR or LF would let a value smuggle in another header).
pub(crate) fn check(name: &str, value: &str) -> Result<()> {
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(Error::InvalidHeaderName(format!("{:?}", name)));
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(Error::InvalidHeaderValue(name.to_owned()));
    }
    Ok(())
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// A value without leading or trailing spaces and tabs (what HTTP considers the value).
pub(crate) fn trim(value: &str) -> &str {
    value.trim_matches(is_space)
}

/// SigV4's Trimall: trimmed, and each inner run of spaces and tabs written as one space.
fn push_trimall(out: &mut String, value: &str) {
    let value = trim(value);
    // Most values (a session token of ~1 KB among them) have nothing to fold: copy them
    // whole rather than scanning them character by character.
    if !value.as_bytes().contains(&b'\t') && !value.contains("  ") {
        out.push_str(value);
        return;
    }
    let mut words = value.split([' ', '\t']).filter(|word| !word.is_empty());
    if let Some(first) = words.next() {
        out.push_str(first);
    }
    for word in words {
        out.push(' ');
        out.push_str(word);
    }
}

/// The header lines of a canonical request and the signed-headers list.
pub(crate) struct CanonicalHeaders {
    /// `name:value\n` for each signed header, sorted by name.
    pub block: String,
    /// The signed header names joined with `;`.
    pub signed: String,
}

/// Collects the headers to sign, leaving out the never-signed ones and those named in
/// `replaced` (the signer writes them itself).
pub(crate) struct HeaderSet<'a> {
    entries: Vec<(String, &'a str)>,
}

impl<'a> HeaderSet<'a> {
    /// The user's headers (checked), minus never-signed and `replaced` names.
    pub(crate) fn from_request(headers: &[(&'a str, &'a str)], replaced: &[&str]) -> Result<Self> {
        let mut entries = Vec::with_capacity(headers.len() + 4);
        for &(name, value) in headers {
            check(name, value)?;
            let lower = name.to_ascii_lowercase();
            if !NEVER_SIGNED.contains(&lower.as_str()) && !replaced.contains(&lower.as_str()) {
                entries.push((lower, value));
            }
        }
        Ok(Self { entries })
    }

    /// The value of the first header with this (lower-case) name.
    pub(crate) fn get(&self, lower_name: &str) -> Option<&'a str> {
        self.entries
            .iter()
            .find(|(name, _)| name == lower_name)
            .map(|&(_, value)| value)
    }

    /// Adds a header the signer sets (lower-case name).
    pub(crate) fn add(&mut self, lower_name: &str, value: &'a str) {
        self.entries.push((lower_name.to_owned(), value));
    }

    /// Sorts by name (keeping the order of repeated headers) and writes the canonical form:
    /// repeated headers become one line with their values joined by `,`.
    pub(crate) fn canonical(mut self) -> CanonicalHeaders {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        let length = self
            .entries
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum();
        let mut block = String::with_capacity(length);
        let mut signed = String::with_capacity(self.entries.len() * 16);
        let mut previous: Option<&str> = None;
        for (name, value) in &self.entries {
            if previous == Some(name.as_str()) {
                block.pop();
                block.push(',');
            } else {
                if previous.is_some() {
                    signed.push(';');
                }
                signed.push_str(name);
                block.push_str(name);
                block.push(':');
            }
            push_trimall(&mut block, value);
            block.push('\n');
            previous = Some(name);
        }
        CanonicalHeaders { block, signed }
    }
}

/// The user's headers as they should be sent: values trimmed, headers whose names differ
/// only in case merged into one (values joined by `,`, as HTTP allows), under the first
/// spelling seen. Headers named in `replaced` (lower case) are left out.
pub(crate) fn for_sending<'a>(
    headers: &[(&'a str, &'a str)],
    replaced: &[&str],
) -> Vec<(&'a str, String)> {
    let mut out: Vec<(&'a str, String)> = Vec::with_capacity(headers.len() + 5);
    for &(name, value) in headers {
        if replaced.iter().any(|r| name.eq_ignore_ascii_case(r)) {
            continue;
        }
        match out
            .iter_mut()
            .find(|(seen, _)| seen.eq_ignore_ascii_case(name))
        {
            Some((_, merged)) => {
                merged.push(',');
                merged.push_str(trim(value));
            }
            None => out.push((name, trim(value).to_owned())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_block_trims_folds_merges_and_sorts() {
        let headers = [
            ("My-Header2", "  \"a   b \t c\"  "),
            ("my-header1", "value2"),
            ("User-Agent", "not signed"),
            ("MY-HEADER1", "value1"),
            ("Authorization", "replaced"),
            ("X-Amz-Date", "replaced"),
        ];
        let mut set = HeaderSet::from_request(&headers, &["x-amz-date"]).unwrap();
        set.add("x-amz-date", "20150830T123600Z");
        let canonical = set.canonical();
        assert_eq!(
            canonical.block,
            "my-header1:value2,value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n"
        );
        assert_eq!(canonical.signed, "my-header1;my-header2;x-amz-date");
    }

    #[test]
    fn bad_names_and_values_are_rejected_without_echoing_values() {
        assert!(matches!(
            check("caf\u{e9}", "x"),
            Err(Error::InvalidHeaderName(_))
        ));
        assert!(matches!(check("", "x"), Err(Error::InvalidHeaderName(_))));
        assert!(matches!(
            check("a b", "x"),
            Err(Error::InvalidHeaderName(_))
        ));
        let err = check("X-Token", "secret\r\nInjected: 1").unwrap_err();
        assert_eq!(err, Error::InvalidHeaderValue("X-Token".to_owned()));
        assert!(!err.to_string().contains("secret"));
        assert!(check("X-Ok", "tab\tis fine \u{e9}").is_ok());
    }

    #[test]
    fn headers_to_send_are_trimmed_and_merged() {
        let headers = [("A", " 1 "), ("b", "2"), ("a", "3"), ("Authorization", "x")];
        let sent = for_sending(&headers, &["authorization"]);
        assert_eq!(sent, vec![("A", "1,3".to_owned()), ("b", "2".to_owned())]);
    }
}
