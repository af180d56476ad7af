//! A JWK Set (RFC 7517 section 5) of RSA keys, looked up by `kid`.

use std::collections::HashMap;

use serde_json::Value;

use crate::jwk::{check_rs256_header, RsaVerifyingKey};
use crate::jws::Jws;
use crate::{json, Error, Result};

/// RSA verifying keys parsed once from a JWKS, indexed by `kid`.
#[derive(Debug, Clone)]
pub struct JwkSet {
    keys: Vec<RsaVerifyingKey>,
    by_kid: HashMap<String, usize>,
}

impl JwkSet {
    /// Reads a JWKS from its JSON text (`{"keys": [...]}`).
    pub fn from_json(text: &str) -> Result<Self> {
        let jwks = json::parse_object(text)
            .map_err(|_| Error::invalid_jwk("JWKS is not a JSON object"))?;
        match jwks.get("keys") {
            Some(Value::Array(keys)) => Self::from_jwks(keys),
            _ => Err(Error::invalid_jwk("JWKS has no keys array")),
        }
    }

    /// Reads the members of a JWKS `keys` array. Every key must be a usable RSA
    /// signing key, and `kid`s must be unique: a set that cannot be used as given
    /// is refused whole rather than trimmed silently.
    pub fn from_jwks(keys: &[Value]) -> Result<Self> {
        if keys.is_empty() {
            return Err(Error::invalid_jwk("JWKS has no keys"));
        }
        let mut set = JwkSet {
            keys: Vec::with_capacity(keys.len()),
            by_kid: HashMap::with_capacity(keys.len()),
        };
        for (index, value) in keys.iter().enumerate() {
            let key = value
                .as_object()
                .ok_or(Error::invalid_jwk("key is not a JSON object"))
                .and_then(RsaVerifyingKey::from_jwk)
                .map_err(|e| e.at_index(index))?;
            set.add(key).map_err(|e| e.at_index(index))?;
        }
        Ok(set)
    }

    fn add(&mut self, key: RsaVerifyingKey) -> Result<()> {
        if let Some(kid) = key.kid() {
            if self
                .by_kid
                .insert(kid.to_owned(), self.keys.len())
                .is_some()
            {
                return Err(Error::invalid_jwk("kid appears twice in the key set"));
            }
        }
        self.keys.push(key);
        Ok(())
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always false: an empty set is refused when built.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys, in JWKS order.
    pub fn keys(&self) -> &[RsaVerifyingKey] {
        &self.keys
    }

    /// The key with this `kid`.
    pub fn get(&self, kid: &str) -> Option<&RsaVerifyingKey> {
        self.by_kid.get(kid).map(|&i| &self.keys[i])
    }

    /// Parses `token` and verifies it is RS256-signed by the key its `kid` names. A
    /// token without `kid` is accepted only when the set holds a single key.
    pub fn verify<'t>(&self, token: &'t str) -> Result<Jws<'t>> {
        let jws = Jws::parse(token)?;
        check_rs256_header(&jws)?;
        let key = match jws.kid()? {
            Some(kid) => self
                .get(kid)
                .ok_or(Error::KeyNotFound("no key in the set has the token's kid"))?,
            None => match self.keys.as_slice() {
                [only] => only,
                _ => {
                    return Err(Error::KeyNotFound(
                        "token has no kid and the key set holds several keys",
                    ))
                }
            },
        };
        key.verify_signature(&jws)?;
        Ok(jws)
    }
}
