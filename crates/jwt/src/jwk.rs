//! RSA public keys read from JWKs (RFC 7517; RFC 7518 section 6.3.1) and RS256
//! verification with them.

use std::fmt;

use aws_lc_rs::signature::{ParsedPublicKey, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::{Map, Value};

use crate::jws::Jws;
use crate::{base64url, json, Error, Result};

/// Smallest modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest modulus accepted, in bits (AWS-LC's limit for RS256 verification).
pub const MAX_RSA_BITS: usize = 8192;
/// The only algorithm accepted, in tokens and in JWKs.
pub const RS256: &str = "RS256";

/// Public exponents above this (33 bits) are refused, as BoringSSL-family libraries do.
const MAX_PUBLIC_EXPONENT: u64 = (1 << 33) - 1;

/// An RSA public key parsed once (Montgomery constants included), ready to verify any
/// number of RS256 signatures, from any number of threads.
#[derive(Clone)]
pub struct RsaVerifyingKey {
    kid: Option<String>,
    key: ParsedPublicKey,
    bits: usize,
}

impl fmt::Debug for RsaVerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaVerifyingKey")
            .field("kid", &self.kid)
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl RsaVerifyingKey {
    /// Reads a JWK from its JSON text.
    pub fn from_jwk_json(text: &str) -> Result<Self> {
        let jwk = json::parse_object(text).map_err(|_| Error::invalid_jwk("not a JSON object"))?;
        Self::from_jwk(&jwk)
    }

    /// Reads a JWK: `kty` must be `RSA`; `use`, when present, `sig`; `alg`, when
    /// present, `RS256`; `n` and `e` unpadded base64url big-endian integers.
    pub fn from_jwk(jwk: &Map<String, Value>) -> Result<Self> {
        if optional_str(jwk, "kty", "kty is not a string")? != Some("RSA") {
            return Err(Error::invalid_jwk("kty is not RSA"));
        }
        if optional_str(jwk, "use", "use is not a string")?.is_some_and(|u| u != "sig") {
            return Err(Error::invalid_jwk("use is not sig"));
        }
        if optional_str(jwk, "alg", "alg is not a string")?.is_some_and(|a| a != RS256) {
            return Err(Error::invalid_jwk("alg is not RS256"));
        }
        let kid = optional_str(jwk, "kid", "kid is not a string")?.map(str::to_owned);
        let n = required_uint(jwk, "n", "n is missing or not unpadded base64url")?;
        let e = required_uint(jwk, "e", "e is missing or not unpadded base64url")?;
        Self::from_components(&n, &e, kid)
    }

    /// Builds a key from big-endian `n` and `e` (leading zero bytes are ignored).
    pub fn from_components(n: &[u8], e: &[u8], kid: Option<String>) -> Result<Self> {
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        let bits = bit_length(n);
        if bits < MIN_RSA_BITS {
            return Err(Error::invalid_jwk("modulus is shorter than 2048 bits"));
        }
        if bits > MAX_RSA_BITS {
            return Err(Error::invalid_jwk("modulus is longer than 8192 bits"));
        }
        if n.last().is_some_and(|b| b & 1 == 0) {
            return Err(Error::invalid_jwk("modulus is even"));
        }
        let exponent = (e.len() <= 8)
            .then(|| e.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b)))
            .filter(|&v| (3..=MAX_PUBLIC_EXPONENT).contains(&v) && v & 1 == 1);
        if exponent.is_none() {
            return Err(Error::invalid_jwk(
                "exponent is not an odd number from 3 to 2^33",
            ));
        }
        let key = RsaPublicKeyComponents { n, e }
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .map_err(|_| Error::invalid_jwk("not a valid RSA public key"))?;
        Ok(RsaVerifyingKey { kid, key, bits })
    }

    /// The key's `kid`, if its JWK had one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Parses `token` and verifies it is an RS256 token signed by this key. A token
    /// `kid` that differs from the key's own `kid` is refused.
    pub fn verify<'t>(&self, token: &'t str) -> Result<Jws<'t>> {
        let jws = Jws::parse(token)?;
        check_rs256_header(&jws)?;
        if let (Some(want), Some(have)) = (jws.kid()?, self.kid()) {
            if want != have {
                return Err(Error::KeyNotFound("token kid does not match the key's kid"));
            }
        }
        self.verify_signature(&jws)?;
        Ok(jws)
    }

    /// Checks the RSASSA-PKCS1-v1_5 SHA-256 signature of a parsed token.
    pub(crate) fn verify_signature(&self, jws: &Jws<'_>) -> Result<()> {
        self.key
            .verify_sig(jws.signing_input(), jws.signature())
            .map_err(|_| Error::InvalidSignature)
    }
}

/// Refuses any token that is not plainly RS256: another `alg` (`none`, `HS256` with
/// the public key as secret, ...) or a `crit` extension we would have to understand.
pub(crate) fn check_rs256_header(jws: &Jws<'_>) -> Result<()> {
    let alg = jws.alg()?;
    if alg != RS256 {
        return Err(Error::unsupported_algorithm(alg));
    }
    if jws.header().contains_key("crit") {
        return Err(Error::Malformed("header crit extensions are not supported"));
    }
    Ok(())
}

fn optional_str<'a>(
    jwk: &'a Map<String, Value>,
    name: &str,
    why: &'static str,
) -> Result<Option<&'a str>> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid_jwk(why)),
    }
}

fn required_uint(jwk: &Map<String, Value>, name: &str, why: &'static str) -> Result<Vec<u8>> {
    match jwk.get(name) {
        Some(Value::String(s)) if !s.is_empty() => {
            base64url::decode(s.as_bytes()).ok_or(Error::invalid_jwk(why))
        }
        _ => Err(Error::invalid_jwk(why)),
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// Bit length of a big-endian integer without leading zero bytes.
fn bit_length(bytes: &[u8]) -> usize {
    bytes.first().map_or(0, |&top| {
        8 * bytes.len() - usize::try_from(top.leading_zeros()).unwrap_or(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jwk(value: Value) -> Result<RsaVerifyingKey> {
        RsaVerifyingKey::from_jwk(value.as_object().unwrap())
    }

    /// An odd `bits`-bit number (a real modulus is not needed to check the JWK rules).
    fn modulus(bits: usize) -> String {
        let mut n = vec![0xffu8; bits / 8];
        n[0] = 0x81;
        base64url::encode(&n)
    }

    fn even_modulus() -> String {
        let mut n = vec![0xffu8; 256];
        n[255] = 0xfe;
        base64url::encode(&n)
    }

    #[test]
    fn reads_a_plain_rsa_jwk() {
        let key = jwk(
            json!({"kty": "RSA", "n": modulus(2048), "e": "AQAB", "kid": "k",
                             "use": "sig", "alg": "RS256"}),
        )
        .unwrap();
        assert_eq!(key.bits(), 2048);
        assert_eq!(key.kid(), Some("k"));
    }

    #[test]
    fn ignores_leading_zero_bytes() {
        let mut n = vec![0u8];
        n.extend(base64url::decode(modulus(2048).as_bytes()).unwrap());
        let key = jwk(json!({"kty": "RSA", "n": base64url::encode(&n), "e": "AAEAAQ"})).unwrap();
        assert_eq!(key.bits(), 2048);
    }

    #[test]
    fn refuses_unusable_jwks() {
        let n = modulus(2048);
        let cases = [
            (json!({"kty": "EC", "n": n, "e": "AQAB"}), "kty is not RSA"),
            (json!({"n": n, "e": "AQAB"}), "kty is not RSA"),
            (
                json!({"kty": 1, "n": n, "e": "AQAB"}),
                "kty is not a string",
            ),
            (
                json!({"kty": "RSA", "use": "enc", "n": n, "e": "AQAB"}),
                "use is not sig",
            ),
            (
                json!({"kty": "RSA", "alg": "RS512", "n": n, "e": "AQAB"}),
                "alg is not RS256",
            ),
            (
                json!({"kty": "RSA", "kid": 7, "n": n, "e": "AQAB"}),
                "kid is not a string",
            ),
            (
                json!({"kty": "RSA", "e": "AQAB"}),
                "n is missing or not unpadded base64url",
            ),
            (
                json!({"kty": "RSA", "n": n + "=", "e": "AQAB"}),
                "n is missing or not unpadded base64url",
            ),
            (
                json!({"kty": "RSA", "n": modulus(1024), "e": "AQAB"}),
                "modulus is shorter than 2048 bits",
            ),
            (
                json!({"kty": "RSA", "n": modulus(8200), "e": "AQAB"}),
                "modulus is longer than 8192 bits",
            ),
            (
                json!({"kty": "RSA", "n": even_modulus(), "e": "AQAB"}),
                "modulus is even",
            ),
        ];
        for (value, why) in cases {
            assert_eq!(
                jwk(value.clone()).unwrap_err(),
                Error::invalid_jwk(why),
                "{value}"
            );
        }
        for e in ["AQ", "Ag", "AQAA", "AgAAAAE", "AQAAAAAAAAAAAQ"] {
            let err = jwk(json!({"kty": "RSA", "n": modulus(2048), "e": e})).unwrap_err();
            assert_eq!(
                err,
                Error::invalid_jwk("exponent is not an odd number from 3 to 2^33"),
                "{e}"
            );
        }
    }
}
