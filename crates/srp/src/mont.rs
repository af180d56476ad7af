//! Montgomery arithmetic modulo the fixed 3072-bit N, on 48 64-bit limbs.
//!
//! Measured on the 2-core dev machine (2026-11-26, release build): num-bigint's
//! `modpow` takes 4.6 ms for a 1024-bit exponent and crypto-bigint's constant-time
//! `U3072` pow 4.3 ms, against GMP's 2.5 ms; that is too slow for the login target.
//! Here one multiplication costs about 2.2 us and a squaring 1.9 us. The products
//! are scanned column by column (Koc's "FIPS" Montgomery: product and reduction
//! interleaved), with the x*y and m*N sums in separate accumulators so that their
//! carry chains overlap: 2.2 us against 2.7 us for one chain and 2.6-3.0 us for the
//! row-wise CIOS loop. Squaring computes each off-diagonal product once and doubles
//! it; splitting its reduction sum over two more accumulators took it from 2.2 us to
//! 1.9 us.
//!
//! On x86-64 CPUs with BMI2 and ADX, `mont_adx` does the multiplications instead
//! (1.63 us, used for squares too); this portable code is the fallback elsewhere.
//!
//! Values are little-endian limbs in `0..N`; `mul`/`sqr` return `x*y/R mod N` with
//! `R = 2^3072`. The final subtraction is branch-free.

use std::sync::OnceLock;

use crate::group::modulus_bytes;

/// Number of 64-bit limbs in a residue.
pub(crate) const LIMBS: usize = 48;

/// A residue modulo N (or any 3072-bit number), little-endian 64-bit limbs.
pub(crate) type Limbs = [u64; LIMBS];

/// The constants of Montgomery arithmetic modulo N.
pub(crate) struct Params {
    /// Whether the CPU has BMI2 and ADX, for `mont_adx`.
    pub(crate) adx: bool,
    /// N.
    pub(crate) modulus: Limbs,
    /// -N^-1 mod 2^64 (equal to 1 for this N, whose low limb is all ones).
    n0: u64,
    /// R mod N: one in Montgomery form.
    pub(crate) one: Limbs,
    /// R^2 mod N, to enter Montgomery form.
    pub(crate) r_squared: Limbs,
}

/// The parameters for N, computed once.
pub(crate) fn params() -> &'static Params {
    static PARAMS: OnceLock<Params> = OnceLock::new();
    PARAMS.get_or_init(|| {
        let modulus = limbs_from_be(modulus_bytes());
        // Newton's iteration doubles the correct low bits of the inverse each step.
        let mut inverse: u64 = 1;
        for _ in 0..6 {
            inverse = inverse.wrapping_mul(2u64.wrapping_sub(modulus[0].wrapping_mul(inverse)));
        }
        // N > 2^3071, so R mod N = R - N, which is the two's complement of N.
        let mut one = [0u64; LIMBS];
        let mut borrow = 0u64;
        for (o, &n) in one.iter_mut().zip(&modulus) {
            let (d, b1) = 0u64.overflowing_sub(n);
            let (d, b2) = d.overflowing_sub(borrow);
            *o = d;
            borrow = u64::from(b1 | b2);
        }
        // R^2 mod N = R mod N doubled 3072 times.
        let mut r_squared = one;
        for _ in 0..LIMBS * 64 {
            r_squared = add_mod(&r_squared, &r_squared, &modulus);
        }
        Params {
            adx: has_adx(),
            modulus,
            n0: inverse.wrapping_neg(),
            one,
            r_squared,
        }
    })
}

#[cfg(target_arch = "x86_64")]
fn has_adx() -> bool {
    std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_adx() -> bool {
    false
}

/// Big-endian bytes (at most 384) to limbs, without reduction.
pub(crate) fn limbs_from_be(be: &[u8]) -> Limbs {
    assert!(be.len() <= LIMBS * 8, "at most 3072 bits");
    let mut limbs = [0u64; LIMBS];
    for (i, &byte) in be.iter().rev().enumerate() {
        limbs[i / 8] |= u64::from(byte) << (8 * (i % 8));
    }
    limbs
}

/// Limbs to 384 big-endian bytes.
pub(crate) fn limbs_to_be(limbs: &Limbs) -> [u8; LIMBS * 8] {
    let mut be = [0u8; LIMBS * 8];
    for (chunk, limb) in be.chunks_exact_mut(8).zip(limbs.iter().rev()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    be
}

/// x - y over the limbs, and the borrow out.
fn sub_limbs(x: &Limbs, y: &Limbs) -> (Limbs, u64) {
    let mut out = [0u64; LIMBS];
    let mut borrow = 0u64;
    for ((o, &a), &b) in out.iter_mut().zip(x).zip(y) {
        let (d, b1) = a.overflowing_sub(b);
        let (d, b2) = d.overflowing_sub(borrow);
        *o = d;
        borrow = u64::from(b1 | b2);
    }
    (out, borrow)
}

/// `value + carry*2^3072` reduced by one conditional subtraction of N, without
/// branching on the data. Needs `value + carry*2^3072 < 2N`.
fn reduce_once(value: &Limbs, carry: u64, modulus: &Limbs) -> Limbs {
    let (diff, borrow) = sub_limbs(value, modulus);
    // Keep the difference unless it borrowed and there was no carry to absorb it.
    let keep_value = (borrow & !carry) & 1;
    let mask = 0u64.wrapping_sub(keep_value);
    let mut out = [0u64; LIMBS];
    for ((o, &v), &d) in out.iter_mut().zip(value).zip(&diff) {
        *o = (v & mask) | (d & !mask);
    }
    out
}

/// x + y mod N for x, y < N.
pub(crate) fn add_mod(x: &Limbs, y: &Limbs, modulus: &Limbs) -> Limbs {
    let mut sum = [0u64; LIMBS];
    let mut carry = 0u64;
    for ((s, &a), &b) in sum.iter_mut().zip(x).zip(y) {
        let (t, c1) = a.overflowing_add(b);
        let (t, c2) = t.overflowing_add(carry);
        *s = t;
        carry = u64::from(c1 | c2);
    }
    reduce_once(&sum, carry, modulus)
}

/// x - y mod N for x, y < N.
pub(crate) fn sub_mod(x: &Limbs, y: &Limbs, modulus: &Limbs) -> Limbs {
    let (diff, borrow) = sub_limbs(x, y);
    let mask = 0u64.wrapping_sub(borrow);
    let mut out = [0u64; LIMBS];
    let mut carry = 0u64;
    for ((o, &d), &n) in out.iter_mut().zip(&diff).zip(modulus) {
        let (t, c1) = d.overflowing_add(n & mask);
        let (t, c2) = t.overflowing_add(carry);
        *o = t;
        carry = u64::from(c1 | c2);
    }
    out
}

/// A three-limb column accumulator for product scanning.
#[derive(Clone, Copy, Default)]
struct Column {
    low: u64,
    high: u64,
    top: u64,
}

impl Column {
    #[inline(always)]
    fn add_product(&mut self, a: u64, b: u64) {
        let product = u128::from(a) * u128::from(b);
        let (sum, overflow) =
            (u128::from(self.high) << 64 | u128::from(self.low)).overflowing_add(product);
        self.low = sum as u64;
        self.high = (sum >> 64) as u64;
        self.top += u64::from(overflow);
    }

    #[inline(always)]
    fn add(&mut self, other: Column) {
        let (sum, overflow) = (u128::from(self.high) << 64 | u128::from(self.low))
            .overflowing_add(u128::from(other.high) << 64 | u128::from(other.low));
        self.low = sum as u64;
        self.high = (sum >> 64) as u64;
        self.top += other.top + u64::from(overflow);
    }

    #[inline(always)]
    fn doubled(self) -> Column {
        Column {
            low: self.low << 1,
            high: (self.high << 1) | (self.low >> 63),
            top: (self.top << 1) | (self.high >> 63),
        }
    }

    /// Returns the low limb and shifts the accumulator down by one limb.
    #[inline(always)]
    fn shift_out(&mut self) -> u64 {
        let low = self.low;
        *self = Column {
            low: self.high,
            high: self.top,
            top: 0,
        };
        low
    }
}

/// Adds m[k] * N's low limb so column k becomes divisible by 2^64, recording m[k].
#[inline(always)]
fn reduce_column(acc: &mut Column, m: &mut Limbs, k: usize, p: &Params) {
    let mk = acc.low.wrapping_mul(p.n0);
    m[k] = mk;
    acc.add_product(mk, p.modulus[0]);
    acc.shift_out();
}

/// Whether to multiply with `mont_adx`: where the CPU can, unless a test asked for the
/// portable code on this thread.
#[inline(always)]
fn use_adx(p: &Params) -> bool {
    #[cfg(test)]
    if portable_only::ON.get() {
        return false;
    }
    p.adx
}

/// Montgomery product x*y/R mod N, for x, y < N.
pub(crate) fn mul(x: &Limbs, y: &Limbs, p: &Params) -> Limbs {
    #[cfg(target_arch = "x86_64")]
    if use_adx(p) {
        // SAFETY: p.adx is only set when the CPU has BMI2 and ADX.
        return unsafe { adx_mul(x, y, p) };
    }
    portable_mul(x, y, p)
}

/// Montgomery square x*x/R mod N, for x < N.
pub(crate) fn sqr(x: &Limbs, p: &Params) -> Limbs {
    if cfg!(target_arch = "x86_64") && use_adx(p) {
        return mul(x, x, p);
    }
    portable_sqr(x, p)
}

/// [`mul`] with BMI2/ADX.
///
/// # Safety
/// The CPU must support BMI2 and ADX (`p.adx`).
#[cfg(target_arch = "x86_64")]
pub(crate) unsafe fn adx_mul(x: &Limbs, y: &Limbs, p: &Params) -> Limbs {
    // SAFETY: the caller guarantees the instructions exist.
    let (low, carry) = unsafe { crate::mont_adx::mul(x, y, &p.modulus, p.n0) };
    reduce_once(&low, carry, &p.modulus)
}

/// Forcing the portable code on one thread, so that tests check both paths of the
/// engine on a CPU that has ADX.
#[cfg(test)]
pub(crate) mod portable_only {
    use std::cell::Cell;

    thread_local! {
        pub(super) static ON: Cell<bool> = const { Cell::new(false) };
    }

    /// Runs `f` with every multiplication on this thread done by the portable code.
    pub(crate) fn run<T>(f: impl FnOnce() -> T) -> T {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                ON.set(false);
            }
        }
        ON.set(true);
        let _reset = Reset;
        f()
    }
}

/// [`mul`] in portable Rust.
pub(crate) fn portable_mul(x: &Limbs, y: &Limbs, p: &Params) -> Limbs {
    let n = &p.modulus;
    let mut m = [0u64; LIMBS];
    let mut out = [0u64; LIMBS];
    let mut acc = Column::default();
    // Low columns: each ends by choosing m[k] so the column's low limb cancels.
    for k in 0..LIMBS {
        let mut reduction = Column::default();
        for i in 0..k {
            acc.add_product(x[i], y[k - i]);
            reduction.add_product(m[i], n[k - i]);
        }
        acc.add_product(x[k], y[0]);
        acc.add(reduction);
        reduce_column(&mut acc, &mut m, k, p);
    }
    // High columns: the result limbs.
    for k in LIMBS..2 * LIMBS - 1 {
        let mut reduction = Column::default();
        for i in k - LIMBS + 1..LIMBS {
            acc.add_product(x[i], y[k - i]);
            reduction.add_product(m[i], n[k - i]);
        }
        acc.add(reduction);
        out[k - LIMBS] = acc.shift_out();
    }
    out[LIMBS - 1] = acc.shift_out();
    reduce_once(&out, acc.low, n)
}

/// One column of a Montgomery square: the doubled off-diagonal products x[i]*x[k-i]
/// (i < k-i), the diagonal, and the reduction products m[i]*N[k-i] for i in
/// `low..reduction_end`, in three accumulators whose carry chains overlap.
#[inline(always)]
fn square_column(
    acc: &mut Column,
    x: &Limbs,
    m: &Limbs,
    n: &Limbs,
    k: usize,
    low: usize,
    reduction_end: usize,
) {
    let square_end = k.div_ceil(2).max(low);
    let mut half = Column::default();
    let mut even = Column::default();
    let mut odd = Column::default();
    for i in low..square_end {
        half.add_product(x[i], x[k - i]);
        even.add_product(m[i], n[k - i]);
    }
    let mut i = square_end;
    while i + 1 < reduction_end {
        even.add_product(m[i], n[k - i]);
        odd.add_product(m[i + 1], n[k - i - 1]);
        i += 2;
    }
    if i < reduction_end {
        even.add_product(m[i], n[k - i]);
    }
    acc.add(half.doubled());
    if k.is_multiple_of(2) {
        acc.add_product(x[k / 2], x[k / 2]);
    }
    acc.add(even);
    acc.add(odd);
}

/// [`sqr`] in portable Rust.
pub(crate) fn portable_sqr(x: &Limbs, p: &Params) -> Limbs {
    let n = &p.modulus;
    let mut m = [0u64; LIMBS];
    let mut out = [0u64; LIMBS];
    let mut acc = Column::default();
    for k in 0..LIMBS {
        square_column(&mut acc, x, &m, n, k, 0, k);
        reduce_column(&mut acc, &mut m, k, p);
    }
    for k in LIMBS..2 * LIMBS - 1 {
        square_column(&mut acc, x, &m, n, k, k - LIMBS + 1, LIMBS);
        out[k - LIMBS] = acc.shift_out();
    }
    out[LIMBS - 1] = acc.shift_out();
    reduce_once(&out, acc.low, n)
}

/// x*R mod N (Montgomery form) for x < N.
pub(crate) fn to_montgomery(x: &Limbs, p: &Params) -> Limbs {
    mul(x, &p.r_squared, p)
}

/// x/R mod N: back from Montgomery form.
pub(crate) fn from_montgomery(x: &Limbs, p: &Params) -> Limbs {
    let mut unit = [0u64; LIMBS];
    unit[0] = 1;
    mul(x, &unit, p)
}

/// Whether x < N, for x of any 3072-bit value.
pub(crate) fn is_below_modulus(x: &Limbs, p: &Params) -> bool {
    sub_limbs(x, &p.modulus).1 == 1
}

/// x mod N for any 3072-bit x (x < 2^3072 < 2N, so one subtraction is enough).
pub(crate) fn reduce(x: &Limbs, p: &Params) -> Limbs {
    reduce_once(x, 0, &p.modulus)
}

#[cfg(test)]
mod tests {
    //! The portable code against num-bigint whatever the CPU (the arith tests check
    //! the path this CPU dispatches to), and the ADX code against it where it runs.

    use num_bigint::BigUint;

    use super::*;

    fn random_residue(p: &Params) -> Limbs {
        let mut bytes = [0u8; LIMBS * 8];
        getrandom::getrandom(&mut bytes).unwrap();
        reduce(&limbs_from_be(&bytes), p)
    }

    fn big(limbs: &Limbs) -> BigUint {
        BigUint::from_bytes_be(&limbs_to_be(limbs))
    }

    #[test]
    fn portable_code_matches_num_bigint() {
        let p = params();
        let n = big(&p.modulus);
        let r_inverse = (BigUint::from(1u8) << 3072usize).modinv(&n).unwrap();
        let mut n_minus_one = p.modulus;
        n_minus_one[0] -= 1;
        let mut cases = vec![[0u64; LIMBS], p.one, n_minus_one];
        cases.extend((0..100).map(|_| random_residue(p)));
        for (i, x) in cases.iter().enumerate() {
            let y = &cases[(i * 5 + 1) % cases.len()];
            assert_eq!(
                big(&portable_mul(x, y, p)),
                big(x) * big(y) * &r_inverse % &n
            );
            assert_eq!(big(&portable_sqr(x, p)), big(x) * big(x) * &r_inverse % &n);
        }
    }

    #[test]
    fn dispatched_code_matches_the_portable_code() {
        let p = params();
        let mut n_minus_one = p.modulus;
        n_minus_one[0] -= 1;
        let mut top_bit = [0u64; LIMBS];
        top_bit[LIMBS - 1] = 1 << 63;
        let mut unit = [0u64; LIMBS];
        unit[0] = 1;
        let edges = [[0u64; LIMBS], unit, p.one, n_minus_one, top_bit];
        for x in &edges {
            for y in &edges {
                assert_eq!(mul(x, y, p), portable_mul(x, y, p));
            }
            assert_eq!(sqr(x, p), portable_sqr(x, p));
        }
        let mut x = random_residue(p);
        let mut y = random_residue(p);
        for _ in 0..300 {
            let product = mul(&x, &y, p);
            assert_eq!(product, portable_mul(&x, &y, p));
            assert_eq!(sqr(&x, p), portable_sqr(&x, p));
            (x, y) = (product, x);
        }
    }
}
