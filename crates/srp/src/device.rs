//! Remembered devices: the verifier ConfirmDevice registers, and its random password.

use std::fmt;

use zeroize::Zeroizing;

use crate::encoding::{encode_base64, pad, to_lower_hex};
use crate::error::Result;
use crate::random::random_bytes;
use crate::server::password_verifier;

/// Random bytes behind a device password (it is their base64, 56 characters).
///
/// As in AWS's JavaScript SDK. The Dart SDK used 40 hex digits from an alphabet that
/// never produced 'f' (quirk Q1); base64 of CSPRNG bytes has no such bias.
pub const DEVICE_PASSWORD_BYTES: usize = 40;

/// Size of a device salt (the Dart SDK used only 8 bytes).
pub const DEVICE_SALT_BYTES: usize = 16;

/// A new device's secret (its password) and what Cognito stores to check it.
///
/// Device SRP then runs the user math with the device group key as pool name, the
/// device key as user id and this password.
pub struct DeviceVerifier {
    password: Zeroizing<String>,
    salt: Vec<u8>,
    verifier: Vec<u8>,
}

impl DeviceVerifier {
    /// A fresh random password and salt for the device, and the matching verifier.
    pub fn generate(device_group_key: &str, device_key: &str) -> Result<DeviceVerifier> {
        let password = Zeroizing::new(encode_base64(
            random_bytes::<DEVICE_PASSWORD_BYTES>()?.as_slice(),
        ));
        let salt = pad(random_bytes::<DEVICE_SALT_BYTES>()?.as_slice());
        let verifier = pad(&password_verifier(
            &salt,
            device_group_key,
            device_key,
            &password,
        ));
        Ok(DeviceVerifier {
            password,
            salt,
            verifier,
        })
    }

    /// The device password: keep it secret, it proves the device in DEVICE_SRP_AUTH.
    pub fn password(&self) -> &str {
        &self.password
    }

    /// DeviceSecretVerifierConfig.Salt: base64 of the salt's padHex bytes.
    pub fn salt_base64(&self) -> String {
        encode_base64(&self.salt)
    }

    /// DeviceSecretVerifierConfig.PasswordVerifier: base64 of the verifier's padHex bytes.
    pub fn verifier_base64(&self) -> String {
        encode_base64(&self.verifier)
    }

    /// The salt as Cognito later sends it in SALT (lowercase hex, no leading zeros).
    pub fn salt_hex(&self) -> String {
        to_lower_hex(&self.salt)
    }

    /// The verifier as lowercase hex without leading zeros.
    pub fn verifier_hex(&self) -> String {
        to_lower_hex(&self.verifier)
    }
}

impl fmt::Debug for DeviceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceVerifier")
            .field("salt", &self.salt_base64())
            .finish_non_exhaustive()
    }
}
