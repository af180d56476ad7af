//! JSON Web Tokens for Cognito: compact JWS parsing, RS256 verification against JWKs,
//! RS256 signing with generated or imported RSA keys, and full verification of Cognito
//! tokens (signature and claims).
//!
//! Everything is strict: unpadded base64url only, header and claims must be JSON
//! objects, only `alg: RS256` verifies, keys must be RSA of at least 2048 bits.
//! All RSA work (verification, signing, key generation, PKCS#8) is AWS-LC's, through
//! aws-lc-rs. No function panics on any input.

pub mod base64url;
mod claims;
mod error;
mod json;
mod jwk;
mod jwks;
mod jws;
mod signing;
mod verifier;

pub use claims::{Claims, Json};
pub use error::{Error, Result};
pub use jwk::{RsaVerifyingKey, MAX_RSA_BITS, MIN_RSA_BITS, RS256};
pub use jwks::JwkSet;
pub use jws::{Jws, MAX_TOKEN_LEN};
pub use signing::{PublicJwk, RsaSigningKey};
pub use verifier::{ClaimRules, TokenUse, Verified, MAX_HEADER_LEN};

/// Parses a token without verifying anything, for reading its header and claims.
pub fn decode(token: &str) -> Result<Jws<'_>> {
    Jws::parse(token)
}
