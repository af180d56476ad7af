//! Differential property tests of the bignum engine against num-bigint: Montgomery
//! multiplication and squaring, entering and leaving Montgomery form, reduction,
//! modular addition and subtraction, the variable-base exponentiation and the
//! fixed-base comb. Every operation is checked on the portable code and, where the CPU
//! has BMI2 and ADX (detected at run time), separately on the ADX code.
//!
//! Inputs mix random values of every limb length with edge values: 0, 1, N-1, N, N+1,
//! R mod N, 2^3072 - 1, and limbs that are all ones, all zeros or a lone top bit.
//! `PROPTEST_CASES` sets the number of cases per property (10,000 by default, as in CI;
//! `fuzz/run.sh` can run more).

use std::sync::OnceLock;

use num_bigint::BigUint;
use proptest::collection::vec;
use proptest::prelude::*;

use crate::arith::{
    exponent_a_plus_ux, fresh_comb, is_nonzero_below_modulus, pow_g, Elem, BLOCKS, TEETH,
};
use crate::group::modulus_bytes;
use crate::mont::{self, portable_only, Limbs, LIMBS};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(10_000);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn n() -> &'static BigUint {
    static N: OnceLock<BigUint> = OnceLock::new();
    N.get_or_init(|| BigUint::from_bytes_be(modulus_bytes()))
}

fn big(limbs: &Limbs) -> BigUint {
    BigUint::from_bytes_be(&mont::limbs_to_be(limbs))
}

fn limbs(value: &BigUint) -> Limbs {
    mont::limbs_from_be(&value.to_bytes_be())
}

/// `R^-1 mod N`, with R = 2^3072.
fn r_inverse() -> &'static BigUint {
    static R_INVERSE: OnceLock<BigUint> = OnceLock::new();
    R_INVERSE.get_or_init(|| (BigUint::from(1u8) << 3072usize).modinv(n()).unwrap())
}

/// `f` on each path of the engine this CPU has, named: the portable code always, the
/// ADX code where the CPU has it.
fn on_each_path<T>(f: impl Fn() -> T) -> Vec<(&'static str, T)> {
    let mut results = vec![("portable", portable_only::run(&f))];
    if mont::params().adx {
        results.push(("adx", f()));
    }
    results
}

/// 0, 1, 2, N-2, N-1, N, N+1, R mod N, 2^3071, 2^3072 - 1.
fn edge_values() -> Vec<Limbs> {
    let n = n();
    let all_ones = (BigUint::from(1u8) << 3072usize) - 1u8;
    [
        BigUint::ZERO,
        BigUint::from(1u8),
        BigUint::from(2u8),
        n - 2u8,
        n - 1u8,
        n.clone(),
        n + 1u8,
        (BigUint::from(1u8) << 3072usize) - n,
        BigUint::from(1u8) << 3071usize,
        all_ones,
    ]
    .iter()
    .map(limbs)
    .collect()
}

/// A limb: random, or one of the values that stress carries.
fn limb() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => any::<u64>(),
        1 => Just(0),
        1 => Just(u64::MAX),
        1 => Just(1),
        1 => Just(1 << 63),
    ]
}

/// Any number below 2^3072: an edge value, or 0 to 48 limbs from [`limb`].
fn number() -> impl Strategy<Value = Limbs> {
    prop_oneof![
        1 => proptest::sample::select(edge_values()),
        5 => (0..=LIMBS).prop_flat_map(|len| vec(limb(), len)).prop_map(|low| {
            let mut limbs = [0u64; LIMBS];
            limbs[..low.len()].copy_from_slice(&low);
            limbs
        }),
    ]
}

/// A residue: a [`number`] reduced modulo N.
fn residue() -> impl Strategy<Value = Limbs> {
    number().prop_map(|x| mont::reduce(&x, mont::params()))
}

/// A big-endian exponent: mostly the sizes SRP uses (up to 32 and 129 bytes; the comb's
/// two tables cover 32 and 128), a few longer ones that only tests use (they cost the
/// most to check), and runs of 0xff and zero bytes.
fn exponent() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![6 => any::<u8>(), 1 => Just(0xff), 1 => Just(0)];
    prop_oneof![
        12 => vec(byte.clone(), 0..=32),
        6 => vec(byte.clone(), 33..=129),
        1 => vec(byte, 130..=384),
        1 => proptest::sample::select(vec![
            vec![],
            vec![0, 0],
            vec![1],
            vec![0xff; 32],
            vec![0xff; 128],
            vec![0xff; 129],
            vec![0xff; 384],
            [&[1u8][..], &[0; 32]].concat(),
            [&[1u8][..], &[0; 128]].concat(),
        ]),
    ]
}

fn be_bytes(limbs: &Limbs) -> Vec<u8> {
    mont::limbs_to_be(limbs).to_vec()
}

fn value(e: &Elem) -> BigUint {
    BigUint::from_bytes_be(&e.to_be_bytes())
}

#[test]
fn the_adx_path_is_chosen_by_run_time_detection() {
    #[cfg(target_arch = "x86_64")]
    let cpu_has_it = std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx");
    #[cfg(not(target_arch = "x86_64"))]
    let cpu_has_it = false;
    assert_eq!(mont::params().adx, cpu_has_it);
    if !cpu_has_it {
        eprintln!("this CPU has no BMI2/ADX: only the portable path is checked");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn montgomery_products_match_num_bigint(x in residue(), y in residue()) {
        let p = mont::params();
        let n = n();
        let r_inverse = r_inverse();
        let product = big(&x) * big(&y) * r_inverse % n;
        let square = big(&x) * big(&x) * r_inverse % n;
        prop_assert_eq!(big(&mont::portable_mul(&x, &y, p)), product.clone());
        prop_assert_eq!(big(&mont::portable_sqr(&x, p)), square.clone());
        #[cfg(target_arch = "x86_64")]
        if p.adx {
            // SAFETY: the CPU has BMI2 and ADX.
            prop_assert_eq!(big(&unsafe { mont::adx_mul(&x, &y, p) }), product);
            prop_assert_eq!(big(&unsafe { mont::adx_mul(&x, &x, p) }), square);
        }
    }

    #[test]
    fn entering_and_leaving_montgomery_form_match_num_bigint(x in number()) {
        let p = mont::params();
        let n = n();
        let reduced = mont::reduce(&x, p);
        prop_assert_eq!(big(&reduced), big(&x) % n);
        prop_assert_eq!(
            mont::is_below_modulus(&x, p),
            big(&x) < *n
        );
        prop_assert_eq!(
            is_nonzero_below_modulus(&be_bytes(&x)),
            big(&x) > BigUint::ZERO && big(&x) < *n
        );
        for (path, (into, back, elem)) in on_each_path(|| {
            let into = mont::to_montgomery(&reduced, p);
            let back = mont::from_montgomery(&into, p);
            (into, back, Elem::from_be_bytes(&be_bytes(&x)).unwrap())
        }) {
            prop_assert_eq!(big(&into), (big(&x) << 3072usize) % n, "{}", path);
            prop_assert_eq!(back, reduced, "{}", path);
            prop_assert_eq!(value(&elem), big(&x) % n, "{}", path);
        }
    }

    #[test]
    fn modular_sums_and_differences_match_num_bigint(x in residue(), y in residue()) {
        let modulus = &mont::params().modulus;
        let n = n();
        prop_assert_eq!(big(&mont::add_mod(&x, &y, modulus)), (big(&x) + big(&y)) % n);
        prop_assert_eq!(
            big(&mont::sub_mod(&x, &y, modulus)),
            (big(&x) + n - big(&y)) % n
        );
    }

    #[test]
    fn variable_base_powers_match_num_bigint(base in number(), exp in exponent()) {
        let n = n();
        let expected = big(&base).modpow(&BigUint::from_bytes_be(&exp), n);
        let base = be_bytes(&base);
        for (path, power) in on_each_path(|| Elem::from_be_bytes(&base).unwrap().pow(&exp)) {
            prop_assert_eq!(value(&power), expected.clone(), "{}", path);
        }
    }

    #[test]
    fn fixed_base_powers_match_num_bigint(exp in exponent()) {
        let expected = BigUint::from(2u8).modpow(&BigUint::from_bytes_be(&exp), n());
        for (path, power) in on_each_path(|| pow_g(&exp)) {
            prop_assert_eq!(value(&power), expected.clone(), "{}", path);
        }
    }

    #[test]
    fn the_client_exponent_matches_num_bigint(
        a in vec(any::<u8>(), 0..=384),
        u in vec(any::<u8>(), 0..=32),
        x in vec(any::<u8>(), 0..=32),
    ) {
        let big = |be: &[u8]| BigUint::from_bytes_be(be);
        prop_assert_eq!(
            big(&exponent_a_plus_ux(&a, &u, &x)),
            big(&a) + big(&u) * big(&x)
        );
    }
}

/// The process-wide combs are built once, by whichever path runs first, so the property
/// above checks the other path's table reads but not its table building. Here each path
/// builds both combs afresh; every entry must be its product of powers of g, and a power
/// taken through the fresh tables must match.
#[test]
fn comb_tables_built_on_each_path_match_num_bigint() {
    let n = n();
    for max_bits in [256, 1024] {
        let exponents = [
            vec![1u8],
            vec![0xff; max_bits / 8],
            vec![0x5a; max_bits / 8 - 1],
        ];
        for exp in &exponents {
            let expected = BigUint::from(2u8).modpow(&BigUint::from_bytes_be(exp), n);
            for (path, (block_bits, tables, power)) in on_each_path(|| fresh_comb(max_bits, exp)) {
                assert_eq!(value(&power), expected, "{path}: comb {max_bits}");
                let row_bits = block_bits * BLOCKS;
                // g^(2^i) for every bit position i the comb reads.
                let mut powers_of_two = Vec::with_capacity(TEETH * row_bits);
                let mut power = BigUint::from(2u8);
                for _ in 0..TEETH * row_bits {
                    let next = &power * &power % n;
                    powers_of_two.push(std::mem::replace(&mut power, next));
                }
                assert_eq!(tables.len(), BLOCKS, "{path}: comb {max_bits}");
                for (j, table) in tables.iter().enumerate() {
                    assert_eq!(table.len(), 1 << TEETH, "{path}: comb {max_bits}");
                    for (pattern, entry) in table.iter().enumerate() {
                        let expected = (0..TEETH)
                            .filter(|row| pattern >> row & 1 == 1)
                            .fold(BigUint::from(1u8), |acc, row| {
                                acc * &powers_of_two[row * row_bits + j * block_bits] % n
                            });
                        assert_eq!(
                            value(entry),
                            expected,
                            "{path}: comb {max_bits}, table {j}, entry {pattern}"
                        );
                    }
                }
            }
        }
    }
}
