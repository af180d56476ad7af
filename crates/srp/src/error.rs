//! The one error type of this crate.

use std::fmt;

/// Why an SRP operation failed.
///
/// Messages name the offending field and never contain a secret value (password,
/// private exponent, premise secret or key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// A field that must be hexadecimal is empty or has a character that is not a hex digit.
    InvalidHex(&'static str),
    /// A field that must be standard base64 cannot be decoded.
    InvalidBase64(&'static str),
    /// A number does not fit the 3072-bit group (it has more than 3072 bits).
    TooLarge(&'static str),
    /// A value that is zero modulo N (SRP_B, SRP_A or a verifier): accepting it would let
    /// the other side know the session key without knowing the password.
    ZeroModN(&'static str),
    /// The scrambling parameter u = H(pad(A) || pad(B)) is zero.
    ScramblerZero,
    /// A private exponent supplied by the caller is outside 1..N-1.
    PrivateValueOutOfRange,
    /// The operating system's random number generator failed.
    Random,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidHex(field) => write!(f, "{field} is not a hexadecimal number"),
            Error::InvalidBase64(field) => write!(f, "{field} is not valid base64"),
            Error::TooLarge(field) => write!(f, "{field} has more than 3072 bits"),
            Error::ZeroModN(field) => write!(f, "{field} mod N is zero"),
            Error::ScramblerZero => f.write_str("u = H(A, B) is zero"),
            Error::PrivateValueOutOfRange => f.write_str("the private SRP value must be in 1..N-1"),
            Error::Random => f.write_str("the operating system's random generator failed"),
        }
    }
}

impl std::error::Error for Error {}

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;
