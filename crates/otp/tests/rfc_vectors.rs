//! The published test vectors: RFC 4226 Appendix D (HOTP) and RFC 6238 Appendix B (TOTP).

use cognito_otp::{hotp, hotp_value, Algorithm, Error, Totp};

const SEED_20: &[u8] = b"12345678901234567890";
const SEED_32: &[u8] = b"12345678901234567890123456789012";
const SEED_64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

#[test]
fn rfc4226_appendix_d() {
    let expected = [
        "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
        "520489",
    ];
    for (counter, code) in expected.iter().enumerate() {
        assert_eq!(
            hotp(SEED_20, counter as u64, 6, Algorithm::Sha1).unwrap(),
            *code
        );
    }
    // The truncated 31-bit values of the RFC table, reduced to six digits.
    assert_eq!(
        hotp_value(SEED_20, 0, 6, Algorithm::Sha1).unwrap(),
        1284755224 % 1_000_000
    );
    assert_eq!(
        hotp_value(SEED_20, 9, 6, Algorithm::Sha1).unwrap(),
        645520489 % 1_000_000
    );
}

#[test]
fn rfc6238_appendix_b() {
    let rows: [(u64, &str, &str, &str); 6] = [
        (59, "94287082", "46119246", "90693936"),
        (1111111109, "07081804", "68084774", "25091201"),
        (1111111111, "14050471", "67062674", "99943326"),
        (1234567890, "89005924", "91819424", "93441116"),
        (2000000000, "69279037", "90698825", "38618901"),
        (20000000000, "65353130", "77737706", "47863826"),
    ];
    for (time, sha1, sha256, sha512) in rows {
        for (algorithm, seed, code) in [
            (Algorithm::Sha1, SEED_20, sha1),
            (Algorithm::Sha256, SEED_32, sha256),
            (Algorithm::Sha512, SEED_64, sha512),
        ] {
            let totp = Totp {
                step: 30,
                t0: 0,
                digits: 8,
                algorithm,
            };
            assert_eq!(
                totp.code(seed, time).unwrap(),
                code,
                "{algorithm:?} at {time}"
            );
        }
    }
}

#[test]
fn verify_finds_the_step_within_the_window_only() {
    let totp = Totp::cognito();
    let now = 1_111_111_111;
    let step = now / 30;
    let previous = hotp(SEED_20, step - 1, 6, Algorithm::Sha1).unwrap();
    let current = totp.code(SEED_20, now).unwrap();
    let two_ahead = hotp(SEED_20, step + 2, 6, Algorithm::Sha1).unwrap();
    assert_eq!(totp.verify(SEED_20, &current, now, 0).unwrap(), Some(step));
    assert_eq!(
        totp.verify(SEED_20, &previous, now, 1).unwrap(),
        Some(step - 1)
    );
    assert_eq!(totp.verify(SEED_20, &previous, now, 0).unwrap(), None);
    assert_eq!(totp.verify(SEED_20, &two_ahead, now, 1).unwrap(), None);
    assert_eq!(
        totp.verify(SEED_20, &two_ahead, now, 2).unwrap(),
        Some(step + 2)
    );
    assert_eq!(totp.verify(SEED_20, "12345", now, 1).unwrap(), None);
    assert_eq!(totp.verify(SEED_20, "", now, 1).unwrap(), None);
}

#[test]
fn verify_near_the_epoch_does_not_underflow() {
    let totp = Totp::cognito();
    let code = totp.code(SEED_20, 0).unwrap();
    assert_eq!(totp.verify(SEED_20, &code, 10, 5).unwrap(), Some(0));
    let last = Totp::cognito().verify(SEED_20, "000000", u64::MAX, 3);
    assert!(last.is_ok());
}

#[test]
fn bad_parameters_are_errors() {
    assert_eq!(hotp(b"", 0, 6, Algorithm::Sha1), Err(Error::EmptySecret));
    assert_eq!(
        hotp(SEED_20, 0, 5, Algorithm::Sha1),
        Err(Error::InvalidDigits(5))
    );
    assert_eq!(
        hotp(SEED_20, 0, 9, Algorithm::Sha1),
        Err(Error::InvalidDigits(9))
    );
    let zero_step = Totp {
        step: 0,
        ..Totp::cognito()
    };
    assert_eq!(zero_step.code(SEED_20, 100), Err(Error::InvalidStep));
    let late_epoch = Totp {
        t0: 1000,
        ..Totp::cognito()
    };
    assert_eq!(late_epoch.code(SEED_20, 999), Err(Error::TimeBeforeEpoch));
    assert_eq!(Algorithm::from_name("md5"), Err(Error::UnknownAlgorithm));
    assert_eq!(Algorithm::from_name("sha256"), Ok(Algorithm::Sha256));
    for error in [
        Error::EmptySecret,
        Error::InvalidDigits(3),
        Error::UnknownAlgorithm,
    ] {
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn verify_refuses_a_window_wider_than_the_bound() {
    let totp = Totp::cognito();
    let code = totp.code(SEED_20, 1_000_000).unwrap();
    let step = totp.step_at(1_000_000).unwrap();
    assert_eq!(
        totp.verify(SEED_20, &code, 1_000_000, cognito_otp::MAX_WINDOW),
        Ok(Some(step))
    );
    for window in [cognito_otp::MAX_WINDOW + 1, u64::MAX] {
        assert_eq!(
            totp.verify(SEED_20, &code, 1_000_000, window),
            Err(Error::WindowTooLarge)
        );
    }
}
