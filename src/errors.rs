//! The one place where Rust errors become Python exceptions.
//!
//! Each plain-Rust crate has its own error enum; `NativeError` wraps them so that a
//! single `From<NativeError> for PyErr` decides which `cognito_identity.errors` class
//! a failure becomes. The classes are defined in Python (so users can import and
//! subclass them normally) and looked up lazily by `import_exception!`.
//!
//! It is also where panics stop. Every binding runs crate code through [`guarded`] or
//! [`detached`], which catch a panic and turn it into `NativePanicError` (a
//! `CognitoError`) instead of PyO3's `PanicException`, a `BaseException` that
//! `except Exception` would not catch. The panic hook ([`install_panic_hook`]) prints
//! nothing, since a panic's message may hold the values being processed; it records
//! where the panic happened for the error's message instead.

use std::any::Any;
use std::cell::RefCell;
use std::convert::Infallible;
use std::panic::{self, AssertUnwindSafe, Location};

use pyo3::{PyErr, Python};

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
pyo3::import_exception!(cognito_identity.errors, NativePanicError);

/// Any failure of the native crates, on its way to Python.
#[derive(Debug)]
pub enum NativeError {
    Srp(cognito_srp::Error),
    SigV4(cognito_sigv4::Error),
    Jwt(cognito_jwt::Error),
    Otp(cognito_otp::Error),
    /// A panic caught at the binding boundary: a bug, never an answer to bad input.
    Panic {
        binding: &'static Location<'static>,
        origin: Option<String>,
        detail: Option<&'static str>,
    },
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

// Lets infallible work go through `guarded` and `detached` like the rest.
impl From<Infallible> for NativeError {
    fn from(never: Infallible) -> Self {
        match never {}
    }
}

impl From<NativeError> for PyErr {
    fn from(e: NativeError) -> PyErr {
        match e {
            NativeError::Srp(e) => SrpError::new_err(e.to_string()),
            NativeError::SigV4(e) => SigV4Error::new_err(e.to_string()),
            NativeError::Jwt(e) => jwt_error(e),
            NativeError::Otp(e) => OtpError::new_err(e.to_string()),
            NativeError::Panic {
                binding,
                origin,
                detail,
            } => NativePanicError::new_err(format!(
                "internal error in cognito-identity's native code: panic at {} (binding at \
                 {}:{}): {}; please report it",
                origin.as_deref().unwrap_or("an unknown place"),
                binding.file(),
                binding.line(),
                detail.unwrap_or("details withheld, as they may hold request data"),
            )),
        }
    }
}

/// Runs `work`, turning a panic inside it into `NativeError::Panic`.
///
/// Only a `&'static str` payload (the text of `panic!("...")` or `unwrap()` on None)
/// reaches the message: it is fixed text in the binary. A formatted payload can hold
/// the values being processed (passwords, tokens), so it is withheld.
#[track_caller]
pub fn guarded<T, E>(work: impl FnOnce() -> Result<T, E>) -> NativeResult<T>
where
    NativeError: From<E>,
{
    caught(Location::caller(), work)
}

/// [`guarded`] with the GIL released: for every call that does real work.
#[track_caller]
pub fn detached<T, E>(py: Python<'_>, work: impl Send + FnOnce() -> Result<T, E>) -> NativeResult<T>
where
    T: Send,
    NativeError: From<E>,
{
    let at = Location::caller();
    py.detach(|| caught(at, work))
}

fn caught<T, E>(
    at: &'static Location<'static>,
    work: impl FnOnce() -> Result<T, E>,
) -> NativeResult<T>
where
    NativeError: From<E>,
{
    // Unwind safety: the classes `work` borrows are frozen, and the one shared cache in
    // the crates (SigV4 signing keys) holds whole entries and recovers from poisoning.
    match panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(result) => result.map_err(NativeError::from),
        Err(payload) => Err(NativeError::Panic {
            binding: at,
            origin: PANIC_ORIGIN.with_borrow_mut(Option::take),
            detail: static_text(payload.as_ref()),
        }),
    }
}

thread_local! {
    /// Where this thread's last panic happened, as `file:line`, set by the panic hook.
    static PANIC_ORIGIN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the default panic hook, which prints the panic's message to stderr, with
/// one that only notes the panic's place for [`guarded`]. The hook is this module's
/// alone: each Rust extension module links its own copy of the standard library.
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let origin = info
            .location()
            .map(|at| format!("{}:{}", at.file(), at.line()));
        PANIC_ORIGIN.with_borrow_mut(|slot| *slot = origin);
    }));
}

fn static_text(payload: &(dyn Any + Send)) -> Option<&'static str> {
    payload.downcast_ref::<&'static str>().copied()
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
