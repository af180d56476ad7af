//! The signing key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
//! "aws4_request")`, derived once per date and kept in a small cache that wipes what it
//! drops.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// A 32-byte key that is zeroed when dropped.
pub(crate) type Key = Zeroizing<[u8; 32]>;

/// HMAC-SHA256 of `message` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> Key {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(mac.finalize().as_bytes());
    out
}

/// Derives the signing key from `k_secret` (the bytes of `"AWS4" + secret`).
pub(crate) fn derive(k_secret: &[u8], date: &str, region: &str, service: &str) -> Key {
    let k_date = hmac_sha256(k_secret, date.as_bytes());
    let k_region = hmac_sha256(&*k_date, region.as_bytes());
    let k_service = hmac_sha256(&*k_region, service.as_bytes());
    hmac_sha256(&*k_service, b"aws4_request")
}

/// How many dates a cache remembers: today, yesterday near midnight, and room for
/// presigning at explicit timestamps.
const CAPACITY: usize = 4;

/// Signing keys of one credential, region and service, by date, most recent first.
///
/// Each [`crate::Signer`] owns one, so the secret, region and service parts of the cache
/// key are fixed and only the date varies. Evicted and dropped keys are zeroed, and the
/// queue never grows past its first allocation, so no copy is left in a freed buffer.
pub(crate) struct KeyCache {
    keys: Mutex<VecDeque<([u8; 8], Key)>>,
}

impl Default for KeyCache {
    fn default() -> Self {
        Self {
            keys: Mutex::new(VecDeque::with_capacity(CAPACITY)),
        }
    }
}

impl KeyCache {
    /// The key for `date` (`YYYYMMDD`), deriving it with `derive_key` on a miss.
    pub(crate) fn get_or_derive(&self, date: &str, derive_key: impl FnOnce() -> Key) -> Key {
        let mut wanted = [0u8; 8];
        wanted.copy_from_slice(&date.as_bytes()[..8]);
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        let found = keys.iter().position(|(d, _)| *d == wanted);
        let entry = match found.and_then(|position| keys.remove(position)) {
            Some(entry) => entry,
            None => {
                keys.truncate(CAPACITY - 1);
                (wanted, derive_key())
            }
        };
        let key = entry.1.clone();
        keys.push_front(entry);
        key
    }

    #[cfg(test)]
    fn dates(&self) -> Vec<[u8; 8]> {
        let keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        keys.iter().map(|(d, _)| *d).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_hmac_states_wipe_themselves_when_dropped() {
        // Compiles only while sha2's and hmac's `zeroize` features are on: HMAC holds two
        // SHA-256 cores derived from the signing key, and its output is a CtOutput.
        fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        wiped_on_drop::<Sha256>();
        wiped_on_drop::<<Sha256 as hmac::EagerHash>::Core>();
        wiped_on_drop::<hmac::digest::CtOutput<Hmac<Sha256>>>();
    }

    #[test]
    fn derivation_is_the_hmac_chain() {
        // Chained by hand with the HMAC primitive, to check the order of the four steps.
        let secret = b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let expected = {
            let k = hmac_sha256(secret, b"20150830");
            let k = hmac_sha256(&*k, b"us-east-1");
            let k = hmac_sha256(&*k, b"iam");
            hmac_sha256(&*k, b"aws4_request")
        };
        assert_eq!(*derive(secret, "20150830", "us-east-1", "iam"), *expected);
        // RFC 4231 test case 2 pins the primitive itself.
        assert_eq!(
            hex::encode(*hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_cache_never_moves_its_keys_to_a_new_buffer() {
        // A reallocation would leave copies of keys in the freed buffer, unwiped.
        let cache = KeyCache::default();
        let capacity = || cache.keys.lock().unwrap().capacity();
        let first = capacity();
        assert!(first >= CAPACITY);
        for day in 10..40 {
            cache.get_or_derive(&format!("202001{day}"), || Zeroizing::new([0; 32]));
        }
        assert_eq!(capacity(), first);
    }

    #[test]
    fn cache_derives_once_per_date_and_evicts_the_least_recent() {
        let cache = KeyCache::default();
        let mut derivations = 0;
        let mut get = |date: &str| {
            cache.get_or_derive(date, || {
                derivations += 1;
                Zeroizing::new([date.as_bytes()[7]; 32])
            })
        };
        assert_eq!(get("20200101")[0], b'1');
        assert_eq!(get("20200101")[0], b'1');
        for date in ["20200102", "20200103", "20200104", "20200101", "20200105"] {
            get(date);
        }
        assert_eq!(derivations, 5);
        let dates: Vec<String> = cache
            .dates()
            .iter()
            .map(|d| String::from_utf8_lossy(d).into_owned())
            .collect();
        assert_eq!(dates, ["20200105", "20200101", "20200104", "20200103"]);
    }
}
