//! AWS Signature Version 4, as AWS specifies it.
//!
//! * Canonical URI: RFC 3986 encoding per segment; for services other than S3 the path
//!   is normalised and encoded a second time, for S3 it is signed as it is.
//! * Canonical query: names and values encoded (space is `%20`), sorted by name then
//!   value, repeated names kept, empty values written `name=`.
//! * Canonical headers: lower-cased names, trimmed values with inner whitespace folded,
//!   repeated headers joined with `,`, sorted.
//! * The session token is signed (`X-Amz-Security-Token`), the host keeps a non-default
//!   port, S3 gets `x-amz-content-sha256`, and `UNSIGNED-PAYLOAD` is available.
//! * Presigned URLs and S3 POST policy signatures.
//! * [`json`]: JSON body text byte-for-byte as Python's compact `json.dumps` writes it.
//!
//! Signing keys are cached per signer and date and wiped when dropped. Bad input is an
//! [`Error`], never a panic. There is no Python here: `src/sigv4.rs` of the binding
//! crate exposes this to Python.

mod client;
mod date;
mod error;
mod headers;
pub mod json;
mod key;
mod path;
mod percent;
mod query;
mod signer;
mod url;

pub use client::{Client, Outgoing, RequestParts};
pub use date::AmzDate;
pub use error::{Error, Result};
pub use query::Query;
pub use signer::{Credentials, Payload, Presigned, Request, Signed, Signer, Steps};
pub use url::{Endpoint, HttpUrl};
