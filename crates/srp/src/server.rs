//! The server half, for a local Cognito-compatible user pool: verifiers, SRP_B and
//! checking a client's PASSWORD_CLAIM_SIGNATURE.

use std::fmt;

use hmac::Mac as _;
use zeroize::Zeroizing;

use crate::arith::{is_nonzero_below_modulus, pow_g, Elem};
use crate::encoding::{decode_base64, pad, parse_hex_uint, to_lower_hex};
use crate::error::{Error, Result};
use crate::group::multiplier;
use crate::kdf::{claim_mac, nonzero_scrambler, private_key, session_key};
use crate::random::random_bytes;

/// Size of a fresh user salt.
pub const SALT_BYTES: usize = 16;

/// Size of the server's private value b. 256 bits give the 128-bit security of the
/// 3072-bit group (the best attack on a short exponent costs about 2^(bits/2)), which
/// is what RFC 5054 asks for; a longer b would only slow the local pool down.
pub const SERVER_PRIVATE_BYTES: usize = 32;

/// The password verifier v = g^x mod N, x = H(salt || H(pool_name || user_id || ":" ||
/// password)), as minimal big-endian bytes. `salt` is in hashing form.
pub(crate) fn password_verifier(
    salt: &[u8],
    pool_name: &str,
    user_id: &str,
    password: &str,
) -> Vec<u8> {
    let x = private_key(salt, pool_name, user_id, password);
    pow_g(x.as_slice()).to_be_bytes()
}

/// A fresh random 16-byte salt and the verifier for it: `(salt_hex, verifier_hex)`, both
/// lowercase hex without leading zeros, as a user pool stores them and sends SALT.
pub fn generate_verifier(
    pool_name: &str,
    user_id: &str,
    password: &str,
) -> Result<(String, String)> {
    let salt = random_bytes::<SALT_BYTES>()?;
    let verifier = password_verifier(&pad(salt.as_slice()), pool_name, user_id, password);
    Ok((to_lower_hex(salt.as_slice()), to_lower_hex(&verifier)))
}

/// The server's side of one login: a private value b and SRP_B = (k*v + g^b) mod N.
pub struct ServerSession {
    verifier: Elem,
    private_value: Zeroizing<Vec<u8>>,
    public_value: Vec<u8>,
}

impl ServerSession {
    /// A session for the stored verifier (hex), with a fresh 32-byte b.
    pub fn new(verifier_hex: &str) -> Result<ServerSession> {
        let private_value = random_bytes::<SERVER_PRIVATE_BYTES>()?;
        ServerSession::with_private_value(verifier_hex, private_value.as_slice())
    }

    /// A session with a given b (big-endian, in 1..N-1): for tests only.
    pub fn with_private_value(verifier_hex: &str, private_value: &[u8]) -> Result<ServerSession> {
        // The verifier is password-equivalent for an offline guessing attack.
        let verifier_bytes = Zeroizing::new(parse_hex_uint("verifier", verifier_hex)?);
        let verifier = Elem::from_be_bytes(&verifier_bytes).ok_or(Error::TooLarge("verifier"))?;
        if verifier.is_zero() {
            return Err(Error::ZeroModN("verifier"));
        }
        if !is_nonzero_below_modulus(private_value) {
            return Err(Error::PrivateValueOutOfRange);
        }
        let public_value = multiplier().mul(&verifier).add(&pow_g(private_value));
        if public_value.is_zero() {
            return Err(Error::ZeroModN("SRP_B"));
        }
        Ok(ServerSession {
            verifier,
            private_value: Zeroizing::new(private_value.to_vec()),
            public_value: public_value.to_be_bytes(),
        })
    }

    /// SRP_B as sent in the PASSWORD_VERIFIER challenge: lowercase hex, no padding.
    pub fn public_value_hex(&self) -> String {
        to_lower_hex(&self.public_value)
    }

    /// The 16-byte session key for the client's SRP_A: S = (A * v^u)^b mod N.
    pub fn session_key(&self, client_public_hex: &str) -> Result<Zeroizing<[u8; 16]>> {
        let client_public_bytes = parse_hex_uint("SRP_A", client_public_hex)?;
        let client_public =
            Elem::from_be_bytes(&client_public_bytes).ok_or(Error::TooLarge("SRP_A"))?;
        if client_public.is_zero() {
            return Err(Error::ZeroModN("SRP_A"));
        }
        let u = nonzero_scrambler(&client_public_bytes, &self.public_value)?;
        let base = client_public.mul(&self.verifier.pow(&u));
        let premaster = Zeroizing::new(base.pow(&self.private_value).to_be_bytes());
        Ok(session_key(&u, &premaster))
    }

    /// Whether `signature_b64` is the PASSWORD_CLAIM_SIGNATURE that the holder of the
    /// password would send. The comparison takes constant time.
    ///
    /// `Ok(false)` for a wrong signature (wrong password, tampered field); an error for
    /// input that cannot be used at all (bad hex or base64, A mod N == 0, u == 0).
    pub fn verify_claim(
        &self,
        pool_name: &str,
        user_id: &str,
        client_public_hex: &str,
        secret_block_b64: &str,
        timestamp: &str,
        signature_b64: &str,
    ) -> Result<bool> {
        let secret_block = Zeroizing::new(decode_base64("SECRET_BLOCK", secret_block_b64)?);
        let signature = decode_base64("PASSWORD_CLAIM_SIGNATURE", signature_b64)?;
        let key = self.session_key(client_public_hex)?;
        let mac = claim_mac(&key, pool_name, user_id, &secret_block, timestamp);
        Ok(mac.verify_slice(&signature).is_ok())
    }
}

impl fmt::Debug for ServerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerSession")
            .field("srp_b", &self.public_value_hex())
            .finish_non_exhaustive()
    }
}
