//! RS256 signing: RSA key generation, PKCS#8 import and export, the public JWK, and
//! compact JWS signing.

use std::fmt;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::jwk::RS256;
use crate::{base64url, json, Error, Result, RsaVerifyingKey};

/// Random bytes in a generated `kid`.
const KID_BYTES: usize = 32;

/// The public half of a signing key as a JWK: `kty` RSA, `alg` RS256, `use` sig.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicJwk {
    pub kid: String,
    /// Modulus, unpadded base64url, big-endian without leading zeros.
    pub n: String,
    /// Public exponent, same encoding.
    pub e: String,
}

impl PublicJwk {
    /// The JWK members, names in alphabetical order (as Cognito publishes them).
    pub fn members(&self) -> [(&'static str, &str); 6] {
        [
            ("alg", RS256),
            ("e", &self.e),
            ("kid", &self.kid),
            ("kty", "RSA"),
            ("n", &self.n),
            ("use", "sig"),
        ]
    }
}

/// An RSA private key that signs RS256 tokens under a fixed `kid`.
pub struct RsaSigningKey {
    kid: String,
    key_pair: KeyPair,
}

impl fmt::Debug for RsaSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaSigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl RsaSigningKey {
    /// Generates a fresh RSA-2048 key (e = 65537). Without `kid`, a random one is made
    /// in the shape Cognito's kids have: standard base64 of 32 random bytes.
    pub fn generate(kid: Option<String>) -> Result<Self> {
        let key_pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| Error::Signing("RSA key generation failed"))?;
        let kid = match kid {
            Some(kid) => kid,
            None => random_kid()?,
        };
        Ok(RsaSigningKey { kid, key_pair })
    }

    /// Imports an unencrypted PKCS#8 (RFC 5208) DER RSA private key of 2048 to 8192
    /// bits. The key is fully validated (primes, CRT values) once, here.
    pub fn from_pkcs8_der(der: &[u8], kid: String) -> Result<Self> {
        let key_pair =
            KeyPair::from_pkcs8(der).map_err(|e| Error::InvalidSigningKey(e.to_string()))?;
        Ok(RsaSigningKey { kid, key_pair })
    }

    /// The private key as PKCS#8 v1 DER, wiped from memory when dropped.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let der =
            AsDer::as_der(&self.key_pair).map_err(|_| Error::Signing("PKCS#8 encoding failed"))?;
        Ok(Zeroizing::new(der.as_ref().to_vec()))
    }

    /// The `kid` put in every token header and in the public JWK.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK.
    pub fn public_jwk(&self) -> PublicJwk {
        let public = self.public_components();
        PublicJwk {
            kid: self.kid.clone(),
            n: base64url::encode(&public.n),
            e: base64url::encode(&public.e),
        }
    }

    /// The public key, ready to verify this key's tokens.
    pub fn verifying_key(&self) -> Result<RsaVerifyingKey> {
        let public = self.public_components();
        RsaVerifyingKey::from_components(&public.n, &public.e, Some(self.kid.clone()))
    }

    fn public_components(&self) -> PublicKeyComponents<Vec<u8>> {
        PublicKeyComponents::from(self.key_pair.public_key())
    }

    /// Signs `claims_json` (the JSON text of an object) as a compact RS256 JWS whose
    /// header holds `alg`, `kid` and the `extra_header` members. `extra_header` may
    /// repeat `alg` and `kid` only with the same values.
    pub fn sign(&self, extra_header: &Map<String, Value>, claims_json: &str) -> Result<String> {
        json::check_object(claims_json)
            .map_err(|_| Error::Signing("claims are not a JSON object"))?;
        if extra_header.get("alg").is_some_and(|alg| alg != RS256) {
            return Err(Error::Signing("header alg must be RS256"));
        }
        if extra_header
            .get("kid")
            .is_some_and(|kid| kid != self.kid.as_str())
        {
            return Err(Error::Signing("header kid must be the key's kid"));
        }
        let mut header = extra_header.clone();
        header.insert("alg".to_owned(), RS256.into());
        header.insert("kid".to_owned(), self.kid.as_str().into());
        let header_json = serde_json::to_string(&header)
            .map_err(|_| Error::Signing("header cannot be encoded"))?;

        let signature_len = self.key_pair.public_modulus_len();
        let mut token = String::with_capacity(
            (header_json.len() + claims_json.len() + signature_len) * 4 / 3 + 8,
        );
        base64url::encode_into(header_json.as_bytes(), &mut token);
        token.push('.');
        base64url::encode_into(claims_json.as_bytes(), &mut token);

        let mut signature = vec![0u8; signature_len];
        self.key_pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                token.as_bytes(),
                &mut signature,
            )
            .map_err(|_| Error::Signing("RSA signing failed"))?;
        token.push('.');
        base64url::encode_into(&signature, &mut token);
        Ok(token)
    }

    /// [`RsaSigningKey::sign`] with the extra header members given as JSON text
    /// (an object, or `None` for no extra members).
    pub fn sign_json(&self, extra_header_json: Option<&str>, claims_json: &str) -> Result<String> {
        let extra_header = match extra_header_json {
            Some(text) => json::parse_object(text)
                .map_err(|_| Error::Signing("header is not a JSON object"))?,
            None => Map::new(),
        };
        self.sign(&extra_header, claims_json)
    }
}

fn random_kid() -> Result<String> {
    let mut bytes = [0u8; KID_BYTES];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| Error::Signing("no system randomness for a kid"))?;
    Ok(STANDARD.encode(bytes))
}
