//! Python bindings for the `cognito-otp` crate: HOTP and TOTP codes, and TOTP checks.
//!
//! Each call is one to a few HMACs (about a microsecond each), less than the cost of
//! releasing and retaking the GIL, so these keep it.

use pyo3::prelude::*;

use cognito_otp::{Algorithm, Totp};

use crate::errors::{guarded, NativeResult};

fn totp(step: u64, digits: u32, algorithm: &str) -> Result<Totp, cognito_otp::Error> {
    Ok(Totp {
        step,
        t0: 0,
        digits,
        algorithm: Algorithm::from_name(algorithm)?,
    })
}

/// The HOTP code (RFC 4226) of `counter`.
#[pyfunction]
#[pyo3(signature = (secret, counter, digits = 6, algorithm = "SHA1"))]
fn otp_hotp(secret: &[u8], counter: u64, digits: u32, algorithm: &str) -> NativeResult<String> {
    guarded(|| cognito_otp::hotp(secret, counter, digits, Algorithm::from_name(algorithm)?))
}

/// The TOTP code (RFC 6238) at `unix_time`.
#[pyfunction]
#[pyo3(signature = (secret, unix_time, digits = 6, step = 30, algorithm = "SHA1"))]
fn otp_totp(
    secret: &[u8],
    unix_time: u64,
    digits: u32,
    step: u64,
    algorithm: &str,
) -> NativeResult<String> {
    guarded(|| totp(step, digits, algorithm)?.code(secret, unix_time))
}

/// The time step whose TOTP code is `code`, within `window` steps of `unix_time`, or None.
#[pyfunction]
#[pyo3(signature = (secret, code, unix_time, window = 1, digits = 6, step = 30, algorithm = "SHA1"))]
fn otp_totp_verify(
    secret: &[u8],
    code: &str,
    unix_time: u64,
    window: u64,
    digits: u32,
    step: u64,
    algorithm: &str,
) -> NativeResult<Option<u64>> {
    guarded(|| totp(step, digits, algorithm)?.verify(secret, code, unix_time, window))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(otp_hotp, m)?)?;
    m.add_function(wrap_pyfunction!(otp_totp, m)?)?;
    m.add_function(wrap_pyfunction!(otp_totp_verify, m)?)?;
    Ok(())
}
