//! A request body's compact JSON, written straight from Python objects.
//!
//! `SigV4Request` sends a dict or list body as
//! `json.dumps(body, separators=(",", ":"), ensure_ascii=False)` encoded as UTF-8. This
//! writes the same bytes for documents made of the plain built-in types, at a fraction of
//! the cost; for anything else it answers `None` and the caller uses `json.dumps`, so the
//! bytes (and the errors) stay Python's.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use cognito_sigv4::json::{push_float, push_int, push_string};

use crate::errors::{guarded, NativeResult};
use std::convert::Infallible;

/// Deeper documents are left to `json.dumps`, which also detects cycles.
const MAX_DEPTH: usize = 64;

/// Marks a value this encoder leaves to `json.dumps`.
struct Unsupported;

type Written = Result<(), Unsupported>;

fn write_str(out: &mut Vec<u8>, text: &Bound<'_, PyString>) -> Written {
    // Encoding fails only for a lone surrogate, which has no UTF-8 form. (The stable ABI
    // of Python 3.9 has no way to borrow a str's UTF-8 without a copy.)
    let utf8 = text.encode_utf8().map_err(|_| Unsupported)?;
    push_string(
        out,
        std::str::from_utf8(utf8.as_bytes()).map_err(|_| Unsupported)?,
    );
    Ok(())
}

fn write_value(out: &mut Vec<u8>, value: &Bound<'_, PyAny>, depth: usize) -> Written {
    // Exact types only: subclasses may override what json.dumps would call.
    if value.is_none() {
        out.extend_from_slice(b"null");
    } else if let Ok(text) = value.cast_exact::<PyString>() {
        write_str(out, text)?;
    } else if let Ok(flag) = value.cast_exact::<PyBool>() {
        out.extend_from_slice(if flag.is_true() { b"true" } else { b"false" });
    } else if let Ok(number) = value.cast_exact::<PyInt>() {
        push_int(out, number.extract().map_err(|_| Unsupported)?);
    } else if let Ok(number) = value.cast_exact::<PyFloat>() {
        push_float(out, number.value());
    } else if depth >= MAX_DEPTH {
        return Err(Unsupported);
    } else if let Ok(dict) = value.cast_exact::<PyDict>() {
        // No Python code runs while the GIL is held here, so the dict cannot change
        // under the iterator (the one thing that would make it panic).
        out.push(b'{');
        for (index, (key, item)) in dict.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            // json.dumps turns int, float, bool and None keys into text: left to it.
            write_str(out, key.cast_exact::<PyString>().map_err(|_| Unsupported)?)?;
            out.push(b':');
            write_value(out, &item, depth + 1)?;
        }
        out.push(b'}');
    } else if let Ok(list) = value.cast_exact::<PyList>() {
        write_items(out, list.iter(), depth)?;
    } else if let Ok(tuple) = value.cast_exact::<PyTuple>() {
        write_items(out, tuple.iter(), depth)?;
    } else {
        return Err(Unsupported);
    }
    Ok(())
}

fn write_items<'py>(
    out: &mut Vec<u8>,
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    depth: usize,
) -> Written {
    out.push(b'[');
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_value(out, &item, depth + 1)?;
    }
    out.push(b']');
    Ok(())
}

/// The UTF-8 bytes of `json.dumps(document, separators=(",", ":"), ensure_ascii=False)`
/// when the document holds only dicts with str keys, lists, tuples, str, int (64-bit),
/// float, bool and None; otherwise `None` (use `json.dumps`).
#[pyfunction]
fn compact_json<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
) -> NativeResult<Option<Bound<'py, PyBytes>>> {
    let mut out = Vec::with_capacity(256);
    let written = guarded(|| Ok::<_, Infallible>(write_value(&mut out, document, 0)))?;
    Ok(written.ok().map(|()| PyBytes::new(py, &out)))
}

/// Adds the JSON encoder to the `_native` module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(compact_json, m)?)
}
