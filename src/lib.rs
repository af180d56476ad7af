//! `cognito_identity._native`: the Python face of the Rust crates in `crates/`.
//!
//! Only bindings live here: argument conversion, releasing the GIL around the work
//! (`py.detach`) and turning Rust errors into the Python `CognitoError` family
//! (see `errors.rs`). The logic is in the plain-Rust crates, tested by `cargo test`.

mod errors;
mod json;
mod jwt;
mod otp;
mod panic_probe;
mod sigv4;
mod srp;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::install_panic_hook();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    srp::register(m)?;
    sigv4::register(m)?;
    json::register(m)?;
    jwt::register(m)?;
    otp::register(m)?;
    panic_probe::register(m)?;
    Ok(())
}
