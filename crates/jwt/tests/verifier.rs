//! Full verification with real keys: the happy path and each header refusal.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cognito_jwt::{ClaimRules, Error, Json, JwkSet, RsaSigningKey, TokenUse};
use serde_json::{json, Map, Value};

const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool";
const NOW: f64 = 1_800_000_000.0;

fn setup() -> (RsaSigningKey, JwkSet, ClaimRules) {
    let key = RsaSigningKey::generate(Some("k1".into())).unwrap();
    let jwk = key.public_jwk();
    let members: Map<String, Value> = jwk
        .members()
        .iter()
        .map(|&(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
    let set = JwkSet::from_jwks(&[Value::Object(members)]).unwrap();
    let rules = ClaimRules {
        issuer: ISS.into(),
        client_ids: Some(vec!["app".into()]),
        token_use: Some(TokenUse::Access),
        leeway: 0.0,
        groups: None,
    };
    (key, set, rules)
}

fn claims() -> String {
    json!({"iss": ISS, "token_use": "access", "client_id": "app", "exp": NOW + 60.0,
           "iat": NOW, "sub": "s"})
    .to_string()
}

#[test]
fn accepts_a_good_token_and_keeps_its_claims() {
    let (key, set, rules) = setup();
    let token = key.sign(&Map::new(), &claims()).unwrap();
    let verified = rules.verify(&set, &token, NOW).unwrap();
    assert_eq!(verified.claims.get("sub"), Some(&Json::Str("s".into())));
    assert_eq!(
        rules.verify(&set, &token, NOW + 60.0).unwrap_err(),
        Error::Expired
    );
}

#[test]
fn refuses_headers_that_carry_keys_or_lack_a_kid() {
    let (key, set, rules) = setup();
    for name in ["jku", "x5u", "jwk", "x5c"] {
        let mut header = Map::new();
        header.insert(name.into(), json!("x"));
        let token = key.sign(&header, &claims()).unwrap();
        assert!(
            matches!(
                rules.verify(&set, &token, NOW),
                Err(Error::ForbiddenHeader(_))
            ),
            "{name}"
        );
    }
    let b64 = |s: &str| URL_SAFE_NO_PAD.encode(s);
    let no_kid = format!("{}.{}.c2ln", b64(r#"{"alg":"RS256"}"#), b64(&claims()));
    assert_eq!(
        rules.verify(&set, &no_kid, NOW).unwrap_err(),
        Error::Malformed("header has no kid")
    );
    let unknown = format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"RS256","kid":"k9"}"#),
        b64(&claims())
    );
    assert!(matches!(
        rules.verify(&set, &unknown, NOW),
        Err(Error::KeyNotFound(_))
    ));
    let huge = format!(
        r#"{{"alg":"RS256","kid":"k1","pad":"{}"}}"#,
        "x".repeat(8 * 1024)
    );
    let token = format!("{}.{}.c2ln", b64(&huge), b64(&claims()));
    assert_eq!(
        rules.verify(&set, &token, NOW).unwrap_err(),
        Error::Malformed("header is longer than 8 KiB")
    );
}
