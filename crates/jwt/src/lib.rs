//! JWT parsing and RS256 verification (placeholder until the parser lands).

use std::fmt;

/// Why an operation of this crate failed. Messages never contain secret values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// An input that cannot be used, with a short description of which and why.
    InvalidInput(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {}
