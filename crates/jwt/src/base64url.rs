//! Strict base64url (RFC 7515 section 2): URL-safe alphabet, no padding, canonical
//! trailing bits. Anything else is refused rather than guessed at.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Decodes unpadded base64url; `None` for padding, foreign bytes, an impossible length
/// or non-zero trailing bits.
pub fn decode(text: &[u8]) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// Encodes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Appends the unpadded base64url encoding of `bytes` to `out`.
pub fn encode_into(bytes: &[u8], out: &mut String) {
    URL_SAFE_NO_PAD.encode_string(bytes, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255).collect();
        for len in 0..data.len() {
            assert_eq!(
                decode(encode(&data[..len]).as_bytes()).unwrap(),
                &data[..len]
            );
        }
    }

    #[test]
    fn uses_the_url_safe_alphabet() {
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode(b"-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn refuses_padding_standard_alphabet_and_junk() {
        for bad in [
            &b"QQ=="[..],
            b"QQ=",
            b"+/8",
            b"Q Q",
            b"Q",
            b"QR", // non-zero trailing bits: not the canonical encoding of "A"
            b"\xc3\xa9",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        assert_eq!(decode(b"QQ").unwrap(), b"A");
    }
}
