//! Percent-encoding as SigV4 wants it: RFC 3986 unreserved characters stay, every other
//! byte becomes `%XX` with upper-case hex (so a space is `%20`, never `+`).

use std::borrow::Cow;

use crate::error::{Error, Result};

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends `bytes` to `out`, encoding everything but unreserved characters (and `/` when
/// `keep_slash` is set, which is how a whole path is encoded segment by segment).
pub(crate) fn encode_into(out: &mut String, bytes: &[u8], keep_slash: bool) {
    // Runs of characters kept as they are are copied whole; they are ASCII, so each run
    // is valid UTF-8 whatever the bytes around it.
    let push_run = |out: &mut String, run: &[u8]| {
        out.push_str(std::str::from_utf8(run).unwrap_or_default());
    };
    let mut start = 0;
    for (index, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            continue;
        }
        push_run(out, &bytes[start..index]);
        start = index + 1;
        out.push('%');
        out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
        out.push(char::from(HEX_UPPER[usize::from(b & 0x0f)]));
    }
    push_run(out, &bytes[start..]);
}

/// `bytes` encoded as a new string (see [`encode_into`]).
pub(crate) fn encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    encode_into(&mut out, bytes, keep_slash);
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`, as form-encoded
/// query strings mean it). `part` names the URL component for the error message.
pub(crate) fn decode<'a>(
    text: &'a str,
    plus_is_space: bool,
    part: &'static str,
) -> Result<Cow<'a, [u8]>> {
    let bytes = text.as_bytes();
    let has_escapes = bytes.contains(&b'%') || (plus_is_space && bytes.contains(&b'+'));
    if !has_escapes {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let high = bytes.get(i + 1).copied().and_then(hex_value);
                let low = bytes.get(i + 2).copied().and_then(hex_value);
                let (Some(high), Some(low)) = (high, low) else {
                    return Err(Error::InvalidPercentEncoding(part));
                };
                out.push(high << 4 | low);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_unreserved_characters() {
        assert_eq!(encode(b"AZaz09-_.~", false), "AZaz09-_.~");
        assert_eq!(encode(b"a b+c/d", false), "a%20b%2Bc%2Fd");
        assert_eq!(encode(b"a b/c", true), "a%20b/c");
        assert_eq!(encode("\u{1234}".as_bytes(), false), "%E1%88%B4");
        assert_eq!(encode(b"%", false), "%25");
    }

    #[test]
    fn decodes_escapes_and_optionally_plus() {
        assert_eq!(&*decode("a%20b%2f", false, "query").unwrap(), b"a b/");
        assert_eq!(&*decode("a+b", false, "query").unwrap(), b"a+b");
        assert_eq!(&*decode("a+b", true, "query").unwrap(), b"a b");
        assert_eq!(
            &*decode("%E1%88%B4", false, "path").unwrap(),
            "\u{1234}".as_bytes()
        );
    }

    #[test]
    fn rejects_truncated_or_non_hex_escapes() {
        for bad in ["%", "%2", "%zz", "a%g0"] {
            assert_eq!(
                decode(bad, false, "path"),
                Err(Error::InvalidPercentEncoding("path"))
            );
        }
    }
}
