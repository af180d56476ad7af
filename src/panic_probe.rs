//! A binding that panics on purpose, so that tests can show what a panic in native
//! code becomes in Python: `NativePanicError`, never PyO3's `PanicException`.
//!
//! Nothing else in the module panics on any input we know of (the fuzz targets in
//! `fuzz/` look for such input), so without this the conversion could not be tested.

use pyo3::prelude::*;

use crate::errors::{detached, guarded, NativeResult};

/// Panics inside `guarded` (or `detached` when `gil_released`), with a fixed text, or
/// with `formatted` formatted into the text when given.
#[pyfunction]
#[pyo3(signature = (gil_released = false, formatted = None))]
fn _panic_probe(py: Python<'_>, gil_released: bool, formatted: Option<String>) -> NativeResult<()> {
    let work = move || -> Result<(), std::convert::Infallible> {
        match formatted {
            Some(text) => panic!("panic probe: {text}"),
            None => panic!("panic probe"),
        }
    };
    if gil_released {
        detached(py, work)
    } else {
        guarded(work)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_panic_probe, m)?)
}
