//! Python bindings for the `cognito-jwt` crate.
//!
//! Token work (base64url, JSON checks, RSA) runs with the GIL released. The signature
//! checks of `cognito_identity.jwt` return header and claims as JSON text for one
//! `json.loads`. The full verifier (`JwtVerifier`) instead parses and checks the claims
//! with the GIL released and then only builds the dict while holding it: that dict is
//! the one part of a verification that cannot leave the GIL, so it is kept short.

use std::time::{SystemTime, UNIX_EPOCH};

use cognito_jwt::{
    ClaimRules, Claims, Error, Json, JwkSet, Jws, RsaSigningKey, RsaVerifyingKey, TokenUse,
};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyList, PyString};
use pyo3::{intern, IntoPyObjectExt};

use std::convert::Infallible;

use crate::errors::{detached, guarded, NativeError, NativeResult};

/// The decoded header and claims JSON texts, in that order.
type JsonPair = (String, String);

fn into_json(jws: cognito_jwt::Result<Jws<'_>>) -> NativeResult<JsonPair> {
    Ok(jws?.into_json())
}

/// The UTF-8 text of `s`, or `error` when it cannot have one (lone surrogates).
fn utf8(s: &Bound<'_, PyString>, error: Error) -> PyResult<PyBackedStr> {
    PyBackedStr::try_from(s.clone()).map_err(|_| NativeError::from(error).into())
}

fn token_text(token: &Bound<'_, PyString>) -> PyResult<PyBackedStr> {
    utf8(token, Error::Malformed("token is not valid Unicode"))
}

fn jwk_text(jwk: &Bound<'_, PyString>) -> PyResult<PyBackedStr> {
    utf8(
        jwk,
        Error::InvalidJwk {
            index: None,
            why: "not valid Unicode",
        },
    )
}

/// Splits and decodes a token without verifying it: (header JSON, claims JSON).
#[pyfunction]
fn jwt_decode(py: Python<'_>, token: &Bound<'_, PyString>) -> PyResult<JsonPair> {
    let token = token_text(token)?;
    Ok(detached(py, || into_json(cognito_jwt::decode(&token)))?)
}

/// RSA public keys parsed once from a JWKS, looked up by `kid`.
#[pyclass(frozen, name = "JwtKeySet", module = "cognito_identity._native")]
struct PyJwtKeySet {
    set: JwkSet,
}

#[pymethods]
impl PyJwtKeySet {
    /// Parses a JWKS from its JSON text.
    #[staticmethod]
    fn from_json(py: Python<'_>, jwks: &Bound<'_, PyString>) -> PyResult<Self> {
        let jwks = jwk_text(jwks)?;
        let set = detached(py, || JwkSet::from_json(&jwks))?;
        Ok(PyJwtKeySet { set })
    }

    /// Verifies `token` with the key its `kid` names: (header JSON, claims JSON).
    fn verify(&self, py: Python<'_>, token: &Bound<'_, PyString>) -> PyResult<JsonPair> {
        let token = token_text(token)?;
        Ok(detached(py, || into_json(self.set.verify(&token)))?)
    }

    /// The keys' `kid`s in JWKS order (keys without one are left out).
    #[getter]
    fn kids(&self) -> Vec<String> {
        let keys = self.set.keys().iter();
        keys.filter_map(|k| k.kid().map(str::to_owned)).collect()
    }

    fn __len__(&self) -> usize {
        self.set.len()
    }
}

/// One RSA public key parsed once from a JWK.
#[pyclass(frozen, name = "JwtRsaKey", module = "cognito_identity._native")]
struct PyJwtRsaKey {
    key: RsaVerifyingKey,
}

#[pymethods]
impl PyJwtRsaKey {
    /// Parses a JWK from its JSON text.
    #[staticmethod]
    fn from_json(py: Python<'_>, jwk: &Bound<'_, PyString>) -> PyResult<Self> {
        let jwk = jwk_text(jwk)?;
        let key = detached(py, || RsaVerifyingKey::from_jwk_json(&jwk))?;
        Ok(PyJwtRsaKey { key })
    }

    /// Verifies `token` with this key: (header JSON, claims JSON).
    fn verify(&self, py: Python<'_>, token: &Bound<'_, PyString>) -> PyResult<JsonPair> {
        let token = token_text(token)?;
        Ok(detached(py, || into_json(self.key.verify(&token)))?)
    }

    #[getter]
    fn kid(&self) -> Option<&str> {
        self.key.kid()
    }

    #[getter]
    fn bits(&self) -> usize {
        self.key.bits()
    }
}

/// An RSA private key that signs RS256 tokens under a fixed `kid`.
#[pyclass(frozen, name = "JwtSigningKey", module = "cognito_identity._native")]
struct PyJwtSigningKey {
    key: RsaSigningKey,
}

#[pymethods]
impl PyJwtSigningKey {
    /// Generates an RSA-2048 key; a random Cognito-shaped `kid` when `kid` is None.
    #[staticmethod]
    #[pyo3(signature = (kid=None))]
    fn generate(py: Python<'_>, kid: Option<String>) -> PyResult<Self> {
        let key = detached(py, || RsaSigningKey::generate(kid))?;
        Ok(PyJwtSigningKey { key })
    }

    /// Imports an unencrypted PKCS#8 DER RSA private key.
    #[staticmethod]
    fn from_pkcs8_der(py: Python<'_>, der: PyBackedBytes, kid: String) -> PyResult<Self> {
        let key = detached(py, || RsaSigningKey::from_pkcs8_der(&der, kid))?;
        Ok(PyJwtSigningKey { key })
    }

    /// The private key as PKCS#8 DER.
    fn to_pkcs8_der<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let der = detached(py, || self.key.to_pkcs8_der())?;
        Ok(PyBytes::new(py, &der))
    }

    #[getter]
    fn kid(&self) -> &str {
        self.key.kid()
    }

    /// The public JWK members as (name, value) pairs.
    fn public_jwk(&self) -> NativeResult<Vec<(&'static str, String)>> {
        guarded(|| {
            let jwk = self.key.public_jwk();
            let members = jwk.members().map(|(k, v)| (k, v.to_owned()));
            Ok::<_, Infallible>(members.into_iter().collect())
        })
    }

    /// Signs the claims (JSON object text) with `alg`, `kid` and the members of
    /// `extra_header_json` (JSON object text) in the header.
    #[pyo3(signature = (claims_json, extra_header_json=None))]
    fn sign(
        &self,
        py: Python<'_>,
        claims_json: &Bound<'_, PyString>,
        extra_header_json: Option<&Bound<'_, PyString>>,
    ) -> PyResult<String> {
        let claims = utf8(claims_json, Error::Signing("claims are not valid Unicode"))?;
        let header = extra_header_json
            .map(|h| utf8(h, Error::Signing("header is not valid Unicode")))
            .transpose()?;
        let header = header.as_deref();
        Ok(detached(py, || self.key.sign_json(header, &claims))?)
    }
}

/// Verifies Cognito tokens: signature by `kid`, then the claim rules.
#[pyclass(frozen, name = "JwtVerifier", module = "cognito_identity._native")]
struct PyJwtVerifier {
    rules: ClaimRules,
}

#[pymethods]
impl PyJwtVerifier {
    #[new]
    #[pyo3(signature = (issuer, client_ids=None, token_use=None, leeway=0.0, groups=None))]
    fn new(
        issuer: String,
        client_ids: Option<Vec<String>>,
        token_use: Option<&str>,
        leeway: f64,
        groups: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let token_use = token_use
            .map(|t| {
                TokenUse::parse(t).ok_or_else(|| config_error("token_use must be 'id' or 'access'"))
            })
            .transpose()?;
        if !(leeway.is_finite() && leeway >= 0.0) {
            return Err(config_error(
                "leeway must be a finite number of seconds, not negative",
            ));
        }
        let rules = ClaimRules {
            issuer,
            client_ids,
            token_use,
            leeway,
            groups,
        };
        Ok(PyJwtVerifier { rules })
    }

    /// Verifies `token` with `keys` at `now` (seconds since the epoch; the system
    /// clock when None) and returns its claims as a dict.
    #[pyo3(signature = (keys, token, now=None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        keys: &PyJwtKeySet,
        token: &Bound<'py, PyAny>,
        now: Option<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let token = any_token_text(token)?;
        let now = now.unwrap_or_else(epoch_seconds);
        let claims = detached(py, || self.checked_claims(&keys.set, &token, now))?;
        claims_dict(py, &claims)
    }

    /// Verifies every token of `tokens` with the GIL released throughout, then returns
    /// a list holding, for each token in order, its claims dict or the error instance.
    #[pyo3(signature = (keys, tokens, now=None))]
    fn verify_many<'py>(
        &self,
        py: Python<'py>,
        keys: &PyJwtKeySet,
        tokens: Vec<Bound<'py, PyAny>>,
        now: Option<f64>,
    ) -> PyResult<Bound<'py, PyList>> {
        let texts: Vec<PyResult<PyBackedStr>> = tokens.iter().map(any_token_text).collect();
        let now = now.unwrap_or_else(epoch_seconds);
        // A token that is not readable text keeps its error; the others are verified.
        let outcomes: Vec<PyResult<NativeResult<ClaimsText>>> = detached(py, || {
            Ok::<_, Infallible>(
                texts
                    .into_iter()
                    .map(|t| t.map(|t| self.checked_claims(&keys.set, &t, now)))
                    .collect(),
            )
        })?;
        let results = PyList::empty(py);
        for outcome in outcomes {
            let item = match outcome {
                Ok(Ok(claims)) => claims_dict(py, &claims)?.into_any(),
                Ok(Err(e)) => PyErr::from(e).into_value(py).into_bound(py).into_any(),
                Err(e) => e.into_value(py).into_bound(py).into_any(),
            };
            results.append(item)?;
        }
        Ok(results)
    }
}

/// Checked claims and their JSON text (for the rare claims that need Python's parser).
struct ClaimsText {
    claims: Claims,
    text: String,
}

impl PyJwtVerifier {
    fn checked_claims(&self, keys: &JwkSet, token: &str, now: f64) -> NativeResult<ClaimsText> {
        let verified = self.rules.verify(keys, token, now)?;
        let (_, text) = verified.jws.into_json();
        Ok(ClaimsText {
            claims: verified.claims,
            text,
        })
    }
}

fn config_error(message: &str) -> PyErr {
    crate::errors::InvalidConfigurationError::new_err(message.to_owned())
}

fn epoch_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// A token that is not text is as malformed as one that is not a JWT.
fn any_token_text(token: &Bound<'_, PyAny>) -> PyResult<PyBackedStr> {
    match token.cast::<PyString>() {
        Ok(s) => token_text(s),
        Err(_) => Err(NativeError::from(Error::Malformed("token is not a string")).into()),
    }
}

/// The claims as a dict, built straight from the checked tree. Claims holding a
/// non-integer or huge number go through `json.loads` instead, so every number comes
/// out exactly as Python's own parser reads it.
fn claims_dict<'py>(py: Python<'py>, claims: &ClaimsText) -> PyResult<Bound<'py, PyDict>> {
    if claims.claims.has_float() {
        static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let loads = LOADS.import(py, "json", "loads")?;
        return Ok(loads
            .call1((claims.text.as_str(),))?
            .cast_into::<PyDict>()?);
    }
    object(py, claims.claims.members())
}

fn object<'py>(py: Python<'py>, members: &[(String, Json)]) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in members {
        dict.set_item(claim_name(py, name), value_object(py, value)?)?;
    }
    Ok(dict)
}

fn value_object<'py>(py: Python<'py>, value: &Json) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => b.into_bound_py_any(py)?,
        Json::Int(i) => i.into_bound_py_any(py)?,
        Json::UInt(u) => u.into_bound_py_any(py)?,
        Json::Float(f) => PyFloat::new(py, *f).into_any(),
        Json::Str(s) => claim_text(py, s).into_any(),
        Json::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_object(py, item)?)?;
            }
            list.into_any()
        }
        Json::Object(members) => object(py, members)?.into_any(),
    })
}

/// Claim names Cognito puts in every token come from interned strings whose hash is
/// already known, which makes the dict cheaper to build.
fn claim_name<'py>(py: Python<'py>, name: &str) -> Bound<'py, PyString> {
    let interned = match name {
        "sub" => intern!(py, "sub"),
        "iss" => intern!(py, "iss"),
        "aud" => intern!(py, "aud"),
        "exp" => intern!(py, "exp"),
        "iat" => intern!(py, "iat"),
        "nbf" => intern!(py, "nbf"),
        "jti" => intern!(py, "jti"),
        "auth_time" => intern!(py, "auth_time"),
        "token_use" => intern!(py, "token_use"),
        "client_id" => intern!(py, "client_id"),
        "username" => intern!(py, "username"),
        "scope" => intern!(py, "scope"),
        "version" => intern!(py, "version"),
        "event_id" => intern!(py, "event_id"),
        "origin_jti" => intern!(py, "origin_jti"),
        "device_key" => intern!(py, "device_key"),
        "email" => intern!(py, "email"),
        "email_verified" => intern!(py, "email_verified"),
        "phone_number" => intern!(py, "phone_number"),
        "phone_number_verified" => intern!(py, "phone_number_verified"),
        "cognito:username" => intern!(py, "cognito:username"),
        "cognito:groups" => intern!(py, "cognito:groups"),
        _ => return PyString::new(py, name),
    };
    interned.clone()
}

/// Values that recur in every token are shared too.
fn claim_text<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyString> {
    let interned = match text {
        "access" => intern!(py, "access"),
        "id" => intern!(py, "id"),
        "aws.cognito.signin.user.admin" => intern!(py, "aws.cognito.signin.user.admin"),
        _ => return PyString::new(py, text),
    };
    interned.clone()
}

/// Adds this crate's functions and classes to the `_native` module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(jwt_decode, m)?)?;
    m.add_class::<PyJwtVerifier>()?;
    m.add_class::<PyJwtKeySet>()?;
    m.add_class::<PyJwtRsaKey>()?;
    m.add_class::<PyJwtSigningKey>()?;
    Ok(())
}
