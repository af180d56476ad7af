//! JWT targets: base64url, token parsing and verification, tokens this code signed,
//! and JWKS parsing.

use std::sync::OnceLock;

use cognito_jwt::{base64url, decode as decode_token, ClaimRules, JwkSet, RsaSigningKey};

use crate::input::fields;

const KID: &str = "fuzz-key";
const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Fuzz";
/// The `now` claims are checked against.
const NOW: f64 = 1_800_000_000.0;

struct Keys {
    signer: RsaSigningKey,
    set: JwkSet,
    /// A token signed by `signer`, for checking other key sets against.
    token: String,
}

/// One RSA key per process (generating one takes a while), and a set holding it.
fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let signer = RsaSigningKey::generate(Some(KID.to_owned())).expect("RSA key generation");
        let members: serde_json::Map<String, serde_json::Value> = signer
            .public_jwk()
            .members()
            .iter()
            .map(|&(name, value)| (name.to_owned(), value.into()))
            .collect();
        let jwks = serde_json::json!({ "keys": [members] }).to_string();
        let set = JwkSet::from_json(&jwks).expect("own JWKS parses");
        let token = signer
            .sign_json(None, r#"{"sub":"fuzz"}"#)
            .expect("signing a fixed token");
        Keys { signer, set, token }
    })
}

fn rules() -> ClaimRules {
    ClaimRules {
        issuer: ISSUER.to_owned(),
        client_ids: Some(vec!["client".to_owned()]),
        token_use: None,
        leeway: 5.0,
        groups: Some(vec!["admins".to_owned()]),
    }
}

/// Strict base64url: whatever decodes is the canonical encoding of what it decodes to,
/// and every byte string survives a round trip.
pub fn base64url(data: &[u8]) {
    if let Some(decoded) = base64url::decode(data) {
        assert_eq!(
            base64url::encode(&decoded).as_bytes(),
            data,
            "decoded a non-canonical encoding"
        );
    }
    assert_eq!(
        base64url::decode(base64url::encode(data).as_bytes()).as_deref(),
        Some(data)
    );
}

/// Any text as a token: parsing, reading the header, and full verification.
pub fn decode(data: &[u8]) {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(jws) = decode_token(token) {
        let _ = (jws.alg(), jws.kid(), jws.claims());
        // The parts decoded are the parts given.
        let header_b64 = token.split('.').next().unwrap_or_default();
        assert_eq!(base64url::encode(jws.header_json().as_bytes()), header_b64);
    }
    let keys = keys();
    let _ = keys.set.verify(token);
    let _ = rules().verify(&keys.set, token, NOW);
}

/// Fields: extra header members (JSON), claims (JSON). A token signed here always
/// passes the signature check; the claim checks then run on arbitrary claims.
pub fn signed(data: &[u8]) {
    let [header, claims]: [String; 2] = fields(data, 2).try_into().expect("two fields");
    let keys = keys();
    let header = (!header.is_empty()).then_some(header.as_str());
    let Ok(token) = keys.signer.sign_json(header, &claims) else {
        return;
    };
    if token.len() <= cognito_jwt::MAX_TOKEN_LEN {
        let verified = keys.set.verify(&token);
        assert!(verified.is_ok(), "own token refused: {verified:?}");
    }
    if let Err(error) = rules().verify(&keys.set, &token, NOW) {
        assert_ne!(error, cognito_jwt::Error::InvalidSignature);
    }
}

/// Any text as a JWKS, then as a single JWK; a key set that parses verifies the
/// fixed token or refuses it with an error, and a key it holds is found by its kid.
pub fn jwks(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(set) = JwkSet::from_json(text) {
        assert!(!set.is_empty());
        for key in set.keys() {
            if let Some(kid) = key.kid() {
                assert!(set.get(kid).is_some());
            }
        }
        let _ = set.verify(&keys().token);
        let _ = rules().verify(&set, &keys().token, NOW);
    }
    if let Ok(key) = cognito_jwt::RsaVerifyingKey::from_jwk_json(text) {
        assert!(key.bits() >= cognito_jwt::MIN_RSA_BITS);
        let _ = key.verify(&keys().token);
    }
}
