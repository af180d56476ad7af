//! Python bindings for the `cognito-jwt` crate.
//!
//! Token work (base64url, JSON checks, RSA) runs with the GIL released. Header and
//! claims come back as their JSON text: one `json.loads` in `cognito_identity.jwt`
//! builds the dicts as fast as converting in Rust, and exactly as Python would (big
//! integers, float rounding).

use cognito_jwt::{Error, JwkSet, Jws, RsaSigningKey, RsaVerifyingKey};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBytes, PyString};

use crate::errors::{NativeError, NativeResult};

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
    Ok(py.detach(|| into_json(cognito_jwt::decode(&token)))?)
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
        let set = py.detach(|| JwkSet::from_json(&jwks).map_err(NativeError::from))?;
        Ok(PyJwtKeySet { set })
    }

    /// Verifies `token` with the key its `kid` names: (header JSON, claims JSON).
    fn verify(&self, py: Python<'_>, token: &Bound<'_, PyString>) -> PyResult<JsonPair> {
        let token = token_text(token)?;
        Ok(py.detach(|| into_json(self.set.verify(&token)))?)
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
        let key = py.detach(|| RsaVerifyingKey::from_jwk_json(&jwk).map_err(NativeError::from))?;
        Ok(PyJwtRsaKey { key })
    }

    /// Verifies `token` with this key: (header JSON, claims JSON).
    fn verify(&self, py: Python<'_>, token: &Bound<'_, PyString>) -> PyResult<JsonPair> {
        let token = token_text(token)?;
        Ok(py.detach(|| into_json(self.key.verify(&token)))?)
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
        let key = py.detach(|| RsaSigningKey::generate(kid).map_err(NativeError::from))?;
        Ok(PyJwtSigningKey { key })
    }

    /// Imports an unencrypted PKCS#8 DER RSA private key.
    #[staticmethod]
    fn from_pkcs8_der(py: Python<'_>, der: PyBackedBytes, kid: String) -> PyResult<Self> {
        let key =
            py.detach(|| RsaSigningKey::from_pkcs8_der(&der, kid).map_err(NativeError::from))?;
        Ok(PyJwtSigningKey { key })
    }

    /// The private key as PKCS#8 DER.
    fn to_pkcs8_der<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let der = py.detach(|| self.key.to_pkcs8_der().map_err(NativeError::from))?;
        Ok(PyBytes::new(py, &der))
    }

    #[getter]
    fn kid(&self) -> &str {
        self.key.kid()
    }

    /// The public JWK members as (name, value) pairs.
    fn public_jwk(&self) -> Vec<(&'static str, String)> {
        let jwk = self.key.public_jwk();
        jwk.members()
            .iter()
            .map(|&(k, v)| (k, v.to_owned()))
            .collect()
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
        Ok(py.detach(|| {
            self.key
                .sign_json(header, &claims)
                .map_err(NativeError::from)
        })?)
    }
}

/// Adds this crate's functions and classes to the `_native` module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(jwt_decode, m)?)?;
    m.add_class::<PyJwtKeySet>()?;
    m.add_class::<PyJwtRsaKey>()?;
    m.add_class::<PyJwtSigningKey>()?;
    Ok(())
}
