//! The one error type of this crate.

use std::fmt;

/// Why a one-time password cannot be computed or checked. Messages never contain the
/// secret or a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The shared secret is empty.
    EmptySecret,
    /// The number of digits is outside 6..=8 (RFC 4226 asks for at least six).
    InvalidDigits(u32),
    /// The time step is zero seconds.
    InvalidStep,
    /// The time is before the epoch T0 the steps count from.
    TimeBeforeEpoch,
    /// The algorithm name is not SHA1, SHA256 or SHA512.
    UnknownAlgorithm,
    /// A verification window wider than [`crate::MAX_WINDOW`] steps.
    WindowTooLarge,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::EmptySecret => f.write_str("the OTP secret is empty"),
            Error::InvalidDigits(n) => write!(f, "an OTP has 6 to 8 digits, not {n}"),
            Error::InvalidStep => f.write_str("the TOTP time step must be at least one second"),
            Error::TimeBeforeEpoch => f.write_str("the time is before the TOTP epoch T0"),
            Error::UnknownAlgorithm => {
                f.write_str("the OTP algorithm must be SHA1, SHA256 or SHA512")
            }
            Error::WindowTooLarge => write!(
                f,
                "a TOTP window is at most {} steps either side",
                crate::MAX_WINDOW
            ),
        }
    }
}

impl std::error::Error for Error {}
