//! The SRP group Cognito uses: the 3072-bit MODP prime of RFC 3526, g = 2, and k.

use std::sync::OnceLock;

use crate::arith::Elem;
use crate::encoding::pad;
use crate::kdf::sha256;

/// N, the 3072-bit safe prime of RFC 3526 section 4 (also RFC 5054's 3072-bit group).
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The generator.
pub const G: u8 = 2;

/// N as 384 big-endian bytes.
pub(crate) fn modulus_bytes() -> &'static [u8; 384] {
    static N: OnceLock<[u8; 384]> = OnceLock::new();
    N.get_or_init(|| {
        let mut n = [0u8; 384];
        hex::decode_to_slice(N_HEX, &mut n).expect("N_HEX is 768 hex digits");
        n
    })
}

/// k = H(pad(N) || pad(g)), the SRP-6a multiplier, as 32 big-endian bytes.
pub fn multiplier_bytes() -> [u8; 32] {
    sha256(&[&pad(modulus_bytes()), &pad(&[G])])
}

/// k as a group element.
pub(crate) fn multiplier() -> &'static Elem {
    static K: OnceLock<Elem> = OnceLock::new();
    K.get_or_init(|| Elem::from_be_bytes(&multiplier_bytes()).expect("k < N"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_is_the_rfc_3526_prime() {
        let n = modulus_bytes();
        assert_eq!(n[..8], [0xff; 8]);
        assert_eq!(n[376..], [0xff; 8]);
        assert_eq!(n[8..12], [0xc9, 0x0f, 0xda, 0xa2]);
    }

    #[test]
    fn multiplier_is_cognitos_k() {
        assert_eq!(
            hex::encode(multiplier_bytes()),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }
}
