//! The scalars of a JSON request body written exactly as Python's
//! `json.dumps(value, separators=(",", ":"), ensure_ascii=False)` writes them, so that a
//! body encoded here has the same bytes (and so the same payload hash) as one encoded by
//! Python. The binding crate walks the Python containers and calls these.

use std::io::Write;

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends `text` as a JSON string. Like Python's encoder without `ensure_ascii`, only
/// `"`, `\` and the C0 controls are escaped (`\n`, `\r`, `\t`, `\b`, `\f` by name, the
/// others as `\u00xx` in lower-case hex); everything else, non-ASCII included, is
/// written as it is.
pub fn push_string(out: &mut Vec<u8>, text: &str) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    // Every byte that needs escaping is ASCII, so it never falls inside a multi-byte
    // UTF-8 sequence: copying the runs between them keeps the text valid.
    for (index, &byte) in bytes.iter().enumerate() {
        if byte >= 0x20 && byte != b'"' && byte != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..index]);
        start = index + 1;
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX_DIGITS[usize::from(byte >> 4)],
                HEX_DIGITS[usize::from(byte & 0x0f)],
            ]),
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends an integer in decimal.
pub fn push_int(out: &mut Vec<u8>, value: i64) {
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{value}");
}

/// Appends a float as Python's `float.__repr__` writes it (the shortest digits that read
/// back as the same float; positional from 1e-4 up to below 1e16, else scientific with a
/// signed exponent of at least two digits), and the non-finite values as Python's encoder
/// does by default: `NaN`, `Infinity`, `-Infinity`.
pub fn push_float(out: &mut Vec<u8>, value: f64) {
    if value.is_nan() {
        out.extend_from_slice(b"NaN");
        return;
    }
    if value.is_infinite() {
        out.extend_from_slice(if value > 0.0 {
            b"Infinity"
        } else {
            b"-Infinity"
        });
        return;
    }
    // Both Rust's `{:e}` and Python's repr write the fewest digits that read back as the
    // value, the nearest such digits to it; on a tie Rust rounds half up and Python half
    // to even. At that length, `{:.Ne}` rounds the exact value half to even: take it when
    // it reads back as the value (the nearest digits may not, next to a power of two).
    let shortest = format!("{value:e}");
    let length = shortest.split('e').next().map_or(1, |mantissa| {
        mantissa.bytes().filter(u8::is_ascii_digit).count()
    });
    let nearest = format!("{value:.*e}", length.saturating_sub(1));
    let scientific = if nearest.parse::<f64>() == Ok(value) {
        nearest
    } else {
        shortest
    };
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let mut digits: Vec<u8> = mantissa.bytes().filter(|&b| b != b'.').collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if negative {
        out.push(b'-');
    }
    if (-4..16).contains(&exponent) {
        push_positional(out, &digits, exponent);
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.extend_from_slice(first);
        if !rest.is_empty() {
            out.push(b'.');
            out.extend_from_slice(rest);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
}

/// `digits` (d.ddd × 10^exponent) in positional form, always with a fractional part.
fn push_positional(out: &mut Vec<u8>, digits: &[u8], exponent: i32) {
    match usize::try_from(exponent) {
        Ok(exponent) => {
            let integer_digits = exponent + 1;
            if digits.len() <= integer_digits {
                out.extend_from_slice(digits);
                out.resize(out.len() + integer_digits - digits.len(), b'0');
                out.extend_from_slice(b".0");
            } else {
                out.extend_from_slice(&digits[..integer_digits]);
                out.push(b'.');
                out.extend_from_slice(&digits[integer_digits..]);
            }
        }
        Err(_) => {
            let zeros = usize::try_from(-1 - exponent).unwrap_or(0);
            out.extend_from_slice(b"0.");
            out.resize(out.len() + zeros, b'0');
            out.extend_from_slice(digits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(text: &str) -> String {
        let mut out = Vec::new();
        push_string(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    fn float(value: f64) -> String {
        let mut out = Vec::new();
        push_float(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_escape_what_python_escapes_and_nothing_else() {
        assert_eq!(string(""), r#""""#);
        assert_eq!(string("plain"), r#""plain""#);
        assert_eq!(string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(string("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(string("\u{0}\u{1f}x\u{1}"), r#""\u0000\u001fx\u0001""#);
        assert_eq!(
            string("caf\u{e9} \u{7f} \u{2028} \u{1f600}"),
            "\"caf\u{e9} \u{7f} \u{2028} \u{1f600}\""
        );
    }

    #[test]
    fn ints_are_decimal() {
        for (value, text) in [(0, "0"), (-7, "-7"), (i64::MIN, "-9223372036854775808")] {
            let mut out = Vec::new();
            push_int(&mut out, value);
            assert_eq!(out, text.as_bytes());
        }
    }

    #[test]
    fn floats_read_as_python_repr() {
        // Each pair is `repr(value)` in CPython.
        let cases = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.3333333333333333"),
            (0.0001, "0.0001"),
            (0.00012345, "0.00012345"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123456.789, "123456.789"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1e100, "1e+100"),
            (-1.7976931348623157e308, "-1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            // Ties between two shortest candidates go to the even digit, as in Python.
            // (Written as sums: the exact values have more digits than clippy allows.)
            (1_349_341_899_823_100.0 + 0.25, "1349341899823100.2"),
            (17_606_493_111_331.0 + 0.5625, "17606493111331.562"),
            (-1_162_969_244_227_123.0 - 0.25, "-1162969244227123.2"),
            (2.2250738585072014e-308, "2.2250738585072014e-308"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (value, text) in cases {
            assert_eq!(float(value), text, "{value:e}");
        }
    }
}
