//! `cognito_identity._native`: the Python face of the Rust crates in `crates/`.
//!
//! Only bindings live here: argument conversion, releasing the GIL around the work
//! (`py.detach`) and turning Rust errors into the Python `CognitoError` family
//! (see `errors.rs`). The logic is in the plain-Rust crates, tested by `cargo test`.

mod errors;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
