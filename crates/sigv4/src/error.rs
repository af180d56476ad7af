//! The one error type of this crate.

use std::fmt;

/// Why a request could not be signed.
///
/// Messages name the offending part (a header name, a URL component) but never carry a
/// header value, a secret key or a session token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The endpoint or request URL cannot be used, and why.
    InvalidUrl(&'static str),
    /// The HTTP method is empty or not an RFC 9110 token.
    InvalidMethod,
    /// A header name that is not an RFC 9110 token (shown escaped).
    InvalidHeaderName(String),
    /// A header value with a control character in it (only the header's name is shown).
    InvalidHeaderValue(String),
    /// A `%` in a path or query that is not followed by two hex digits.
    InvalidPercentEncoding(&'static str),
    /// Not a `YYYYMMDDTHHMMSSZ` timestamp of a real calendar date and time.
    InvalidDate,
    /// A presigned URL lifetime that is not a whole number of seconds in 1..=604800.
    InvalidExpiry,
    /// A query parameter that the presigner sets itself (for example `X-Amz-Signature`).
    ReservedQueryParameter(String),
    /// Credentials, region or service that cannot be used, and why.
    InvalidInput(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidUrl(why) => write!(f, "invalid URL: {why}"),
            Error::InvalidMethod => {
                f.write_str("invalid HTTP method: it must be a non-empty token")
            }
            Error::InvalidHeaderName(name) => {
                write!(
                    f,
                    "invalid header name {name}: header names must be ASCII tokens"
                )
            }
            Error::InvalidHeaderValue(name) => {
                write!(
                    f,
                    "invalid value for header {name}: control characters are not allowed"
                )
            }
            Error::InvalidPercentEncoding(part) => {
                write!(f, "invalid percent-encoding in the {part}: '%' must be followed by two hex digits")
            }
            Error::InvalidDate => f.write_str(
                "invalid timestamp: expected a real UTC time written as YYYYMMDDTHHMMSSZ",
            ),
            Error::InvalidExpiry => {
                f.write_str("invalid expiry: presigned URLs last 1 to 604800 whole seconds")
            }
            Error::ReservedQueryParameter(name) => {
                write!(
                    f,
                    "query parameter {name} is set by the presigner and cannot be given"
                )
            }
            Error::InvalidInput(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
