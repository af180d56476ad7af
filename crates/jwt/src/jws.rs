//! Compact JWS (RFC 7515 section 7.1) parsing: `header.claims.signature`, each part
//! unpadded base64url, the header and the claims JSON objects.

use serde_json::{Map, Value};

use crate::json::{self, NotAnObject};
use crate::{base64url, Error, Result};

/// Longest token accepted, in bytes. Cognito ID tokens grow with custom attributes but
/// stay far below this; the bound caps the work a hostile input can cause.
pub const MAX_TOKEN_LEN: usize = 256 * 1024;

/// A structurally valid compact JWS whose signature has NOT been checked.
#[derive(Debug, Clone)]
pub struct Jws<'t> {
    signing_input: &'t str,
    header: Map<String, Value>,
    header_json: String,
    claims_json: String,
    signature: Vec<u8>,
}

impl<'t> Jws<'t> {
    /// Splits and decodes `token`, checking that the header and the claims are JSON
    /// objects. Verifies nothing.
    pub fn parse(token: &'t str) -> Result<Self> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::Malformed("token is longer than 256 KiB"));
        }
        let mut parts = token.split('.');
        let (Some(header_b64), Some(claims_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::Malformed("token does not have exactly three parts"));
        };
        if header_b64.is_empty() || claims_b64.is_empty() || signature_b64.is_empty() {
            return Err(Error::Malformed("token has an empty part"));
        }

        let header_json = decode_text(header_b64, "header is not base64url-encoded UTF-8")?;
        let header = json::parse_object(&header_json).map_err(|e| match e {
            NotAnObject::Syntax => Error::Malformed("header is not JSON"),
            NotAnObject::WrongType => Error::Malformed("header is not a JSON object"),
        })?;
        let claims_json = decode_text(claims_b64, "claims are not base64url-encoded UTF-8")?;
        json::check_object(&claims_json).map_err(|e| match e {
            NotAnObject::Syntax => Error::Malformed("claims are not JSON"),
            NotAnObject::WrongType => Error::Malformed("claims are not a JSON object"),
        })?;
        let signature = base64url::decode(signature_b64.as_bytes())
            .ok_or(Error::Malformed("signature is not base64url"))?;

        Ok(Jws {
            signing_input: &token[..header_b64.len() + 1 + claims_b64.len()],
            header,
            header_json,
            claims_json,
            signature,
        })
    }

    /// The header as parsed.
    pub fn header(&self) -> &Map<String, Value> {
        &self.header
    }

    /// The header's JSON text as it was encoded in the token.
    pub fn header_json(&self) -> &str {
        &self.header_json
    }

    /// The claims' JSON text as it was encoded in the token (known to be an object).
    pub fn claims_json(&self) -> &str {
        &self.claims_json
    }

    /// The claims, parsed into a map.
    pub fn claims(&self) -> Result<Map<String, Value>> {
        // `parse` already checked them with the same strictness, so this cannot fail
        // in practice; the error path only keeps a panic out of the library.
        json::parse_object(&self.claims_json).map_err(|_| Error::Malformed("claims are not JSON"))
    }

    /// Both decoded JSON texts, header first, taken without copying.
    pub fn into_json(self) -> (String, String) {
        (self.header_json, self.claims_json)
    }

    /// The header's `alg`: `Err` when missing or not a string.
    pub fn alg(&self) -> Result<&str> {
        match self.header.get("alg") {
            Some(Value::String(alg)) => Ok(alg),
            Some(_) => Err(Error::Malformed("header alg is not a string")),
            None => Err(Error::Malformed("header has no alg")),
        }
    }

    /// The header's `kid`, if any: `Err` when present but not a string.
    pub fn kid(&self) -> Result<Option<&str>> {
        match self.header.get("kid") {
            Some(Value::String(kid)) => Ok(Some(kid)),
            Some(_) => Err(Error::Malformed("header kid is not a string")),
            None => Ok(None),
        }
    }

    /// The bytes the signature covers: the first two parts as sent, dot included.
    pub fn signing_input(&self) -> &[u8] {
        self.signing_input.as_bytes()
    }

    /// The decoded signature.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }
}

fn decode_text(part: &str, why: &'static str) -> Result<String> {
    let bytes = base64url::decode(part.as_bytes()).ok_or(Error::Malformed(why))?;
    String::from_utf8(bytes).map_err(|_| Error::Malformed(why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str) -> String {
        base64url::encode(text.as_bytes())
    }

    fn token(header: &str, claims: &str) -> String {
        format!("{}.{}.c2ln", b64(header), b64(claims))
    }

    #[test]
    fn parses_parts() {
        let t = token(r#"{"alg":"RS256","kid":"k1"}"#, r#"{"sub":"é","n":[1,2]}"#);
        let jws = Jws::parse(&t).unwrap();
        assert_eq!(jws.alg().unwrap(), "RS256");
        assert_eq!(jws.kid().unwrap(), Some("k1"));
        assert_eq!(jws.claims().unwrap()["sub"], "é");
        assert_eq!(jws.claims_json(), r#"{"sub":"é","n":[1,2]}"#);
        assert_eq!(jws.signature(), b"sig");
        assert_eq!(
            jws.signing_input(),
            t.rsplit_once('.').unwrap().0.as_bytes()
        );
    }

    #[test]
    fn refuses_wrong_shapes() {
        let h = b64(r#"{"alg":"RS256"}"#);
        let c = b64("{}");
        let cases = [
            (String::new(), "token does not have exactly three parts"),
            (
                format!("{h}.{c}"),
                "token does not have exactly three parts",
            ),
            (
                format!("{h}.{c}.c2ln.c2ln"),
                "token does not have exactly three parts",
            ),
            (format!("{h}.{c}."), "token has an empty part"),
            (format!(".{c}.c2ln"), "token has an empty part"),
            (format!("{h}.{c}.c2ln="), "signature is not base64url"),
            (
                format!("{h}=.{c}.c2ln"),
                "header is not base64url-encoded UTF-8",
            ),
            (
                format!("{h}.{c}+.c2ln"),
                "claims are not base64url-encoded UTF-8",
            ),
            (
                format!("{}.{c}.c2ln", base64url::encode(b"\xff{}")),
                "header is not base64url-encoded UTF-8",
            ),
            (format!("{}.{c}.c2ln", b64("{")), "header is not JSON"),
            (
                format!("{}.{c}.c2ln", b64("[]")),
                "header is not a JSON object",
            ),
            (format!("{h}.{}.c2ln", b64("nope")), "claims are not JSON"),
            (
                format!("{h}.{}.c2ln", b64("\"sub\"")),
                "claims are not a JSON object",
            ),
            (
                "a".repeat(MAX_TOKEN_LEN + 1),
                "token is longer than 256 KiB",
            ),
        ];
        for (t, why) in cases {
            assert_eq!(
                Jws::parse(&t).unwrap_err(),
                Error::Malformed(why),
                "{t:.60}"
            );
        }
    }

    #[test]
    fn alg_and_kid_must_be_strings() {
        let t = token(r#"{"alg":1,"kid":2}"#, "{}");
        let jws = Jws::parse(&t).unwrap();
        assert!(jws.alg().is_err());
        assert!(jws.kid().is_err());
        let t = token("{}", "{}");
        assert_eq!(Jws::parse(&t).unwrap().kid().unwrap(), None);
    }
}
