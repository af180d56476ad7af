//! The SigV4 algorithm: canonical request, string to sign, signature, and the two ways
//! of carrying it (an `Authorization` header, or the query string of a presigned URL).

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::date::AmzDate;
use crate::error::{Error, Result};
use crate::headers::{self, CanonicalHeaders, HeaderSet};
use crate::key::{self, Key, KeyCache};
use crate::path;
use crate::query::Query;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The longest lifetime AWS accepts for a presigned URL: seven days.
const MAX_EXPIRES: u64 = 604_800;
/// Query parameters that carry a presigned URL's signature.
const PRESIGN_PARAMETERS: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];
/// Services signed with S3's rules (no path normalisation or double encoding,
/// `x-amz-content-sha256` always sent).
const S3_SERVICES: [&str; 3] = ["s3", "s3-object-lambda", "s3-outposts"];

/// AWS credentials. The secret is kept only as the `"AWS4" + secret` key bytes and the
/// session token in a buffer that is zeroed on drop; `Debug` shows neither.
pub struct Credentials {
    access_key_id: String,
    k_secret: Zeroizing<Vec<u8>>,
    session_token: Option<Zeroizing<String>>,
}

impl Credentials {
    /// Checks and stores a key pair and optional session token.
    pub fn new(
        access_key_id: &str,
        secret_access_key: &str,
        session_token: Option<&str>,
    ) -> Result<Self> {
        let id_is_valid = !access_key_id.is_empty()
            && access_key_id
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b','));
        if !id_is_valid {
            return Err(Error::InvalidInput(
                "the access key id must be non-empty printable ASCII without '/' or ','",
            ));
        }
        if secret_access_key.is_empty() {
            return Err(Error::InvalidInput(
                "the secret access key must not be empty",
            ));
        }
        if let Some(token) = session_token {
            let valid = !token.is_empty() && headers::check("X-Amz-Security-Token", token).is_ok();
            if !valid {
                return Err(Error::InvalidInput(
                    "the session token must be non-empty and free of control characters",
                ));
            }
        }
        let mut k_secret = Zeroizing::new(Vec::with_capacity(4 + secret_access_key.len()));
        k_secret.extend_from_slice(b"AWS4");
        k_secret.extend_from_slice(secret_access_key.as_bytes());
        Ok(Self {
            access_key_id: access_key_id.to_owned(),
            k_secret,
            session_token: session_token.map(|t| Zeroizing::new(t.to_owned())),
        })
    }

    /// The access key id (not a secret: it appears in every signature).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// What the payload hash is computed from.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// The body bytes (empty for no body).
    Bytes(&'a [u8]),
    /// `UNSIGNED-PAYLOAD`: the body is not covered by the signature (S3 over HTTPS).
    Unsigned,
}

/// One HTTP request as it will be sent.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The HTTP method (any case; signed upper-cased).
    pub method: &'a str,
    /// The `Host` value used when `headers` has no `Host` header.
    pub authority: &'a str,
    /// The path in URL form (percent-encoded as it travels).
    pub path: &'a str,
    /// The query parameters.
    pub query: Query,
    /// The headers to send, in order; names may repeat.
    pub headers: &'a [(&'a str, &'a str)],
    /// The payload to hash.
    pub payload: Payload<'a>,
}

/// The intermediate values of a signature, as the SigV4 documentation names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Steps {
    /// The canonical request.
    pub canonical_request: String,
    /// `AWS4-HMAC-SHA256`, the timestamp, the scope and the canonical request's hash.
    pub string_to_sign: String,
    /// `YYYYMMDD/region/service/aws4_request`.
    pub credential_scope: String,
    /// The signed header names joined with `;`.
    pub signed_headers: String,
    /// The hex HMAC-SHA256 of the string to sign under the signing key.
    pub signature: String,
}

/// A request signed with an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// How the signature was computed.
    pub steps: Steps,
    /// The canonical query string, which is also the query string to send.
    pub query: String,
    /// The headers the signer sets, `Authorization` last.
    pub headers: Vec<(&'static str, String)>,
}

/// A request signed in its query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presigned {
    /// How the signature was computed.
    pub steps: Steps,
    /// The complete query string to send, ending with `X-Amz-Signature`.
    pub query: String,
}

/// Signs requests for one set of credentials, one region and one service.
pub struct Signer {
    credentials: Credentials,
    region: String,
    service: String,
    s3: bool,
    keys: KeyCache,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

fn check_scope_part(value: &str, what: &'static str) -> Result<()> {
    let valid = !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic() && b != b'/');
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidInput(what))
    }
}

/// `method` upper-cased, if it is an RFC 9110 token.
pub(crate) fn upper_method(method: &str) -> Result<String> {
    let valid = !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if valid {
        Ok(method.to_ascii_uppercase())
    } else {
        Err(Error::InvalidMethod)
    }
}

/// Lower-case hex of a 32-byte digest (hex::encode goes char by char: three of these
/// per signature made it show in profiles).
fn hex32(digest: &[u8; 32]) -> String {
    let mut text = [0u8; 64];
    // Cannot fail: the output is exactly twice the input's length.
    let _ = hex::encode_to_slice(digest, &mut text);
    String::from_utf8_lossy(&text).into_owned()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex32(&Sha256::digest(bytes).into())
}

impl Signer {
    /// A signer for `service` in `region` (both non-empty printable ASCII without `/`).
    pub fn new(credentials: Credentials, region: &str, service: &str) -> Result<Self> {
        check_scope_part(
            region,
            "the region must be non-empty printable ASCII without '/'",
        )?;
        check_scope_part(
            service,
            "the service must be non-empty printable ASCII without '/'",
        )?;
        Ok(Self {
            credentials,
            region: region.to_owned(),
            service: service.to_owned(),
            s3: S3_SERVICES.contains(&service),
            keys: KeyCache::default(),
        })
    }

    /// The credentials this signer uses.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Whether S3's signing rules apply to this signer's service.
    pub fn is_s3(&self) -> bool {
        self.s3
    }

    /// `YYYYMMDD/region/service/aws4_request` for the date of `date`.
    pub fn credential_scope(&self, date: &AmzDate) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            date.date(),
            self.region,
            self.service
        )
    }

    fn signing_key(&self, date: &AmzDate) -> Key {
        self.keys.get_or_derive(date.date(), || {
            key::derive(
                &self.credentials.k_secret,
                date.date(),
                &self.region,
                &self.service,
            )
        })
    }

    /// The hex signature of an arbitrary string under the signing key of `date`'s day;
    /// an S3 POST policy is signed this way (its string to sign is the base64 policy).
    pub fn sign_string(&self, string_to_sign: &str, date: &AmzDate) -> String {
        hex32(&key::hmac_sha256(
            &*self.signing_key(date),
            string_to_sign.as_bytes(),
        ))
    }

    /// The fields an S3 POST policy lists as conditions and the form carries, besides
    /// `policy` and `x-amz-signature`: algorithm, credential, date and, with temporary
    /// credentials, the session token.
    pub fn post_policy_fields(&self, date: &AmzDate) -> Vec<(&'static str, String)> {
        let credential = format!(
            "{}/{}",
            self.credentials.access_key_id,
            self.credential_scope(date)
        );
        let mut fields = vec![
            ("x-amz-algorithm", ALGORITHM.to_owned()),
            ("x-amz-credential", credential),
            ("x-amz-date", date.as_str().to_owned()),
        ];
        if let Some(token) = &self.credentials.session_token {
            fields.push(("x-amz-security-token", token.as_str().to_owned()));
        }
        fields
    }

    /// Computes the canonical request from its parts, then the string to sign and the
    /// signature.
    fn steps(
        &self,
        method: &str,
        canonical_uri: &str,
        canonical_query: &str,
        canonical_headers: CanonicalHeaders,
        payload_hash: &str,
        date: &AmzDate,
    ) -> Steps {
        let canonical_request = [
            method,
            canonical_uri,
            canonical_query,
            &canonical_headers.block,
            &canonical_headers.signed,
            payload_hash,
        ]
        .join("\n");
        let credential_scope = self.credential_scope(date);
        let string_to_sign = format!(
            "{ALGORITHM}\n{}\n{credential_scope}\n{}",
            date.as_str(),
            sha256_hex(canonical_request.as_bytes())
        );
        let signature = self.sign_string(&string_to_sign, date);
        Steps {
            canonical_request,
            string_to_sign,
            credential_scope,
            signed_headers: canonical_headers.signed,
            signature,
        }
    }

    /// Signs `request` at `date` for an `Authorization` header.
    ///
    /// The signer sets `X-Amz-Date`, `X-Amz-Security-Token` (signed) when there is a
    /// session token, `X-Amz-Content-SHA256` for S3 or an unsigned payload, and
    /// `Authorization`, replacing any of those in `request.headers`. A
    /// `x-amz-content-sha256` header given by the caller is taken as the payload hash.
    pub fn sign(&self, mut request: Request<'_>, date: &AmzDate) -> Result<Signed> {
        let method = upper_method(request.method)?;
        let given_hash = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("x-amz-content-sha256"))
            .map(|&(_, value)| headers::trim(value));
        let (payload_hash, send_hash) = match (given_hash, request.payload) {
            (Some(hash), _) => (hash.to_owned(), false),
            (None, Payload::Unsigned) => (UNSIGNED_PAYLOAD.to_owned(), true),
            (None, Payload::Bytes(body)) => (sha256_hex(body), self.s3),
        };
        let token = self
            .credentials
            .session_token
            .as_deref()
            .map(String::as_str);
        let mut replaced = vec!["x-amz-date"];
        replaced.extend(token.map(|_| "x-amz-security-token"));
        replaced.extend(send_hash.then_some("x-amz-content-sha256"));

        let mut set = HeaderSet::from_request(request.headers, &replaced)?;
        if set.get("host").is_none() {
            headers::check("Host", request.authority)?;
            set.add("host", request.authority);
        }
        set.add("x-amz-date", date.as_str());
        if let Some(token) = token {
            set.add("x-amz-security-token", token);
        }
        if send_hash {
            set.add("x-amz-content-sha256", &payload_hash);
        }
        let query = request.query.canonical();
        let uri = path::canonical_uri(request.path, self.s3)?;
        let steps = self.steps(&method, &uri, &query, set.canonical(), &payload_hash, date);

        let authorization = format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={}",
            self.credentials.access_key_id,
            steps.credential_scope,
            steps.signed_headers,
            steps.signature
        );
        let mut headers = vec![("X-Amz-Date", date.as_str().to_owned())];
        headers.extend(token.map(|t| ("X-Amz-Security-Token", t.to_owned())));
        if send_hash {
            headers.push(("X-Amz-Content-SHA256", payload_hash));
        }
        headers.push(("Authorization", authorization));
        Ok(Signed {
            steps,
            query,
            headers,
        })
    }

    /// Signs `request` at `date` in its query string, valid for `expires_in` seconds
    /// (1 to 604800). The session token travels, signed, as `X-Amz-Security-Token`. S3
    /// requests use `UNSIGNED-PAYLOAD`; others hash `request.payload`.
    pub fn presign(
        &self,
        mut request: Request<'_>,
        date: &AmzDate,
        expires_in: u64,
    ) -> Result<Presigned> {
        let method = upper_method(request.method)?;
        if !(1..=MAX_EXPIRES).contains(&expires_in) {
            return Err(Error::InvalidExpiry);
        }
        if let Some(name) = PRESIGN_PARAMETERS
            .iter()
            .find(|name| request.query.contains(name))
        {
            return Err(Error::ReservedQueryParameter((*name).to_owned()));
        }
        let mut set = HeaderSet::from_request(request.headers, &[])?;
        if set.get("host").is_none() {
            headers::check("Host", request.authority)?;
            set.add("host", request.authority);
        }
        // The signed header names are part of the query, so they come first.
        let canonical_headers = set.canonical();
        let credential = format!(
            "{}/{}",
            self.credentials.access_key_id,
            self.credential_scope(date)
        );
        let query = &mut request.query;
        query.push(b"X-Amz-Algorithm", ALGORITHM.as_bytes());
        query.push(b"X-Amz-Credential", credential.as_bytes());
        query.push(b"X-Amz-Date", date.as_str().as_bytes());
        query.push(b"X-Amz-Expires", expires_in.to_string().as_bytes());
        query.push(b"X-Amz-SignedHeaders", canonical_headers.signed.as_bytes());
        if let Some(token) = &self.credentials.session_token {
            query.push(b"X-Amz-Security-Token", token.as_bytes());
        }
        let payload_hash = match request.payload {
            _ if self.s3 => UNSIGNED_PAYLOAD.to_owned(),
            Payload::Unsigned => UNSIGNED_PAYLOAD.to_owned(),
            Payload::Bytes(body) => sha256_hex(body),
        };
        let canonical_query = request.query.canonical();
        let uri = path::canonical_uri(request.path, self.s3)?;
        let steps = self.steps(
            &method,
            &uri,
            &canonical_query,
            canonical_headers,
            &payload_hash,
            date,
        );
        let query = format!("{canonical_query}&X-Amz-Signature={}", steps.signature);
        Ok(Presigned { steps, query })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(token: Option<&str>) -> Signer {
        let credentials = Credentials::new("AKID", "very-secret", token).unwrap();
        Signer::new(credentials, "us-east-1", "service").unwrap()
    }

    fn request(query: Query) -> Request<'static> {
        Request {
            method: "get",
            authority: "example.com",
            path: "/",
            query,
            headers: &[],
            payload: Payload::Bytes(b""),
        }
    }

    #[test]
    fn debug_output_hides_the_secret_and_the_token() {
        let text = format!("{:?}", signer(Some("token-value")));
        assert!(text.contains("AKID"));
        assert!(!text.contains("very-secret"));
        assert!(!text.contains("token-value"));
    }

    #[test]
    fn credentials_and_scope_are_checked() {
        assert!(Credentials::new("", "s", None).is_err());
        assert!(Credentials::new("A/B", "s", None).is_err());
        assert!(Credentials::new("A", "", None).is_err());
        assert!(Credentials::new("A", "s", Some("")).is_err());
        assert!(Credentials::new("A", "s", Some("t\nX: y")).is_err());
        let credentials = || Credentials::new("A", "s", None).unwrap();
        assert!(Signer::new(credentials(), "", "s3").is_err());
        assert!(Signer::new(credentials(), "us-east-1", "a/b").is_err());
        assert!(Signer::new(credentials(), "us-east-1", "s3")
            .unwrap()
            .is_s3());
        assert!(!Signer::new(credentials(), "us-east-1", "S3")
            .unwrap()
            .is_s3());
    }

    #[test]
    fn presigning_checks_the_expiry_and_reserved_parameters() {
        let date = AmzDate::parse("20150830T123600Z").unwrap();
        let signer = signer(Some("tok"));
        for bad in [0, MAX_EXPIRES + 1] {
            let result = signer.presign(request(Query::new()), &date, bad);
            assert_eq!(result.unwrap_err(), Error::InvalidExpiry);
        }
        let mut query = Query::new();
        query.push(b"X-Amz-Security-Token", b"x");
        let result = signer.presign(request(query), &date, 60);
        assert!(
            matches!(result, Err(Error::ReservedQueryParameter(name)) if name == "X-Amz-Security-Token")
        );
        let presigned = signer
            .presign(request(Query::new()), &date, MAX_EXPIRES)
            .unwrap();
        assert!(presigned.query.contains("&X-Amz-Security-Token=tok&"));
        assert!(presigned
            .query
            .ends_with(&format!("&X-Amz-Signature={}", presigned.steps.signature)));
        assert!(presigned
            .steps
            .canonical_request
            .starts_with("GET\n/\nX-Amz-Algorithm="));
    }

    #[test]
    fn an_authority_with_control_characters_is_refused() {
        // Found by fuzzing: a CR or LF in the authority went into the canonical request
        // as its own line.
        let date = AmzDate::parse("20150830T123600Z").unwrap();
        for authority in ["example.com\r\nx-amz-target:x", "a\0b"] {
            let mut request = request(Query::new());
            request.authority = authority;
            let refused = Some(Error::InvalidHeaderValue("Host".to_owned()));
            assert_eq!(signer(None).sign(request.clone(), &date).err(), refused);
            assert_eq!(signer(None).presign(request, &date, 60).err(), refused);
        }
    }

    #[test]
    fn a_given_payload_hash_header_is_used_as_is() {
        let date = AmzDate::parse("20150830T123600Z").unwrap();
        let headers = [("X-Amz-Content-SHA256", " UNSIGNED-PAYLOAD ")];
        let mut request = request(Query::new());
        request.headers = &headers;
        let signed = signer(None).sign(request, &date).unwrap();
        assert!(signed
            .steps
            .canonical_request
            .ends_with("\nUNSIGNED-PAYLOAD"));
        assert!(signed
            .steps
            .canonical_request
            .contains("\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"));
    }
}
