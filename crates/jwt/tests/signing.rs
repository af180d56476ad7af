//! Signing round trips, PKCS#8 import and export, and every refusal of verification.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cognito_jwt::{decode, Error, JwkSet, RsaSigningKey, RsaVerifyingKey};
use serde_json::{json, Map, Value};

/// Each key is generated once per test binary.
fn key(which: usize) -> &'static RsaSigningKey {
    static KEYS: [OnceLock<RsaSigningKey>; 2] = [OnceLock::new(), OnceLock::new()];
    KEYS[which].get_or_init(|| RsaSigningKey::generate(Some(format!("key-{which}"))).unwrap())
}

fn jwk_json(key: &RsaSigningKey) -> Value {
    let jwk = key.public_jwk();
    Value::Object(
        jwk.members()
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.into()))
            .collect(),
    )
}

fn jwks_json() -> String {
    json!({"keys": [jwk_json(key(0)), jwk_json(key(1))]}).to_string()
}

fn sign(key: &RsaSigningKey, claims: &Value) -> String {
    key.sign(&Map::new(), &claims.to_string()).unwrap()
}

fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

/// Replaces one part (0 header, 1 claims, 2 signature) of a token.
fn with_part(token: &str, index: usize, part: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[index] = part;
    parts.join(".")
}

#[test]
fn signed_tokens_verify_with_the_published_key_set() {
    let set = JwkSet::from_json(&jwks_json()).unwrap();
    assert_eq!(set.len(), 2);
    for which in 0..2 {
        let claims = json!({"sub": "ü-42", "n": [1, 2.5, null, true], "o": {"deep": {}}});
        let token = sign(key(which), &claims);
        let jws = set.verify(&token).unwrap();
        assert_eq!(Value::Object(jws.claims().unwrap()), claims);
        assert_eq!(jws.kid().unwrap(), Some(key(which).kid()));
        assert_eq!(jws.alg().unwrap(), "RS256");
    }
}

#[test]
fn the_public_jwk_has_the_published_members() {
    let jwk = jwk_json(key(0));
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["e"], "AQAB");
    assert_eq!(jwk["kid"], "key-0");
    let key = RsaVerifyingKey::from_jwk(jwk.as_object().unwrap()).unwrap();
    assert_eq!(key.bits(), 2048);
}

#[test]
fn pkcs8_round_trip_signs_identically() {
    // RSASSA-PKCS1-v1_5 is deterministic: the same key signs the same bytes the same way.
    let original = key(0);
    let der = original.to_pkcs8_der().unwrap();
    let imported = RsaSigningKey::from_pkcs8_der(&der, "key-0".into()).unwrap();
    let claims = json!({"sub": "x"});
    assert_eq!(sign(original, &claims), sign(&imported, &claims));
    assert_eq!(imported.to_pkcs8_der().unwrap(), der);
}

#[test]
fn generated_kids_are_random_base64_of_32_bytes() {
    let a = RsaSigningKey::generate(None).unwrap();
    assert_eq!(a.kid().len(), 44);
    assert!(a.kid().ends_with('='));
    assert_ne!(a.kid(), key(0).kid());
    assert_eq!(
        format!("{a:?}"),
        format!("RsaSigningKey {{ kid: {:?}, .. }}", a.kid())
    );
}

#[test]
fn extra_header_members_are_signed() {
    let mut extra = Map::new();
    extra.insert("typ".into(), "JWT".into());
    extra.insert("alg".into(), "RS256".into());
    let token = key(0).sign(&extra, "{}").unwrap();
    let jws = key(0).verifying_key().unwrap().verify(&token).unwrap();
    assert_eq!(jws.header()["typ"], "JWT");
    assert_eq!(jws.header()["kid"], "key-0");
}

#[test]
fn signing_refuses_conflicting_headers_and_non_object_claims() {
    let conflicts = [("alg", "none"), ("kid", "other")];
    for (name, value) in conflicts {
        let mut extra = Map::new();
        extra.insert(name.into(), value.into());
        assert!(
            matches!(key(0).sign(&extra, "{}"), Err(Error::Signing(_))),
            "{name}"
        );
    }
    for claims in ["[]", "1", "{", ""] {
        assert!(matches!(
            key(0).sign(&Map::new(), claims),
            Err(Error::Signing(_))
        ));
    }
}

#[test]
fn bad_pkcs8_is_refused() {
    let der = key(0).to_pkcs8_der().unwrap();
    for bad in [&der[..der.len() - 1], &der[1..], b"", b"\x30\x00"] {
        assert!(matches!(
            RsaSigningKey::from_pkcs8_der(bad, "k".into()),
            Err(Error::InvalidSigningKey(_))
        ));
    }
}

#[test]
fn tampered_tokens_are_refused() {
    let set = JwkSet::from_json(&jwks_json()).unwrap();
    let token = sign(key(0), &json!({"sub": "alice", "admin": false}));
    let parts: Vec<&str> = token.split('.').collect();

    let header = b64(r#"{"alg":"RS256","kid":"key-0","x":1}"#);
    let claims = b64(r#"{"sub":"alice","admin":true}"#);
    let mut signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    signature[100] ^= 1;
    let forged_by_other_key = with_part(&sign(key(1), &json!({"sub": "alice"})), 0, parts[0]);
    for tampered in [
        with_part(&token, 0, &header),
        with_part(&token, 1, &claims),
        with_part(&token, 2, &URL_SAFE_NO_PAD.encode(&signature)),
        with_part(&token, 2, &URL_SAFE_NO_PAD.encode(&signature[1..])),
        forged_by_other_key,
    ] {
        assert_eq!(set.verify(&tampered).unwrap_err(), Error::InvalidSignature);
        assert!(
            decode(&tampered).is_ok(),
            "still decodes without verification"
        );
    }
}

#[test]
fn other_algorithms_are_refused_before_any_key_is_used() {
    let set = JwkSet::from_json(&jwks_json()).unwrap();
    let claims = b64(r#"{"sub":"alice"}"#);
    for (header, alg) in [
        (r#"{"alg":"none"}"#, "\"none\""),
        (r#"{"alg":"HS256","kid":"key-0"}"#, "\"HS256\""),
        (r#"{"alg":"RS512","kid":"key-0"}"#, "\"RS512\""),
        (r#"{"alg":"rs256","kid":"key-0"}"#, "\"rs256\""),
    ] {
        let token = format!("{}.{claims}.c2ln", b64(header));
        assert_eq!(
            set.verify(&token).unwrap_err(),
            Error::UnsupportedAlgorithm(alg.into())
        );
    }
    let long = format!(
        "{}.{claims}.c2ln",
        b64(&format!(r#"{{"alg":"{}"}}"#, "X".repeat(1000)))
    );
    let Error::UnsupportedAlgorithm(quoted) = set.verify(&long).unwrap_err() else {
        panic!("wrong error")
    };
    assert!(quoted.len() < 30, "untrusted alg is quoted only briefly");
}

#[test]
fn unknown_or_missing_kid_is_refused_with_several_keys() {
    let set = JwkSet::from_json(&jwks_json()).unwrap();
    let token = sign(key(0), &json!({}));
    let parts: Vec<&str> = token.split('.').collect();
    for header in [r#"{"alg":"RS256","kid":"key-9"}"#, r#"{"alg":"RS256"}"#] {
        let retagged = with_part(&token, 0, &b64(header));
        assert!(
            matches!(set.verify(&retagged), Err(Error::KeyNotFound(_))),
            "{header}"
        );
    }
    // The single-key form refuses a token that names another key.
    let other = key(1).verifying_key().unwrap();
    assert!(matches!(other.verify(&token), Err(Error::KeyNotFound(_))));
    assert!(parts.len() == 3);
}

#[test]
fn crit_headers_are_refused() {
    let set = JwkSet::from_json(&jwks_json()).unwrap();
    let mut extra = Map::new();
    extra.insert("crit".into(), json!(["exp"]));
    let token = key(0).sign(&extra, "{}").unwrap();
    assert!(matches!(set.verify(&token), Err(Error::Malformed(_))));
}

#[test]
fn bad_key_sets_are_refused() {
    let good = jwk_json(key(0));
    let mut ec = good.clone();
    ec["kty"] = "EC".into();
    let cases = [
        ("[]".to_owned(), None),
        (r#"{"keys": []}"#.to_owned(), None),
        (r#"{"keys": {}}"#.to_owned(), None),
        (json!({"keys": [good, ec]}).to_string(), Some(1)),
        (json!({"keys": [good, good]}).to_string(), Some(1)),
        (json!({"keys": [1]}).to_string(), Some(0)),
    ];
    for (jwks, at) in cases {
        match JwkSet::from_json(&jwks) {
            Err(Error::InvalidJwk { index, .. }) => assert_eq!(index, at, "{jwks}"),
            other => panic!("{jwks}: {other:?}"),
        }
    }
}

#[test]
fn extra_header_json_must_be_an_object() {
    let token = key(0).sign_json(Some(r#"{"typ":"JWT"}"#), "{}").unwrap();
    assert_eq!(decode(&token).unwrap().header()["typ"], "JWT");
    assert_eq!(
        key(0).sign_json(None, "{}").unwrap(),
        key(0).sign(&Map::new(), "{}").unwrap()
    );
    for bad in ["[]", "", "{", "null"] {
        assert!(
            matches!(key(0).sign_json(Some(bad), "{}"), Err(Error::Signing(_))),
            "{bad}"
        );
    }
}
