//! Requests as the SDK's users write them: a plain path under a client's endpoint,
//! query parameters and headers as text, default `Content-Type` and `Accept`, or an
//! already-built URL (what an HTTP library hands to an auth hook).

use std::borrow::Cow;

use crate::date::AmzDate;
use crate::error::Result;
use crate::headers;
use crate::path;
use crate::query::Query;
use crate::signer::{upper_method, Payload, Presigned, Request, Signed, Signer};
use crate::url::{Endpoint, HttpUrl};

/// A request described the way a caller thinks of it.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// The HTTP method, in any case.
    pub method: &'a str,
    /// The path below the endpoint's base path, as plain text (it is percent-encoded
    /// here; `%` itself is encoded too).
    pub path: &'a str,
    /// Query parameters as plain text, in order; names may repeat.
    pub query: &'a [(&'a str, &'a str)],
    /// Headers, in order; names may repeat.
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body bytes, if any.
    pub body: Option<&'a [u8]>,
}

/// A request ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing<'a> {
    /// The method, upper-cased.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Every header to send (`Host` only if the caller gave one: HTTP clients add it).
    pub headers: Vec<(Cow<'a, str>, String)>,
}

/// A signer bound to an endpoint, with the original SDK's default headers.
#[derive(Debug)]
pub struct Client {
    signer: Signer,
    endpoint: Endpoint,
    default_content_type: Option<String>,
    default_accept: Option<String>,
}

impl Client {
    /// Parses `endpoint` once. `default_content_type` is sent with a non-empty body that
    /// has no `Content-Type`, and `default_accept` with any request without `Accept`.
    pub fn new(
        signer: Signer,
        endpoint: &str,
        default_content_type: Option<&str>,
        default_accept: Option<&str>,
    ) -> Result<Self> {
        for (name, value) in [
            ("Content-Type", default_content_type),
            ("Accept", default_accept),
        ] {
            if let Some(value) = value {
                headers::check(name, value)?;
            }
        }
        Ok(Self {
            signer,
            endpoint: Endpoint::parse(endpoint)?,
            default_content_type: default_content_type.map(str::to_owned),
            default_accept: default_accept.map(str::to_owned),
        })
    }

    /// The signer.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// The parsed endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The URL form of `path` under the endpoint's base path.
    fn url_path(&self, path: &str) -> String {
        let base = &self.endpoint.base_path;
        let mut out = String::with_capacity(base.len() + path.len() + 8);
        out.push_str(base);
        if !path.is_empty() {
            path::encode_plain_path(&mut out, path);
        } else if out.is_empty() {
            out.push('/');
        }
        out
    }

    fn query(parts: &RequestParts<'_>) -> Query {
        let mut query = Query::new();
        for (name, value) in parts.query {
            query.push(name.as_bytes(), value.as_bytes());
        }
        query
    }

    fn url(&self, url_path: &str, query: &str) -> String {
        let separator = if query.is_empty() { "" } else { "?" };
        format!("{}{url_path}{separator}{query}", self.endpoint.origin)
    }

    /// The caller's headers plus the missing defaults.
    fn with_defaults<'a>(&'a self, parts: &RequestParts<'a>) -> Vec<(&'a str, &'a str)> {
        let has = |name: &str| {
            parts
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        let mut all = parts.headers.to_vec();
        let has_body = parts.body.is_some_and(|body| !body.is_empty());
        if let Some(content_type) = &self.default_content_type {
            if has_body && !has("content-type") {
                all.push(("Content-Type", content_type));
            }
        }
        if let Some(accept) = &self.default_accept {
            if !has("accept") {
                all.push(("Accept", accept));
            }
        }
        all
    }

    /// Signs a request at `date` (`unsigned_payload` signs `UNSIGNED-PAYLOAD` instead of
    /// the body's hash) and returns it with the signing steps.
    pub fn sign<'a>(
        &'a self,
        parts: &RequestParts<'a>,
        date: &AmzDate,
        unsigned_payload: bool,
    ) -> Result<(Outgoing<'a>, Signed)> {
        let headers = self.with_defaults(parts);
        let url_path = self.url_path(parts.path);
        let payload = if unsigned_payload {
            Payload::Unsigned
        } else {
            Payload::Bytes(parts.body.unwrap_or_default())
        };
        let request = Request {
            method: parts.method,
            authority: &self.endpoint.authority,
            path: &url_path,
            query: Self::query(parts),
            headers: &headers,
            payload,
        };
        let signed = self.signer.sign(request, date)?;
        let outgoing = Outgoing {
            method: parts.method.to_ascii_uppercase(),
            url: self.url(&url_path, &signed.query),
            headers: sending(&headers, &signed),
        };
        Ok((outgoing, signed))
    }

    /// Builds the request with a caller-supplied `Authorization` value (a Cognito JWT for
    /// an API Gateway or AppSync authorizer) and signs nothing.
    pub fn authorize<'a>(
        &'a self,
        parts: &RequestParts<'a>,
        authorization: &'a str,
    ) -> Result<Outgoing<'a>> {
        let method = upper_method(parts.method)?;
        headers::check("Authorization", authorization)?;
        let headers = self.with_defaults(parts);
        for (name, value) in &headers {
            headers::check(name, value)?;
        }
        let mut to_send: Vec<(Cow<'a, str>, String)> =
            headers::for_sending(&headers, &["authorization"])
                .into_iter()
                .map(|(name, value)| (Cow::Borrowed(name), value))
                .collect();
        to_send.push((Cow::Borrowed("Authorization"), authorization.to_owned()));
        let url_path = self.url_path(parts.path);
        Ok(Outgoing {
            method,
            url: self.url(&url_path, &Self::query(parts).canonical()),
            headers: to_send,
        })
    }

    /// A presigned URL for the request (its body, if any, is hashed for services other
    /// than S3), valid for `expires_in` seconds from `date`.
    pub fn presign(
        &self,
        parts: &RequestParts<'_>,
        date: &AmzDate,
        expires_in: u64,
    ) -> Result<(String, Presigned)> {
        let url_path = self.url_path(parts.path);
        let request = Request {
            method: parts.method,
            authority: &self.endpoint.authority,
            path: &url_path,
            query: Self::query(parts),
            headers: parts.headers,
            payload: Payload::Bytes(parts.body.unwrap_or_default()),
        };
        let presigned = self.signer.presign(request, date, expires_in)?;
        Ok((self.url(&url_path, &presigned.query), presigned))
    }
}

impl Signer {
    /// Signs a request given by its full URL, as an HTTP library's auth hook sees it.
    ///
    /// The query string is parsed (`+` read as a space) and the returned URL carries it
    /// in canonical form, so that what is signed is exactly what is sent. The path is
    /// kept as written, except for S3, whose URL gets the strict encoding of the object
    /// key that S3 signs (`=` becomes `%3D`, say).
    pub fn sign_url<'a>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&'a str, &'a str)],
        payload: Payload<'_>,
        date: &AmzDate,
    ) -> Result<(Outgoing<'a>, Signed)> {
        let parsed = HttpUrl::parse(url)?;
        let url_path = match parsed.path {
            _ if self.is_s3() => path::canonical_uri(parsed.path, true)?,
            "" => "/".to_owned(),
            written => written.to_owned(),
        };
        let request = Request {
            method,
            authority: &parsed.authority,
            path: &url_path,
            query: Query::parse(parsed.query.unwrap_or_default())?,
            headers,
            payload,
        };
        let signed = self.sign(request, date)?;
        let separator = if signed.query.is_empty() { "" } else { "?" };
        let outgoing = Outgoing {
            method: method.to_ascii_uppercase(),
            url: format!("{}{url_path}{separator}{}", parsed.origin, signed.query),
            headers: sending(headers, &signed),
        };
        Ok((outgoing, signed))
    }
}

/// The caller's headers, trimmed and merged, then the ones the signer set.
fn sending<'a>(headers: &[(&'a str, &'a str)], signed: &Signed) -> Vec<(Cow<'a, str>, String)> {
    let replaced: Vec<&str> = signed.headers.iter().map(|(name, _)| *name).collect();
    let mut to_send: Vec<(Cow<'a, str>, String)> = headers::for_sending(headers, &replaced)
        .into_iter()
        .map(|(name, value)| (Cow::Borrowed(name), value))
        .collect();
    to_send.extend(
        signed
            .headers
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.clone())),
    );
    to_send
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signer::Credentials;

    fn client(endpoint: &str) -> Client {
        let credentials = Credentials::new("AKID", "secret", Some("token")).unwrap();
        let signer = Signer::new(credentials, "us-east-1", "execute-api").unwrap();
        Client::new(signer, endpoint, Some("application/json"), Some("*/*")).unwrap()
    }

    fn parts<'a>(
        path: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: Option<&'a [u8]>,
    ) -> RequestParts<'a> {
        RequestParts {
            method: "post",
            path,
            query: &[("b", "2 3"), ("a", "")],
            headers,
            body,
        }
    }

    fn names(outgoing: &Outgoing<'_>) -> Vec<String> {
        outgoing
            .headers
            .iter()
            .map(|(n, _)| n.to_string())
            .collect()
    }

    #[test]
    fn paths_join_the_base_path_and_defaults_fill_gaps() {
        let date = AmzDate::parse("20150830T123600Z").unwrap();
        let api = client("https://API.example.com:8443/dev/");
        let (outgoing, signed) = api
            .sign(&parts("x y", &[], Some(b"{}")), &date, false)
            .unwrap();
        assert_eq!(outgoing.method, "POST");
        assert_eq!(
            outgoing.url,
            "https://api.example.com:8443/dev/x%20y?a=&b=2%203"
        );
        assert_eq!(
            names(&outgoing),
            [
                "Content-Type",
                "Accept",
                "X-Amz-Date",
                "X-Amz-Security-Token",
                "Authorization"
            ]
        );
        assert!(signed
            .steps
            .canonical_request
            .contains("\nhost:api.example.com:8443\n"));

        let given = [
            ("content-type", "text/plain"),
            ("ACCEPT", "text/html"),
            ("authorization", "old"),
        ];
        let (outgoing, _) = api.sign(&parts("", &given, None), &date, false).unwrap();
        assert_eq!(outgoing.url, "https://api.example.com:8443/dev?a=&b=2%203");
        assert_eq!(
            names(&outgoing),
            [
                "content-type",
                "ACCEPT",
                "X-Amz-Date",
                "X-Amz-Security-Token",
                "Authorization"
            ]
        );
        let bare = client("https://api.example.com");
        let (outgoing, _) = bare.sign(&parts("", &[], Some(b"")), &date, false).unwrap();
        assert_eq!(outgoing.url, "https://api.example.com/?a=&b=2%203");
        assert_eq!(
            names(&outgoing),
            [
                "Accept",
                "X-Amz-Date",
                "X-Amz-Security-Token",
                "Authorization"
            ]
        );
    }

    #[test]
    fn a_given_authorization_is_sent_verbatim() {
        let api = client("https://api.example.com");
        let given = [("Authorization", "replaced"), ("X-A", " 1 ")];
        let outgoing = api
            .authorize(&parts("/p", &given, Some(b"{}")), "jwt.value.here")
            .unwrap();
        let headers: Vec<(String, String)> = outgoing
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        assert_eq!(
            headers,
            [
                ("X-A".to_owned(), "1".to_owned()),
                ("Content-Type".to_owned(), "application/json".to_owned()),
                ("Accept".to_owned(), "*/*".to_owned()),
                ("Authorization".to_owned(), "jwt.value.here".to_owned()),
            ]
        );
        assert!(api.authorize(&parts("/p", &[], None), "a\r\nb").is_err());
        assert!(api
            .authorize(&parts("/p", &[("bad name", "x")], None), "jwt")
            .is_err());
    }

    #[test]
    fn urls_signed_for_s3_carry_the_strict_key_encoding() {
        let credentials = Credentials::new("AKID", "secret", None).unwrap();
        let s3 = Signer::new(credentials, "us-east-1", "s3").unwrap();
        let date = AmzDate::parse("20150830T123600Z").unwrap();
        let (outgoing, _) = s3
            .sign_url(
                "PUT",
                "https://b.s3.amazonaws.com/a=b/c%2Fd?x=1+2#f",
                &[],
                Payload::Unsigned,
                &date,
            )
            .unwrap();
        assert_eq!(
            outgoing.url,
            "https://b.s3.amazonaws.com/a%3Db/c%2Fd?x=1%202"
        );
    }
}
