//! Random, truncated and mutated input thrown at every entry point: each must return
//! `Ok` or `Err`, never panic. A small seeded generator keeps failures reproducible.

use std::panic::{catch_unwind, AssertUnwindSafe};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cognito_jwt::{decode, JwkSet, RsaSigningKey, RsaVerifyingKey};
use serde_json::{json, Map};

/// xorshift64*: deterministic, dependency-free, good enough to explore inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// Random bytes of a random length below `max_len`.
    fn some_bytes(&mut self, max_len: usize) -> Vec<u8> {
        let len = self.below(max_len);
        self.bytes(len)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Runs every token entry point on `token`, reporting the input if one panics.
fn exercise_token(token: &str, set: &JwkSet, key: &RsaVerifyingKey) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if let Ok(jws) = decode(token) {
            let _ = (jws.alg(), jws.kid(), jws.claims());
        }
        let _ = set.verify(token);
        let _ = key.verify(token);
    }));
    assert!(outcome.is_ok(), "panicked on token {token:?}");
}

fn exercise_jwk(text: &str) {
    let outcome = catch_unwind(|| {
        let _ = RsaVerifyingKey::from_jwk_json(text);
        let _ = JwkSet::from_json(text);
        let _ = JwkSet::from_json(&format!(r#"{{"keys":[{text}]}}"#));
    });
    assert!(outcome.is_ok(), "panicked on JWK {text:?}");
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

struct Fixture {
    signer: RsaSigningKey,
    set: JwkSet,
    key: RsaVerifyingKey,
    token: String,
}

fn fixture() -> Fixture {
    let signer = RsaSigningKey::generate(Some("k".into())).unwrap();
    let jwk = signer.public_jwk();
    let jwk: Map<_, _> = jwk
        .members()
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.into()))
        .collect();
    let set = JwkSet::from_json(&json!({ "keys": [jwk] }).to_string()).unwrap();
    let key = signer.verifying_key().unwrap();
    let token = signer
        .sign(
            &Map::new(),
            r#"{"sub":"ü","n":[1,2.5e3,null],"o":{"t":true}}"#,
        )
        .unwrap();
    Fixture {
        signer,
        set,
        key,
        token,
    }
}

#[test]
fn never_panics_on_tokens() {
    let Fixture {
        set, key, token, ..
    } = fixture();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);

    // Every prefix and suffix of a valid token.
    for i in 0..=token.len() {
        exercise_token(&token[..i], &set, &key);
        exercise_token(&token[i..], &set, &key);
    }

    // The valid token with random characters replaced, inserted or deleted.
    let alphabet: Vec<char> = "AZaz09-_.=+/ \u{0}\u{e9}\u{1F600}".chars().collect();
    for _ in 0..3000 {
        let mut chars: Vec<char> = token.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(chars.len());
            let c = alphabet[rng.below(alphabet.len())];
            match rng.below(3) {
                0 => chars[at] = c,
                1 => chars.insert(at, c),
                _ => {
                    chars.remove(at);
                }
            }
        }
        exercise_token(&chars.into_iter().collect::<String>(), &set, &key);
    }

    // Random strings, and random bytes as valid base64url parts (so that the JSON
    // parsers and RSA see arbitrary data, including modulus-sized signatures).
    for _ in 0..3000 {
        let len = rng.below(200);
        let noise: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        exercise_token(&noise, &set, &key);
        let sig_len = [0, 1, 255, 256, 257][rng.below(5)];
        let random_parts = format!(
            "{}.{}.{}",
            b64(&rng.some_bytes(64)),
            b64(&rng.some_bytes(64)),
            b64(&rng.bytes(sig_len))
        );
        exercise_token(&random_parts, &set, &key);
    }

    // JSON-shaped headers and claims built from fragments, with random signatures.
    let fragments = [
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"alg\"",
        "\"RS256\"",
        "\"none\"",
        "\"kid\"",
        "\"k\"",
        "\"crit\"",
        "null",
        "1e999",
        "-0",
        "18446744073709551616",
        "\"\\ud800\"",
        "\"\\u00e9\"",
        "true",
        " ",
        "\"",
    ];
    for _ in 0..3000 {
        let header: String = (0..rng.below(12)).map(|_| rng.pick(&fragments)).collect();
        let header = if rng.below(2) == 0 {
            format!(
                r#"{{"alg":"RS256","kid":"k"{}}}"#,
                if header.is_empty() { "" } else { "," }
            ) + &header
        } else {
            header
        };
        let claims: String = (0..rng.below(12)).map(|_| rng.pick(&fragments)).collect();
        let token = format!(
            "{}.{}.{}",
            b64(header.as_bytes()),
            b64(claims.as_bytes()),
            b64(&rng.bytes(256))
        );
        exercise_token(&token, &set, &key);
    }
}

#[test]
fn never_panics_on_jwks() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let n_lengths = [0, 1, 128, 255, 256, 257, 512, 1025];
    let values = [
        "\"RSA\"",
        "\"EC\"",
        "\"sig\"",
        "\"enc\"",
        "\"RS256\"",
        "1",
        "null",
        "[]",
        "{}",
        "\"AQAB\"",
        "\"AA\"",
        "\"=\"",
        "\"\"",
    ];
    let names = ["kty", "n", "e", "use", "alg", "kid", "keys"];
    for _ in 0..2000 {
        let mut members = Vec::new();
        for _ in 0..rng.below(7) {
            let name = rng.pick(&names);
            let value = if rng.below(2) == 0 {
                let len = n_lengths[rng.below(n_lengths.len())];
                let mut n = rng.bytes(len);
                if let Some(last) = n.last_mut() {
                    *last |= rng.below(2) as u8;
                }
                format!("\"{}\"", b64(&n))
            } else {
                rng.pick(&values).to_owned()
            };
            members.push(format!("\"{name}\":{value}"));
        }
        exercise_jwk(&format!("{{{}}}", members.join(",")));
        let noise: String = (0..rng.below(60)).map(|_| rng.pick(&values)).collect();
        exercise_jwk(&noise);
    }
}

#[test]
fn never_panics_on_private_keys() {
    let Fixture { signer, .. } = fixture();
    let der = signer.to_pkcs8_der().unwrap();
    let mut rng = Rng(0xfeed_f00d_dead_beef);
    let mut inputs: Vec<Vec<u8>> = (0..=der.len())
        .step_by(7)
        .map(|i| der[..i].to_vec())
        .collect();
    for _ in 0..300 {
        let mut mutated = der.to_vec();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(mutated.len());
            mutated[at] ^= 1 << rng.below(8);
        }
        inputs.push(mutated);
        inputs.push(rng.some_bytes(2000));
    }
    for input in inputs {
        let outcome = catch_unwind(|| RsaSigningKey::from_pkcs8_der(&input, "k".into()).is_ok());
        assert!(outcome.is_ok(), "panicked on PKCS#8 {input:02x?}");
    }
}
