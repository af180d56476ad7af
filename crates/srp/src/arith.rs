//! Arithmetic modulo N: the only module that knows how numbers are represented.

use std::sync::OnceLock;

use num_bigint::BigUint;
use zeroize::Zeroizing;

use crate::group::{modulus_bytes, G};

fn modulus() -> &'static BigUint {
    static N: OnceLock<BigUint> = OnceLock::new();
    N.get_or_init(|| BigUint::from_bytes_be(modulus_bytes()))
}

/// A residue modulo N, always reduced.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Elem(BigUint);

impl Elem {
    /// Reduces a big-endian number of at most 384 bytes modulo N.
    pub(crate) fn from_be_bytes(be: &[u8]) -> Option<Elem> {
        (be.len() <= 384).then(|| Elem(BigUint::from_bytes_be(be) % modulus()))
    }

    /// Minimal big-endian bytes (empty for zero).
    pub(crate) fn to_be_bytes(&self) -> Vec<u8> {
        if self.is_zero() {
            Vec::new()
        } else {
            self.0.to_bytes_be()
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.bits() == 0
    }

    /// self^exp mod N, `exp` big-endian.
    pub(crate) fn pow(&self, exp: &[u8]) -> Elem {
        Elem(self.0.modpow(&BigUint::from_bytes_be(exp), modulus()))
    }

    pub(crate) fn mul(&self, other: &Elem) -> Elem {
        Elem(&self.0 * &other.0 % modulus())
    }

    pub(crate) fn add(&self, other: &Elem) -> Elem {
        Elem((&self.0 + &other.0) % modulus())
    }

    pub(crate) fn sub(&self, other: &Elem) -> Elem {
        Elem((&self.0 + modulus() - &other.0) % modulus())
    }
}

/// g^exp mod N, `exp` big-endian.
pub(crate) fn pow_g(exp: &[u8]) -> Elem {
    Elem(BigUint::from(G).modpow(&BigUint::from_bytes_be(exp), modulus()))
}

/// Whether the big-endian number lies in 1..N-1.
pub(crate) fn is_nonzero_below_modulus(be: &[u8]) -> bool {
    let value = BigUint::from_bytes_be(be);
    value.bits() != 0 && &value < modulus()
}

/// The client's exponent a + u*x (big-endian), which S = base^(a + u*x) needs.
pub(crate) fn exponent_a_plus_ux(a: &[u8], u: &[u8], x: &[u8]) -> Zeroizing<Vec<u8>> {
    let sum = BigUint::from_bytes_be(a) + BigUint::from_bytes_be(u) * BigUint::from_bytes_be(x);
    Zeroizing::new(sum.to_bytes_be())
}
