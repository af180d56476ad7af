//! Python bindings for the `cognito-srp` crate.
//!
//! Every call that exponentiates releases the GIL, so SRP scales across threads.
//! Secrets that cross from Python (passwords, injected private values) are copied into
//! buffers wiped on drop. `cognito_identity.srp` wraps these in the documented API.

use cognito_srp::{self as srp, Zeroizing};
use pyo3::prelude::*;
use pyo3::types::PyString;

use std::convert::Infallible;

use crate::errors::{detached, guarded, NativeResult};

/// The client half of one SRP login (see `cognito_identity.srp.AuthenticationHelper`).
#[pyclass(frozen, module = "cognito_identity._native")]
pub struct SrpClient(srp::Client);

#[pymethods]
impl SrpClient {
    #[new]
    #[pyo3(signature = (pool_name, small_a = None))]
    fn new(py: Python<'_>, pool_name: String, small_a: Option<Vec<u8>>) -> NativeResult<Self> {
        let small_a = small_a.map(Zeroizing::new);
        let client = detached(py, || match small_a {
            Some(a) => srp::Client::with_private_value(&pool_name, &a),
            None => srp::Client::new(&pool_name),
        })?;
        Ok(SrpClient(client))
    }

    #[getter]
    fn pool_name(&self) -> &str {
        self.0.pool_name()
    }

    #[getter]
    fn large_a_hex(&self) -> NativeResult<String> {
        guarded(|| Ok::<_, Infallible>(self.0.public_value_hex()))
    }

    #[allow(clippy::too_many_arguments)]
    fn password_claim_signature(
        &self,
        py: Python<'_>,
        user_id_for_srp: String,
        password: String,
        salt_hex: String,
        srp_b_hex: String,
        secret_block_b64: String,
        timestamp: String,
    ) -> NativeResult<String> {
        let password = Zeroizing::new(password);
        let signature = detached(py, || {
            self.0.password_claim_signature(
                &user_id_for_srp,
                &password,
                &salt_hex,
                &srp_b_hex,
                &secret_block_b64,
                &timestamp,
            )
        })?;
        Ok(signature)
    }
}

/// The server half of one SRP login (see `cognito_identity.srp.ServerSession`).
#[pyclass(frozen, module = "cognito_identity._native")]
pub struct SrpServerSession(srp::ServerSession);

#[pymethods]
impl SrpServerSession {
    #[new]
    #[pyo3(signature = (verifier_hex, small_b = None))]
    fn new(py: Python<'_>, verifier_hex: String, small_b: Option<Vec<u8>>) -> NativeResult<Self> {
        let small_b = small_b.map(Zeroizing::new);
        let session = detached(py, || match small_b {
            Some(b) => srp::ServerSession::with_private_value(&verifier_hex, &b),
            None => srp::ServerSession::new(&verifier_hex),
        })?;
        Ok(SrpServerSession(session))
    }

    #[getter]
    fn large_b_hex(&self) -> NativeResult<String> {
        guarded(|| Ok::<_, Infallible>(self.0.public_value_hex()))
    }

    #[allow(clippy::too_many_arguments)]
    fn verify_claim(
        &self,
        py: Python<'_>,
        pool_name: String,
        user_id_for_srp: String,
        salt_hex: String,
        srp_a_hex: String,
        secret_block_b64: String,
        timestamp: String,
        signature_b64: String,
    ) -> NativeResult<bool> {
        // The verifier already binds the salt; the SALT sent is only checked for form.
        guarded(|| srp::salt_bytes_from_hex(&salt_hex))?;
        let verified = detached(py, || {
            self.0.verify_claim(
                &pool_name,
                &user_id_for_srp,
                &srp_a_hex,
                &secret_block_b64,
                &timestamp,
                &signature_b64,
            )
        })?;
        Ok(verified)
    }
}

/// `(salt_hex, verifier_hex)` for a new password, with a fresh random 16-byte salt.
#[pyfunction]
fn srp_generate_verifier(
    py: Python<'_>,
    pool_name: String,
    user_id_for_srp: String,
    password: String,
) -> NativeResult<(String, String)> {
    let password = Zeroizing::new(password);
    detached(py, || {
        srp::generate_verifier(&pool_name, &user_id_for_srp, &password)
    })
}

/// `(device_password, salt_b64, verifier_b64)` for ConfirmDevice.
#[pyfunction]
fn srp_generate_device_verifier(
    py: Python<'_>,
    device_group_key: String,
    device_key: String,
) -> NativeResult<(Bound<'_, PyString>, String, String)> {
    let device = detached(py, || {
        srp::DeviceVerifier::generate(&device_group_key, &device_key)
    })?;
    // Straight from the wiped buffer into Python: no unwiped Rust copy of the password.
    let (salt, verifier) =
        guarded(|| Ok::<_, Infallible>((device.salt_base64(), device.verifier_base64())))?;
    Ok((PyString::new(py, device.password()), salt, verifier))
}

/// A random SECRET_BLOCK, base64.
#[pyfunction]
fn srp_new_secret_block() -> NativeResult<String> {
    guarded(srp::new_secret_block)
}

/// SECRET_HASH for an app client with a secret.
#[pyfunction]
fn srp_secret_hash(username: &str, client_id: &str, client_secret: &str) -> NativeResult<String> {
    guarded(|| Ok::<_, Infallible>(srp::secret_hash(username, client_id, client_secret)))
}

/// Cognito's TIMESTAMP for a Unix time in seconds.
#[pyfunction]
fn srp_format_timestamp(unix_seconds: i64) -> NativeResult<String> {
    guarded(|| Ok::<_, Infallible>(srp::format_timestamp(unix_seconds)))
}

/// Cognito's TIMESTAMP for now.
#[pyfunction]
fn srp_now_timestamp() -> NativeResult<String> {
    guarded(|| Ok::<_, Infallible>(srp::now_timestamp()))
}

/// Adds this crate's functions and classes to the `_native` module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<SrpClient>()?;
    m.add_class::<SrpServerSession>()?;
    m.add_function(wrap_pyfunction!(srp_generate_verifier, m)?)?;
    m.add_function(wrap_pyfunction!(srp_generate_device_verifier, m)?)?;
    m.add_function(wrap_pyfunction!(srp_new_secret_block, m)?)?;
    m.add_function(wrap_pyfunction!(srp_secret_hash, m)?)?;
    m.add_function(wrap_pyfunction!(srp_format_timestamp, m)?)?;
    m.add_function(wrap_pyfunction!(srp_now_timestamp, m)?)?;
    Ok(())
}
