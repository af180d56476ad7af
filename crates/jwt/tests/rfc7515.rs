//! RFC 7515 appendix A.2: an RS256 JWS and its RSA-2048 public key, published by the
//! IETF and produced by software other than ours.

use cognito_jwt::{Error, JwkSet, RsaVerifyingKey};

const N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

fn key() -> RsaVerifyingKey {
    RsaVerifyingKey::from_jwk_json(&format!(r#"{{"kty":"RSA","n":"{N}","e":"AQAB"}}"#)).unwrap()
}

#[test]
fn verifies_the_rfc_token() {
    let jws = key().verify(TOKEN).unwrap();
    assert_eq!(jws.header_json(), r#"{"alg":"RS256"}"#);
    assert_eq!(
        jws.claims_json(),
        "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
    );
    let claims = jws.claims().unwrap();
    assert_eq!(claims["exp"], 1_300_819_380);
    assert_eq!(claims["http://example.com/is_root"], true);
    assert_eq!(key().bits(), 2048);
}

#[test]
fn a_single_key_set_verifies_a_token_without_kid() {
    let jwks = format!(r#"{{"keys":[{{"kty":"RSA","n":"{N}","e":"AQAB","kid":"only"}}]}}"#);
    let set = JwkSet::from_json(&jwks).unwrap();
    assert!(set.verify(TOKEN).is_ok());
}

#[test]
fn any_changed_character_is_refused() {
    let key = key();
    let dot = TOKEN.rfind('.').unwrap();
    // Every position of the signed part and of the signature (except the signature's
    // last character, whose low bits are padding), with a different alphabet symbol.
    for i in (0..TOKEN.len() - 1).filter(|&i| TOKEN.as_bytes()[i] != b'.') {
        let mut bytes = TOKEN.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        let err = key.verify(&tampered).unwrap_err();
        if i > dot {
            assert_eq!(err, Error::InvalidSignature, "signature position {i}");
        } else {
            // A change in the signed part breaks its base64, its JSON, its alg, or the
            // signature.
            assert!(
                matches!(
                    err,
                    Error::InvalidSignature | Error::Malformed(_) | Error::UnsupportedAlgorithm(_)
                ),
                "position {i}: {err:?}"
            );
        }
    }
}
