//! The TOTP target.

use cognito_otp::{hotp, Algorithm, Totp};

use crate::input::u64_at;

/// Bytes: digits, algorithm, then eight bytes each of time, step, T0 and window; the
/// rest is `secret\ncode`. A code made at a time verifies at that time's step, has the
/// number of digits asked for, and is the HOTP code of that step.
pub fn totp(data: &[u8]) {
    let digits = u32::from(data.first().copied().unwrap_or(6) % 10);
    let algorithm = match data.get(1).copied().unwrap_or(0) % 4 {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        2 => Algorithm::Sha512,
        _ => return check_algorithm_name(data.get(2..).unwrap_or_default()),
    };
    let (time, step, t0, window) = (
        u64_at(data, 2),
        u64_at(data, 10),
        u64_at(data, 18),
        u64_at(data, 26),
    );
    let rest = data.get(34..).unwrap_or_default();
    let (secret, code) = match rest.iter().position(|&b| b == b'\n') {
        Some(at) => (&rest[..at], String::from_utf8_lossy(&rest[at + 1..])),
        None => (rest, "".into()),
    };
    let totp = Totp {
        step,
        t0,
        digits,
        algorithm,
    };
    let _ = totp.verify(secret, &code, time, window);
    if let Ok(made) = totp.code(secret, time) {
        assert_eq!(made.len(), digits as usize);
        assert!(made.bytes().all(|b| b.is_ascii_digit()));
        let now = totp.step_at(time).expect("a code was made at this time");
        assert_eq!(
            hotp(secret, now, digits, algorithm).as_deref(),
            Ok(made.as_str())
        );
        let found = totp.verify(secret, &made, time, window % 4);
        assert_eq!(found, Ok(Some(now)), "a fresh code did not verify");
    }
}

fn check_algorithm_name(name: &[u8]) {
    let name = String::from_utf8_lossy(name);
    if let Ok(algorithm) = Algorithm::from_name(&name) {
        let canonical = match algorithm {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        };
        assert!(name.eq_ignore_ascii_case(canonical), "{name:?}");
    }
}
