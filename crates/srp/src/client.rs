//! The client half: SRP_A and the PASSWORD_CLAIM_SIGNATURE of a PASSWORD_VERIFIER answer.

use std::fmt;

use hmac::Mac as _;
use zeroize::Zeroizing;

use crate::arith::{exponent_a_plus_ux, is_nonzero_below_modulus, pow_g, Elem};
use crate::encoding::{
    decode_base64, encode_base64, parse_hex_uint, salt_bytes_from_hex, to_lower_hex,
};
use crate::error::{Error, Result};
use crate::group::multiplier;
use crate::kdf::{claim_mac, nonzero_scrambler, private_key, session_key};
use crate::random::random_bytes;

/// Size of the client's private value a, as every Cognito SDK draws it.
pub const CLIENT_PRIVATE_BYTES: usize = 128;

/// One SRP login attempt: a private value a and its public value A = g^a mod N.
///
/// For device SRP (DEVICE_SRP_AUTH), the pool name is the device group key, the user id
/// the device key and the password the device password.
pub struct Client {
    pool_name: String,
    private_value: Zeroizing<Vec<u8>>,
    public_value: Vec<u8>,
}

impl Client {
    /// A client with a fresh private value of 128 bytes from the OS CSPRNG.
    ///
    /// `pool_name` is the part of the user pool id after the underscore
    /// (`us-east-1_AbC123` gives `AbC123`).
    pub fn new(pool_name: &str) -> Result<Client> {
        let private_value = random_bytes::<CLIENT_PRIVATE_BYTES>()?;
        Client::with_private_value(pool_name, private_value.as_slice())
    }

    /// A client with a given private value (big-endian, in 1..N-1): for tests only.
    pub fn with_private_value(pool_name: &str, private_value: &[u8]) -> Result<Client> {
        if !is_nonzero_below_modulus(private_value) {
            return Err(Error::PrivateValueOutOfRange);
        }
        let public_value = pow_g(private_value);
        if public_value.is_zero() {
            return Err(Error::ZeroModN("SRP_A"));
        }
        Ok(Client {
            pool_name: pool_name.to_owned(),
            private_value: Zeroizing::new(private_value.to_vec()),
            public_value: public_value.to_be_bytes(),
        })
    }

    /// The pool name this client signs for.
    pub fn pool_name(&self) -> &str {
        &self.pool_name
    }

    /// SRP_A as sent to Cognito: lowercase hex, no padding.
    pub fn public_value_hex(&self) -> String {
        to_lower_hex(&self.public_value)
    }

    /// The 16-byte session key for the server's SALT and SRP_B.
    ///
    /// `user_id` is the challenge's USER_ID_FOR_SRP (not the alias the user typed).
    pub fn session_key(
        &self,
        user_id: &str,
        password: &str,
        salt_hex: &str,
        server_public_hex: &str,
    ) -> Result<Zeroizing<[u8; 16]>> {
        let server_public_bytes = parse_hex_uint("SRP_B", server_public_hex)?;
        let server_public =
            Elem::from_be_bytes(&server_public_bytes).ok_or(Error::TooLarge("SRP_B"))?;
        if server_public.is_zero() {
            return Err(Error::ZeroModN("SRP_B"));
        }
        let salt = salt_bytes_from_hex(salt_hex)?;
        let u = nonzero_scrambler(&self.public_value, &server_public_bytes)?;
        let x = private_key(&salt, &self.pool_name, user_id, password);
        // (B - k*g^x) mod N: the subtraction wraps modulo N, as the SRP math requires.
        let base = server_public.sub(&multiplier().mul(&pow_g(x.as_slice())));
        let exponent = exponent_a_plus_ux(&self.private_value, &u, x.as_slice());
        let premaster = Zeroizing::new(base.pow(&exponent).to_be_bytes());
        Ok(session_key(&u, &premaster))
    }

    /// PASSWORD_CLAIM_SIGNATURE: base64(HMAC-SHA256(key, pool_name || user_id ||
    /// SECRET_BLOCK bytes || timestamp)).
    #[allow(clippy::too_many_arguments)]
    pub fn password_claim_signature(
        &self,
        user_id: &str,
        password: &str,
        salt_hex: &str,
        server_public_hex: &str,
        secret_block_b64: &str,
        timestamp: &str,
    ) -> Result<String> {
        let secret_block = Zeroizing::new(decode_base64("SECRET_BLOCK", secret_block_b64)?);
        let key = self.session_key(user_id, password, salt_hex, server_public_hex)?;
        let mac = claim_mac(&key, &self.pool_name, user_id, &secret_block, timestamp);
        Ok(encode_base64(mac.finalize().as_bytes()))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("pool_name", &self.pool_name)
            .field("srp_a", &self.public_value_hex())
            .finish_non_exhaustive()
    }
}
