//! Cognito's byte encodings of SRP numbers: hex on the wire, "padHex" bytes for hashing.
//!
//! Numbers travel as big-endian byte strings. Cognito (a Java service) hashes
//! `BigInteger.toByteArray()`, the minimal two's-complement encoding, which for a
//! non-negative number is the minimal unsigned encoding with a `00` byte in front when
//! the top bit is set: the SDKs' `padHex`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::error::{Error, Result};

/// Largest accepted number, in bytes: the size of the 3072-bit group.
pub(crate) const MAX_BYTES: usize = 384;

/// Drops the leading zero bytes of a big-endian number (zero becomes empty).
pub(crate) fn strip_leading_zeros(be: &[u8]) -> &[u8] {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    &be[first..]
}

/// Parses a non-negative hexadecimal number (`0-9a-fA-F`, at least one digit, leading
/// zeros allowed, no sign or `0x`) into minimal big-endian bytes (zero is empty).
pub(crate) fn parse_hex_uint(field: &'static str, text: &str) -> Result<Vec<u8>> {
    if text.is_empty() || !text.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::InvalidHex(field));
    }
    let digits = text.trim_start_matches('0');
    if digits.len() > 2 * MAX_BYTES {
        return Err(Error::TooLarge(field));
    }
    let decoded = if digits.len() % 2 == 1 {
        hex::decode(format!("0{digits}"))
    } else {
        hex::decode(digits)
    };
    decoded.map_err(|_| Error::InvalidHex(field))
}

/// Cognito's `padHex` as bytes: the minimal big-endian encoding, with a `00` byte in
/// front when the top bit is set; zero is the single byte `00`.
pub(crate) fn pad(be: &[u8]) -> Vec<u8> {
    let digits = strip_leading_zeros(be);
    let mut out = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(digits);
    out
}

/// Lowercase hex without leading zeros ("0" for zero): how SRP_A and SRP_B travel.
pub(crate) fn to_lower_hex(be: &[u8]) -> String {
    let text = hex::encode(strip_leading_zeros(be));
    match text.strip_prefix('0') {
        Some(rest) => rest.to_owned(),
        None if text.is_empty() => "0".to_owned(),
        None => text,
    }
}

/// The bytes Cognito hashes for a salt given as hex, possibly with a leading `-`.
///
/// Cognito prints its salt with Java's `BigInteger.toString(16)`, so a salt whose first
/// byte has the top bit set may arrive as a negative number, and the server hashes
/// `toByteArray()`, the minimal two's-complement encoding. AWS's JavaScript SDK
/// (`padHex` in amazon-cognito-identity-js) does exactly this, and so do we. The Dart
/// SDK's `toUnsignedHex` (quirk Q25) instead pads to 32 digits and ORs 8 into the first
/// digit, which gives different bytes for any negative salt (and throws when that digit
/// is a letter): we do not replicate it. For salts without a sign, every SDK agrees,
/// except on leading zeros, which Cognito never sends: like the JavaScript and Dart
/// SDKs we read the salt as a number and ignore them, while pycognito hashes the
/// digits as given (`0012` gives `12` here and `0012` there).
pub fn salt_bytes_from_hex(text: &str) -> Result<Vec<u8>> {
    const FIELD: &str = "SALT";
    let Some(magnitude) = text.strip_prefix('-') else {
        return Ok(pad(&parse_hex_uint(FIELD, text)?));
    };
    let mut bytes = pad(&parse_hex_uint(FIELD, magnitude)?);
    if bytes.iter().all(|&b| b == 0) {
        return Ok(bytes); // "-0" is zero
    }
    // Two's complement of the magnitude at this width: invert, then add one.
    let mut carry = true;
    for byte in bytes.iter_mut().rev() {
        let (sum, overflow) = (!*byte).overflowing_add(u8::from(carry));
        *byte = sum;
        carry = overflow;
    }
    // A magnitude of exactly 2^(8m-1) gives FF 80..: the FF is redundant sign extension.
    if bytes.len() > 1 && bytes[0] == 0xff && bytes[1] & 0x80 != 0 {
        bytes.remove(0);
    }
    Ok(bytes)
}

/// Decodes standard base64 (with padding), naming the field on failure.
pub(crate) fn decode_base64(field: &'static str, text: &str) -> Result<Vec<u8>> {
    STANDARD
        .decode(text)
        .map_err(|_| Error::InvalidBase64(field))
}

/// Standard base64 with padding, as Cognito expects it.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pad_hex(text: &str) -> String {
        hex::encode(pad(&parse_hex_uint("test", text).unwrap()))
    }

    #[test]
    fn pad_matches_the_dart_sdk_table() {
        // authentication_helper_test.dart, dart-sdk.md section 10.
        let table = [
            ("123af", "0123af"),
            ("8afff8", "008afff8"),
            ("9afff9", "009afff9"),
            ("aafffa", "00aafffa"),
            ("bafffb", "00bafffb"),
            ("cafffc", "00cafffc"),
            ("dafffd", "00dafffd"),
            ("eafffe", "00eafffe"),
            ("faffff", "00faffff"),
            ("0afff0", "0afff0"),
            ("1afff1", "1afff1"),
            ("2afff2", "2afff2"),
            ("3afff3", "3afff3"),
            ("4afff4", "4afff4"),
            ("5afff5", "5afff5"),
            ("6afff6", "6afff6"),
            ("7afff7", "7afff7"),
        ];
        for (input, expected) in table {
            assert_eq!(pad_hex(input), expected, "padHex({input})");
        }
    }

    #[test]
    fn pad_of_zero_is_one_zero_byte() {
        assert_eq!(pad(&[]), vec![0]);
        assert_eq!(pad(&[0, 0]), vec![0]);
    }

    #[test]
    fn hex_parsing_accepts_case_and_leading_zeros_only() {
        assert_eq!(parse_hex_uint("f", "00Ab").unwrap(), vec![0xab]);
        assert_eq!(parse_hex_uint("f", "000").unwrap(), Vec::<u8>::new());
        for bad in ["", "0x12", "-12", "12 ", "g1", "é"] {
            assert_eq!(
                parse_hex_uint("f", bad),
                Err(Error::InvalidHex("f")),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_hex_uint("f", &"1".repeat(769)),
            Err(Error::TooLarge("f"))
        );
        assert!(parse_hex_uint("f", &format!("000{}", "f".repeat(768))).is_ok());
    }

    #[test]
    fn wire_hex_is_lowercase_without_leading_zeros() {
        assert_eq!(to_lower_hex(&[0x00, 0x0a, 0xbc]), "abc");
        assert_eq!(to_lower_hex(&[0xab]), "ab");
        assert_eq!(to_lower_hex(&[]), "0");
    }

    #[test]
    fn unsigned_salts_hash_as_pad_hex() {
        assert_eq!(salt_bytes_from_hex("abc").unwrap(), vec![0x0a, 0xbc]);
        assert_eq!(salt_bytes_from_hex("8abc").unwrap(), vec![0x00, 0x8a, 0xbc]);
        assert_eq!(salt_bytes_from_hex("0").unwrap(), vec![0x00]);
    }

    #[test]
    fn negative_salts_hash_as_java_to_byte_array() {
        // Values checked against java.math.BigInteger(s, 16).toByteArray().
        let cases: [(&str, &[u8]); 6] = [
            ("-1", &[0xff]),
            ("-80", &[0x80]),
            ("-81", &[0xff, 0x7f]),
            ("-7f", &[0x81]),
            ("-1a2b", &[0xe5, 0xd5]),
            ("-8000", &[0x80, 0x00]),
        ];
        for (text, expected) in cases {
            assert_eq!(salt_bytes_from_hex(text).unwrap(), expected, "{text}");
        }
        assert_eq!(salt_bytes_from_hex("-0").unwrap(), vec![0x00]);
        assert_eq!(salt_bytes_from_hex("--1"), Err(Error::InvalidHex("SALT")));
        assert_eq!(salt_bytes_from_hex("-"), Err(Error::InvalidHex("SALT")));
    }

    #[test]
    fn base64_is_strict_standard() {
        assert_eq!(decode_base64("b", "AAEC").unwrap(), vec![0, 1, 2]);
        assert_eq!(decode_base64("b", "AAE"), Err(Error::InvalidBase64("b")));
        assert_eq!(decode_base64("b", "AA-_"), Err(Error::InvalidBase64("b")));
        assert_eq!(encode_base64(&[0xfb, 0xff]), "+/8=");
    }
}
