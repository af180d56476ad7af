//! Python bindings for the `cognito-sigv4` crate: one `SigV4Signer` per client, each call
//! converting its arguments once and signing with the GIL released.

use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::PyDict;

use cognito_sigv4::{AmzDate, Client, Credentials, Error, Payload, RequestParts, Signer, Steps};

use std::convert::Infallible;

use crate::errors::{detached, guarded, NativeError};

fn to_py(error: Error) -> PyErr {
    NativeError::from(error).into()
}

/// `(name, value)` string pairs from a dict, any other mapping, or an iterable of pairs.
fn str_pairs(
    source: Option<&Bound<'_, PyAny>>,
    what: &'static str,
) -> PyResult<Vec<(PyBackedStr, PyBackedStr)>> {
    let Some(source) = source else {
        return Ok(Vec::new());
    };
    let not_str = || to_py(Error::InvalidInput(what));
    let mut pairs = Vec::new();
    if let Ok(dict) = source.cast::<PyDict>() {
        pairs.reserve(dict.len());
        for (name, value) in dict.iter() {
            pairs.push((
                name.extract().map_err(|_| not_str())?,
                value.extract().map_err(|_| not_str())?,
            ));
        }
        return Ok(pairs);
    }
    let items = if source.hasattr("items")? {
        source.call_method0("items")?
    } else {
        source.clone()
    };
    for item in items.try_iter().map_err(|_| not_str())? {
        pairs.push(item?.extract().map_err(|_| not_str())?);
    }
    Ok(pairs)
}

fn borrow_pairs(pairs: &[(PyBackedStr, PyBackedStr)]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(n, v)| (&**n, &**v)).collect()
}

fn amz_date(datetime: Option<&str>) -> PyResult<AmzDate> {
    Ok(guarded(|| {
        datetime.map_or_else(AmzDate::now, AmzDate::parse)
    })?)
}

fn headers_dict<'py, N: AsRef<str>>(
    py: Python<'py>,
    headers: &[(N, String)],
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in headers {
        dict.set_item(name.as_ref(), value)?;
    }
    Ok(dict)
}

/// The intermediate values of one signature (see the SigV4 documentation).
#[pyclass(frozen, module = "cognito_identity._native")]
pub struct SigningSteps {
    #[pyo3(get)]
    canonical_request: String,
    #[pyo3(get)]
    string_to_sign: String,
    #[pyo3(get)]
    credential_scope: String,
    #[pyo3(get)]
    signed_headers: String,
    #[pyo3(get)]
    signature: String,
}

impl From<Steps> for SigningSteps {
    fn from(steps: Steps) -> Self {
        Self {
            canonical_request: steps.canonical_request,
            string_to_sign: steps.string_to_sign,
            credential_scope: steps.credential_scope,
            signed_headers: steps.signed_headers,
            signature: steps.signature,
        }
    }
}

/// Signs requests for one set of credentials, region, service and endpoint.
#[pyclass(frozen, module = "cognito_identity._native")]
pub struct SigV4Signer {
    client: Client,
}

// The methods take Python's keyword arguments one by one.
#[allow(clippy::too_many_arguments)]
#[pymethods]
impl SigV4Signer {
    #[new]
    #[pyo3(signature = (
        access_key_id, secret_access_key, endpoint, region, service,
        session_token=None, default_content_type=None, default_accept_type=None,
    ))]
    fn new(
        access_key_id: &str,
        secret_access_key: &str,
        endpoint: &str,
        region: &str,
        service: &str,
        session_token: Option<&str>,
        default_content_type: Option<&str>,
        default_accept_type: Option<&str>,
    ) -> PyResult<Self> {
        let client = guarded(|| {
            let credentials = Credentials::new(access_key_id, secret_access_key, session_token)?;
            let signer = Signer::new(credentials, region, service)?;
            Client::new(signer, endpoint, default_content_type, default_accept_type)
        })?;
        Ok(Self { client })
    }

    /// Whether S3's signing rules apply.
    #[getter]
    fn is_s3(&self) -> bool {
        self.client.signer().is_s3()
    }

    /// Signs a request given by a plain path below the endpoint; returns the upper-cased
    /// method, the URL, every header to send and the signing steps.
    #[pyo3(signature = (method, path, query=None, headers=None, body=None, datetime=None, unsigned_payload=false))]
    fn sign<'py>(
        &self,
        py: Python<'py>,
        method: PyBackedStr,
        path: PyBackedStr,
        query: Option<&Bound<'py, PyAny>>,
        headers: Option<&Bound<'py, PyAny>>,
        body: Option<PyBackedBytes>,
        datetime: Option<PyBackedStr>,
        unsigned_payload: bool,
    ) -> PyResult<(String, String, Bound<'py, PyDict>, SigningSteps)> {
        let query = str_pairs(query, "query parameter names and values must be str")?;
        let headers = str_pairs(headers, "header names and values must be str")?;
        let date = amz_date(datetime.as_deref())?;
        let (query, headers) = (borrow_pairs(&query), borrow_pairs(&headers));
        let parts = RequestParts {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
            body: body.as_deref(),
        };
        let (outgoing, signed) =
            detached(py, || self.client.sign(&parts, &date, unsigned_payload))?;
        let headers = headers_dict(py, &outgoing.headers)?;
        Ok((outgoing.method, outgoing.url, headers, signed.steps.into()))
    }

    /// Builds a request that carries `authorization` verbatim and signs nothing; returns
    /// the upper-cased method, the URL and every header to send.
    #[pyo3(signature = (method, path, authorization, query=None, headers=None, body=None))]
    fn authorize<'py>(
        &self,
        py: Python<'py>,
        method: PyBackedStr,
        path: PyBackedStr,
        authorization: PyBackedStr,
        query: Option<&Bound<'py, PyAny>>,
        headers: Option<&Bound<'py, PyAny>>,
        body: Option<PyBackedBytes>,
    ) -> PyResult<(String, String, Bound<'py, PyDict>)> {
        let query = str_pairs(query, "query parameter names and values must be str")?;
        let headers = str_pairs(headers, "header names and values must be str")?;
        let (query, headers) = (borrow_pairs(&query), borrow_pairs(&headers));
        let parts = RequestParts {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
            body: body.as_deref(),
        };
        let outgoing = guarded(|| self.client.authorize(&parts, &authorization))?;
        let headers = headers_dict(py, &outgoing.headers)?;
        Ok((outgoing.method, outgoing.url, headers))
    }

    /// Signs a request given by its full URL (an HTTP library's prepared request);
    /// returns the upper-cased method, the URL to send (canonical query), every header
    /// to send and the signing steps.
    #[pyo3(signature = (method, url, headers=None, body=None, datetime=None, unsigned_payload=false))]
    fn sign_url<'py>(
        &self,
        py: Python<'py>,
        method: PyBackedStr,
        url: PyBackedStr,
        headers: Option<&Bound<'py, PyAny>>,
        body: Option<PyBackedBytes>,
        datetime: Option<PyBackedStr>,
        unsigned_payload: bool,
    ) -> PyResult<(String, String, Bound<'py, PyDict>, SigningSteps)> {
        let headers = str_pairs(headers, "header names and values must be str")?;
        let date = amz_date(datetime.as_deref())?;
        let headers = borrow_pairs(&headers);
        let payload = if unsigned_payload {
            Payload::Unsigned
        } else {
            Payload::Bytes(body.as_deref().unwrap_or_default())
        };
        let signer = self.client.signer();
        let (outgoing, signed) = detached(py, || {
            signer.sign_url(&method, &url, &headers, payload, &date)
        })?;
        let headers = headers_dict(py, &outgoing.headers)?;
        Ok((outgoing.method, outgoing.url, headers, signed.steps.into()))
    }

    /// A presigned URL for a plain path below the endpoint and its signing steps.
    #[pyo3(signature = (method, path, query, headers, expires_in, datetime=None))]
    fn presign<'py>(
        &self,
        py: Python<'py>,
        method: PyBackedStr,
        path: PyBackedStr,
        query: Option<&Bound<'py, PyAny>>,
        headers: Option<&Bound<'py, PyAny>>,
        expires_in: &Bound<'py, PyAny>,
        datetime: Option<PyBackedStr>,
    ) -> PyResult<(String, SigningSteps)> {
        let expires_in: u64 = expires_in
            .extract()
            .map_err(|_| to_py(Error::InvalidExpiry))?;
        let query = str_pairs(query, "query parameter names and values must be str")?;
        let headers = str_pairs(headers, "header names and values must be str")?;
        let date = amz_date(datetime.as_deref())?;
        let (query, headers) = (borrow_pairs(&query), borrow_pairs(&headers));
        let parts = RequestParts {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
            body: None,
        };
        let (url, presigned) = detached(py, || self.client.presign(&parts, &date, expires_in))?;
        Ok((url, presigned.steps.into()))
    }

    /// The hex signature of `string_to_sign` under the signing key of `datetime`'s day
    /// (how an S3 POST policy is signed).
    fn sign_string(
        &self,
        py: Python<'_>,
        string_to_sign: PyBackedStr,
        datetime: PyBackedStr,
    ) -> PyResult<String> {
        let date = amz_date(Some(&datetime))?;
        let signer = self.client.signer();
        Ok(detached(py, || {
            Ok::<_, Infallible>(signer.sign_string(&string_to_sign, &date))
        })?)
    }

    /// The S3 POST policy fields the signer contributes for `datetime`, in order.
    fn post_policy_fields(&self, datetime: &str) -> PyResult<Vec<(&'static str, String)>> {
        let date = amz_date(Some(datetime))?;
        Ok(guarded(|| {
            Ok::<_, Infallible>(self.client.signer().post_policy_fields(&date))
        })?)
    }

    /// The current time as `YYYYMMDDTHHMMSSZ`.
    #[staticmethod]
    fn now() -> PyResult<String> {
        Ok(amz_date(None)?.as_str().to_owned())
    }

    fn __repr__(&self) -> String {
        let signer = self.client.signer();
        format!(
            "SigV4Signer(access_key_id={:?}, origin={:?})",
            signer.credentials().access_key_id(),
            self.client.endpoint().origin
        )
    }
}

/// Adds this crate's functions and classes to the `_native` module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<SigV4Signer>()?;
    m.add_class::<SigningSteps>()?;
    Ok(())
}
