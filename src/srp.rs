//! Python bindings for the `cognito-srp` crate.

use pyo3::prelude::*;

/// Adds this crate's functions and classes to the `_native` module.
pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
