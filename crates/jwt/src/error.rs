//! The one error type of this crate.

use std::fmt;

/// Longest slice of an untrusted header value (such as `alg`) quoted in a message.
const QUOTED_MAX_CHARS: usize = 24;

/// Why decoding, verifying or signing failed. Messages never contain key material,
/// signatures or claims; at most a short, escaped quote of the token's `alg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The token is not three base64url parts holding a JSON header and JSON claims.
    Malformed(&'static str),
    /// The token's `alg` is not RS256 (the escaped, truncated value is kept).
    UnsupportedAlgorithm(String),
    /// No key fits the token's `kid`.
    KeyNotFound(&'static str),
    /// A JWK or JWKS that cannot verify RS256 signatures; `index` is the key's
    /// position in its set, when it came from one.
    InvalidJwk {
        index: Option<usize>,
        why: &'static str,
    },
    /// The signature does not verify with the key.
    InvalidSignature,
    /// A private key that cannot sign RS256 (AWS-LC's reason is kept).
    InvalidSigningKey(String),
    /// A header or claims that cannot be signed, or a failure while signing.
    Signing(&'static str),
    /// A header member that would let the token choose its own key (`jku`, `x5u`,
    /// `jwk`, `x5c`).
    ForbiddenHeader(&'static str),
    /// A claim the verifier needs is missing or has the wrong JSON type.
    InvalidClaim(&'static str),
    /// `iss` is not the user pool's issuer.
    WrongIssuer,
    /// `token_use` is not the kind of token expected.
    WrongTokenUse,
    /// `aud` (ID tokens) or `client_id` (access tokens) is not an accepted app client.
    WrongClient,
    /// `exp` has passed (beyond the leeway).
    Expired,
    /// `iat` or `nbf` is in the future (beyond the leeway).
    NotYetValid,
    /// `cognito:groups` holds none of the required groups.
    MissingGroup,
}

impl Error {
    /// An [`Error::UnsupportedAlgorithm`] quoting at most a few characters of `alg`.
    pub(crate) fn unsupported_algorithm(alg: &str) -> Self {
        let quoted: String = alg.chars().take(QUOTED_MAX_CHARS).collect();
        Error::UnsupportedAlgorithm(format!("{quoted:?}"))
    }

    pub(crate) fn invalid_jwk(why: &'static str) -> Self {
        Error::InvalidJwk { index: None, why }
    }

    /// The same JWK error, located at position `index` of a key set.
    pub(crate) fn at_index(self, index: usize) -> Self {
        match self {
            Error::InvalidJwk { why, .. } => Error::InvalidJwk {
                index: Some(index),
                why,
            },
            other => other,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed(why) => write!(f, "malformed token: {why}"),
            Error::UnsupportedAlgorithm(alg) => {
                write!(f, "token algorithm {alg} is not supported (only RS256 is)")
            }
            Error::KeyNotFound(why) => f.write_str(why),
            Error::InvalidJwk {
                index: Some(i),
                why,
            } => write!(f, "invalid JWK at index {i} of the key set: {why}"),
            Error::InvalidJwk { index: None, why } => write!(f, "invalid JWK: {why}"),
            Error::InvalidSignature => f.write_str("token signature does not verify"),
            Error::InvalidSigningKey(why) => write!(
                f,
                "not an RSA private key of 2048 to 8192 bits in PKCS#8 DER ({why})"
            ),
            Error::Signing(why) => write!(f, "cannot sign: {why}"),
            Error::ForbiddenHeader(why) => write!(f, "token header refused: {why}"),
            Error::InvalidClaim(why) => write!(f, "invalid claim: {why}"),
            Error::WrongIssuer => f.write_str("token issuer (iss) is not the user pool"),
            Error::WrongTokenUse => f.write_str("token_use is not the expected kind of token"),
            Error::WrongClient => f.write_str("token was not issued to an accepted app client"),
            Error::Expired => f.write_str("token has expired"),
            Error::NotYetValid => f.write_str("token is not valid yet (iat or nbf in the future)"),
            Error::MissingGroup => f.write_str("token holds none of the required groups"),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand for this crate's results.
pub type Result<T> = std::result::Result<T, Error>;
