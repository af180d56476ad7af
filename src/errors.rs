//! The one place where Rust errors become Python exceptions.
//!
//! Each plain-Rust crate has its own error enum; `NativeError` wraps them so that a
//! single `From<NativeError> for PyErr` decides which `cognito_identity.errors` class
//! a failure becomes. The classes are defined in Python (so users can import and
//! subclass them normally) and looked up lazily by `import_exception!`.

use pyo3::PyErr;

pyo3::import_exception!(cognito_identity.errors, SrpError);
pyo3::import_exception!(cognito_identity.errors, SigV4Error);
pyo3::import_exception!(cognito_identity.errors, MalformedTokenError);
pyo3::import_exception!(cognito_identity.errors, InvalidJwkError);
pyo3::import_exception!(cognito_identity.errors, UnsupportedAlgorithmError);
pyo3::import_exception!(cognito_identity.errors, TokenKeyNotFoundError);
pyo3::import_exception!(cognito_identity.errors, InvalidSignatureError);
pyo3::import_exception!(cognito_identity.errors, TokenSigningError);
pyo3::import_exception!(cognito_identity.errors, OtpError);
pyo3::import_exception!(cognito_identity.errors, ForbiddenTokenHeaderError);
pyo3::import_exception!(cognito_identity.errors, InvalidClaimError);
pyo3::import_exception!(cognito_identity.errors, WrongIssuerError);
pyo3::import_exception!(cognito_identity.errors, WrongTokenUseError);
pyo3::import_exception!(cognito_identity.errors, WrongClientError);
pyo3::import_exception!(cognito_identity.errors, TokenExpiredError);
pyo3::import_exception!(cognito_identity.errors, TokenNotYetValidError);
pyo3::import_exception!(cognito_identity.errors, MissingGroupError);
pyo3::import_exception!(cognito_identity.errors, InvalidConfigurationError);

/// Any failure of the native crates, on its way to Python.
#[derive(Debug)]
pub enum NativeError {
    Srp(cognito_srp::Error),
    SigV4(cognito_sigv4::Error),
    Jwt(cognito_jwt::Error),
    Otp(cognito_otp::Error),
}

pub type NativeResult<T> = Result<T, NativeError>;

impl From<cognito_srp::Error> for NativeError {
    fn from(e: cognito_srp::Error) -> Self {
        NativeError::Srp(e)
    }
}

impl From<cognito_sigv4::Error> for NativeError {
    fn from(e: cognito_sigv4::Error) -> Self {
        NativeError::SigV4(e)
    }
}

impl From<cognito_jwt::Error> for NativeError {
    fn from(e: cognito_jwt::Error) -> Self {
        NativeError::Jwt(e)
    }
}

impl From<cognito_otp::Error> for NativeError {
    fn from(e: cognito_otp::Error) -> Self {
        NativeError::Otp(e)
    }
}

impl From<NativeError> for PyErr {
    fn from(e: NativeError) -> PyErr {
        match e {
            NativeError::Srp(e) => SrpError::new_err(e.to_string()),
            NativeError::SigV4(e) => SigV4Error::new_err(e.to_string()),
            NativeError::Jwt(e) => jwt_error(e),
            NativeError::Otp(e) => OtpError::new_err(e.to_string()),
        }
    }
}

/// Each kind of JWT failure becomes its own `cognito_identity.errors` class.
fn jwt_error(e: cognito_jwt::Error) -> PyErr {
    use cognito_jwt::Error as E;
    let message = e.to_string();
    match e {
        E::Malformed(_) => MalformedTokenError::new_err(message),
        E::UnsupportedAlgorithm(_) => UnsupportedAlgorithmError::new_err(message),
        E::KeyNotFound(_) => TokenKeyNotFoundError::new_err(message),
        E::InvalidJwk { .. } => InvalidJwkError::new_err(message),
        E::InvalidSignature => InvalidSignatureError::new_err(message),
        E::InvalidSigningKey(_) | E::Signing(_) => TokenSigningError::new_err(message),
        E::ForbiddenHeader(_) => ForbiddenTokenHeaderError::new_err(message),
        E::InvalidClaim(_) => InvalidClaimError::new_err(message),
        E::WrongIssuer => WrongIssuerError::new_err(message),
        E::WrongTokenUse => WrongTokenUseError::new_err(message),
        E::WrongClient => WrongClientError::new_err(message),
        E::Expired => TokenExpiredError::new_err(message),
        E::NotYetValid => TokenNotYetValidError::new_err(message),
        E::MissingGroup => MissingGroupError::new_err(message),
    }
}
