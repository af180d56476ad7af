//! Cutting fuzz input into the fields a target needs.

/// The input as text (invalid UTF-8 replaced), cut at `\n` into exactly `count` fields:
/// the last one keeps the rest, missing ones are empty.
pub fn fields(data: &[u8], count: usize) -> Vec<String> {
    let text = String::from_utf8_lossy(data);
    let mut fields: Vec<String> = text.splitn(count, '\n').map(str::to_owned).collect();
    fields.resize(count, String::new());
    fields
}

/// A number given as hex digits (an odd count gets a leading zero), or else the field's
/// own bytes: so seeds can spell values such as N + 1, and the fuzzer can still reach
/// any byte string.
pub fn number(field: &str) -> Vec<u8> {
    let padded = if field.len() % 2 == 1 {
        format!("0{field}")
    } else {
        field.to_owned()
    };
    hex::decode(padded).unwrap_or_else(|_| field.as_bytes().to_vec())
}

/// Eight bytes from `at` (zero-filled past the end) as a big-endian integer.
pub fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = data.get(at + i).copied().unwrap_or(0);
    }
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_padded_and_the_last_keeps_the_rest() {
        assert_eq!(fields(b"a\nb\nc\nd", 3), ["a", "b", "c\nd"]);
        assert_eq!(fields(b"a", 3), ["a", "", ""]);
        assert_eq!(fields(b"\xff", 1), ["\u{fffd}"]);
    }

    #[test]
    fn numbers_are_hex_or_raw_bytes() {
        assert_eq!(number("abc"), [0x0a, 0xbc]);
        assert_eq!(number(""), Vec::<u8>::new());
        assert_eq!(number("xyz"), b"xyz");
        assert_eq!(u64_at(&[1, 2], 1), 2 << 56);
    }
}
