//! Cognito's SRP-6a variant, both halves, in plain Rust.
//!
//! - [`Client`]: SRP_A and PASSWORD_CLAIM_SIGNATURE for USER_SRP_AUTH and, with the
//!   device group key as pool name, DEVICE_SRP_AUTH.
//! - [`ServerSession`], [`generate_verifier`]: the server half, for a local user pool.
//! - [`DeviceVerifier`]: the secret and verifier that ConfirmDevice registers.
//! - [`format_timestamp`], [`now_timestamp`], [`secret_hash`], [`new_secret_block`].
//!
//! The group is RFC 3526's 3072-bit prime with g = 2; hashes are SHA-256 over Cognito's
//! padHex byte encodings. Secrets (private values, x, S, keys, passwords) are wiped on
//! drop and never appear in errors or `Debug`; exponentiations by them run in constant
//! time on a Montgomery engine specialised to the 3072-bit modulus.

mod arith;
mod client;
mod device;
mod encoding;
mod error;
mod group;
mod kdf;
mod mont;
#[cfg(target_arch = "x86_64")]
mod mont_adx;
#[cfg(test)]
mod properties;
mod random;
mod server;
mod timestamp;

pub use client::{Client, CLIENT_PRIVATE_BYTES};
pub use device::{DeviceVerifier, DEVICE_PASSWORD_BYTES, DEVICE_SALT_BYTES};
pub use encoding::salt_bytes_from_hex;
pub use error::{Error, Result};
pub use group::{multiplier_bytes, G, N_HEX};
pub use kdf::secret_hash;
pub use random::{new_secret_block, SECRET_BLOCK_BYTES};
pub use server::{generate_verifier, ServerSession, SALT_BYTES, SERVER_PRIVATE_BYTES};
pub use timestamp::{format_timestamp, now_timestamp};
/// Buffers wiped on drop, re-exported so callers can hold secrets the same way.
pub use zeroize::Zeroizing;
