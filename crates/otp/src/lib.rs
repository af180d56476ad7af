//! One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238).
//!
//! Cognito's software tokens are TOTP with HMAC-SHA1, six digits and 30-second steps
//! ([`Totp::cognito`]); SHA-256 and SHA-512 are here for RFC 6238's other test vectors
//! and authenticator apps that use them.

mod error;

pub use error::Error;

use hmac::{Hmac, KeyInit, Mac};
use zeroize::Zeroizing;

/// The HMAC hash of an OTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// `"SHA1"`, `"SHA256"` or `"SHA512"` (as in `otpauth://` URIs), case-insensitive.
    pub fn from_name(name: &str) -> Result<Self, Error> {
        match name.to_ascii_uppercase().as_str() {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(Error::UnknownAlgorithm),
        }
    }
}

/// HMAC of `message` under `secret` with the algorithm's hash, wiped when dropped (it
/// gives every code of its step).
fn hmac_bytes(algorithm: Algorithm, secret: &[u8], message: &[u8]) -> Zeroizing<Vec<u8>> {
    macro_rules! hmac_with {
        ($hash:ty) => {{
            // HMAC takes keys of any length, so this cannot fail.
            let mut mac = Hmac::<$hash>::new_from_slice(secret).expect("any key length");
            mac.update(message);
            Zeroizing::new(mac.finalize().as_bytes().to_vec())
        }};
    }
    match algorithm {
        Algorithm::Sha1 => hmac_with!(sha1::Sha1),
        Algorithm::Sha256 => hmac_with!(sha2::Sha256),
        Algorithm::Sha512 => hmac_with!(sha2::Sha512),
    }
}

fn check_digits(digits: u32) -> Result<(), Error> {
    if (6..=8).contains(&digits) {
        Ok(())
    } else {
        Err(Error::InvalidDigits(digits))
    }
}

/// The HOTP value of `counter` as a number (RFC 4226 section 5.3), before zero-padding.
pub fn hotp_value(
    secret: &[u8],
    counter: u64,
    digits: u32,
    algorithm: Algorithm,
) -> Result<u32, Error> {
    if secret.is_empty() {
        return Err(Error::EmptySecret);
    }
    check_digits(digits)?;
    let message = counter.to_be_bytes();
    let hash = hmac_bytes(algorithm, secret, &message);
    // Dynamic truncation: the low nibble of the last byte picks four bytes.
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let word = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    Ok(word % 10u32.pow(digits))
}

/// The HOTP code of `counter`: `digits` decimal digits, zero-padded.
pub fn hotp(
    secret: &[u8],
    counter: u64,
    digits: u32,
    algorithm: Algorithm,
) -> Result<String, Error> {
    let value = hotp_value(secret, counter, digits, algorithm)?;
    Ok(format!("{value:0width$}", width = digits as usize))
}

/// The widest [`Totp::verify`] window, in steps either side. RFC 6238 advises one step
/// of delay; the bound keeps a caller's mistake (or a hostile window) from costing
/// billions of HMACs while the GIL is held.
pub const MAX_WINDOW: u64 = 100;

/// TOTP parameters: the step length in seconds, the epoch T0, digits and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totp {
    pub step: u64,
    pub t0: u64,
    pub digits: u32,
    pub algorithm: Algorithm,
}

impl Totp {
    /// Cognito's (and most authenticator apps'): 30 s steps from 0, six digits, SHA-1.
    pub const fn cognito() -> Self {
        Totp {
            step: 30,
            t0: 0,
            digits: 6,
            algorithm: Algorithm::Sha1,
        }
    }

    /// The step number T of `unix_time` (RFC 6238 section 4.2).
    pub fn step_at(&self, unix_time: u64) -> Result<u64, Error> {
        if self.step == 0 {
            return Err(Error::InvalidStep);
        }
        let since = unix_time
            .checked_sub(self.t0)
            .ok_or(Error::TimeBeforeEpoch)?;
        Ok(since / self.step)
    }

    /// The code at `unix_time`.
    pub fn code(&self, secret: &[u8], unix_time: u64) -> Result<String, Error> {
        hotp(
            secret,
            self.step_at(unix_time)?,
            self.digits,
            self.algorithm,
        )
    }

    /// The step whose code is `code`, looking `window` steps either side of `unix_time`
    /// (nearest first, at most [`MAX_WINDOW`]), or `None`. Callers refuse a step already used, so a code
    /// works once. Every candidate is compared in constant time.
    pub fn verify(
        &self,
        secret: &[u8],
        code: &str,
        unix_time: u64,
        window: u64,
    ) -> Result<Option<u64>, Error> {
        let now = self.step_at(unix_time)?;
        check_digits(self.digits)?;
        if window > MAX_WINDOW {
            return Err(Error::WindowTooLarge);
        }
        if secret.is_empty() {
            return Err(Error::EmptySecret);
        }
        let mut found = None;
        for distance in 0..=window {
            let mut candidates = [now.checked_sub(distance), now.checked_add(distance)];
            if distance == 0 {
                candidates[1] = None;
            }
            for step in candidates.into_iter().flatten() {
                let expected = Zeroizing::new(hotp(secret, step, self.digits, self.algorithm)?);
                if constant_time_eq(expected.as_bytes(), code.as_bytes()) && found.is_none() {
                    found = Some(step);
                }
            }
        }
        Ok(found)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn hash_and_hmac_states_wipe_themselves_when_dropped() {
        // Compiles only while the hashes' and hmac's `zeroize` features are on: HMAC
        // holds two hash cores derived from the TOTP secret.
        fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        wiped_on_drop::<<sha1::Sha1 as hmac::EagerHash>::Core>();
        wiped_on_drop::<<sha2::Sha256 as hmac::EagerHash>::Core>();
        wiped_on_drop::<<sha2::Sha512 as hmac::EagerHash>::Core>();
        wiped_on_drop::<hmac::digest::CtOutput<hmac::Hmac<sha1::Sha1>>>();
    }
}
