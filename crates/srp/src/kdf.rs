//! The hashes and MACs of Cognito's SRP: u, x, the HKDF key, the claim MAC, SECRET_HASH.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::encoding::{encode_base64, pad};
use crate::error::{Error, Result};

type HmacSha256 = Hmac<Sha256>;

/// HKDF "info" Cognito uses for the session key.
const KEY_INFO: &[u8] = b"Caldera Derived Key";

/// SHA-256 over the concatenation of `parts`.
pub(crate) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn hmac_sha256(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length")
}

/// u = H(pad(A) || pad(B)), as 32 big-endian bytes.
pub(crate) fn scrambler(large_a: &[u8], large_b: &[u8]) -> [u8; 32] {
    sha256(&[&pad(large_a), &pad(large_b)])
}

/// u for a login, refusing u == 0 (SRP-6a's safety check: S would not depend on x).
pub(crate) fn nonzero_scrambler(large_a: &[u8], large_b: &[u8]) -> Result<[u8; 32]> {
    require_nonzero(scrambler(large_a, large_b))
}

fn require_nonzero(u: [u8; 32]) -> Result<[u8; 32]> {
    if u.iter().all(|&b| b == 0) {
        Err(Error::ScramblerZero)
    } else {
        Ok(u)
    }
}

/// x = H(salt || H(pool_name || user_id || ":" || password)), as 32 big-endian bytes.
///
/// `salt` is already in hashing form (see `encoding::salt_bytes_from_hex`). For device
/// SRP, `pool_name` is the device group key and `user_id` the device key.
pub(crate) fn private_key(
    salt: &[u8],
    pool_name: &str,
    user_id: &str,
    password: &str,
) -> Zeroizing<[u8; 32]> {
    let identity = Zeroizing::new(sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]));
    Zeroizing::new(sha256(&[salt, identity.as_slice()]))
}

/// The 16-byte session key: HKDF-SHA256 with salt pad(u), input pad(S), Cognito's info.
pub(crate) fn session_key(scrambler: &[u8], premaster: &[u8]) -> Zeroizing<[u8; 16]> {
    let padded_secret = Zeroizing::new(pad(premaster));
    // The MAC outputs are read in place (`as_bytes`): they wipe themselves on drop.
    let mut prk = Zeroizing::new([0u8; 32]);
    prk.copy_from_slice(
        hmac_sha256(&pad(scrambler))
            .chain_update(padded_secret.as_slice())
            .finalize()
            .as_bytes(),
    );
    let okm = hmac_sha256(prk.as_slice())
        .chain_update(KEY_INFO)
        .chain_update([1u8])
        .finalize();
    let mut key = Zeroizing::new([0u8; 16]);
    key.copy_from_slice(&okm.as_bytes()[..16]);
    key
}

/// The PASSWORD_CLAIM_SIGNATURE MAC, ready to finalize or verify:
/// HMAC-SHA256(key, pool_name || user_id || secret_block || timestamp).
pub(crate) fn claim_mac(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> HmacSha256 {
    hmac_sha256(key)
        .chain_update(pool_name)
        .chain_update(user_id)
        .chain_update(secret_block)
        .chain_update(timestamp)
}

/// SECRET_HASH = base64(HMAC-SHA256(client_secret, username || client_id)), sent with
/// every call when the app client has a secret.
pub fn secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    let mac = hmac_sha256(client_secret.as_bytes())
        .chain_update(username)
        .chain_update(client_id)
        .finalize();
    encode_base64(mac.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_hmac_states_wipe_themselves_when_dropped() {
        // Compiles only while sha2's and hmac's `zeroize` features are on: x's hashes see
        // the password, and the HKDF and claim MACs are keyed by S and the session key.
        fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        wiped_on_drop::<Sha256>();
        wiped_on_drop::<<Sha256 as hmac::EagerHash>::Core>();
        wiped_on_drop::<hmac::digest::CtOutput<HmacSha256>>();
    }

    #[test]
    fn sha256_of_hex_matches_the_dart_vector() {
        // hexHash('1ab23cd4') from authentication_helper_test.dart.
        assert_eq!(
            hex::encode(sha256(&[&hex::decode("1ab23cd4").unwrap()])),
            "7999d2b0d9387917b38fcbd522f14229cafc44bf34f59aadb4a4766056697273"
        );
    }

    #[test]
    fn hkdf_matches_the_dart_vector() {
        // computehkdf(utf8('Password01'), utf8('Salty Item')) takes raw byte strings;
        // session_key pads its inputs, which is a no-op for these (top bit clear).
        let key = session_key(b"Salty Item", b"Password01");
        assert_eq!(encode_base64(key.as_slice()), "xqedift4s107XDR5zHZMHw==");
    }

    #[test]
    fn scrambler_matches_the_dart_vector() {
        // calculateU(0xaff001, 0xbff002): both get a leading 00 byte from padHex.
        assert_eq!(
            hex::encode(scrambler(&[0xaf, 0xf0, 0x01], &[0xbf, 0xf0, 0x02])),
            "1c3e2e616cd39a68b10c71ac12ce400798579792df1464e5519ff41446095a57"
        );
    }

    #[test]
    fn a_zero_scrambler_is_refused() {
        // Reaching u == 0 through the hash would need a SHA-256 preimage.
        assert_eq!(require_nonzero([0; 32]), Err(Error::ScramblerZero));
        let mut one = [0; 32];
        one[31] = 1;
        assert_eq!(require_nonzero(one), Ok(one));
    }

    #[test]
    fn secret_hash_matches_an_independent_hmac() {
        // RFC 4231 test case 2 (key "Jefe") split into username and client id.
        assert_eq!(
            secret_hash("what do ya want ", "for nothing?", "Jefe"),
            encode_base64(
                &hex::decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
                    .unwrap()
            )
        );
    }
}
