//! SRP targets: the salt's encoding, hostile values on each side, and both halves of a
//! login agreeing for any password, identity and private values.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use cognito_srp::{
    format_timestamp, generate_verifier, salt_bytes_from_hex, Client, ServerSession,
};
use num_bigint::BigInt;

use crate::input::{fields, number};

/// A valid client private value, used where the input does not give one.
const CLIENT_A: [u8; 128] = [0x5a; 128];
/// A valid server private value, used where the input does not give one.
const SERVER_B: [u8; 32] = [0x3c; 32];

/// The salt as Java's `BigInteger(text, 16).toByteArray()` gives it, checked with
/// num-bigint; and any Unix time as Cognito's TIMESTAMP.
pub fn encoding(data: &[u8]) {
    let [salt, time]: [String; 2] = fields(data, 2).try_into().expect("two fields");
    let expected = reference_salt(&salt);
    match salt_bytes_from_hex(&salt) {
        Ok(bytes) => assert_eq!(Some(bytes), expected, "salt {salt:?}"),
        Err(_) => assert_eq!(expected, None, "salt {salt:?} refused"),
    }
    let seconds = crate::input::u64_at(time.as_bytes(), 0) as i64;
    let stamp = format_timestamp(seconds);
    assert_eq!(stamp.split(' ').count(), 6, "{stamp}");
}

/// Java's `toByteArray()` of the hex number, or `None` where it is not one (or is
/// longer than the 3072-bit group allows, which the SRP code refuses).
fn reference_salt(text: &str) -> Option<Vec<u8>> {
    let magnitude = text.strip_prefix('-').unwrap_or(text);
    let digits_ok = !magnitude.is_empty() && magnitude.bytes().all(|b| b.is_ascii_hexdigit());
    if !digits_ok || magnitude.trim_start_matches('0').len() > 768 {
        return None;
    }
    let value = BigInt::parse_bytes(text.as_bytes(), 16)?;
    Some(value.to_signed_bytes_be())
}

/// Fields: a, salt, SRP_B, SECRET_BLOCK, user id, password, timestamp. The client with
/// hostile private values, salts, B (0, N, multiples of N, too long) and secret blocks.
pub fn client(data: &[u8]) {
    let [a, salt, b, block, user, password, timestamp]: [String; 7] =
        fields(data, 7).try_into().expect("seven fields");
    let a = if a.is_empty() {
        CLIENT_A.to_vec()
    } else {
        number(&a)
    };
    let Ok(client) = Client::with_private_value("Fuzz", &a) else {
        return;
    };
    if let Ok(signature) =
        client.password_claim_signature(&user, &password, &salt, &b, &block, &timestamp)
    {
        let mac = STANDARD.decode(signature).expect("signature is base64");
        assert_eq!(mac.len(), 32);
    }
}

/// Fields: verifier, b, SRP_A, SECRET_BLOCK, signature, salt, user id, timestamp. The
/// server with hostile verifiers, private values, A and claims.
pub fn server(data: &[u8]) {
    let [verifier, b, a, block, signature, salt, user, timestamp]: [String; 8] =
        fields(data, 8).try_into().expect("eight fields");
    let b = if b.is_empty() {
        SERVER_B.to_vec()
    } else {
        number(&b)
    };
    let _ = salt_bytes_from_hex(&salt);
    let Ok(session) = ServerSession::with_private_value(&verifier, &b) else {
        return;
    };
    let _ = session.verify_claim("Fuzz", &user, &a, &block, &timestamp, &signature);
}

/// Fields: a, b, pool name, user id, password, secret block bytes, timestamp. With
/// valid private values, the client's claim verifies on the server, and a claim made
/// with another password does not.
pub fn round_trip(data: &[u8]) {
    let [a, b, pool, user, password, block, timestamp]: [String; 7] =
        fields(data, 7).try_into().expect("seven fields");
    let Ok(client) = Client::with_private_value(&pool, &number(&a)) else {
        return;
    };
    let (salt, verifier) = generate_verifier(&pool, &user, &password).expect("verifier");
    let Ok(server) = ServerSession::with_private_value(&verifier, &number(&b)) else {
        return;
    };
    let block = STANDARD.encode(block.as_bytes());
    let srp_a = client.public_value_hex();
    let srp_b = server.public_value_hex();
    let claim = |password: &str| {
        client
            .password_claim_signature(&user, password, &salt, &srp_b, &block, &timestamp)
            .expect("claim with valid values")
    };
    let verify = |signature: &str| {
        server
            .verify_claim(&pool, &user, &srp_a, &block, &timestamp, signature)
            .expect("verification with valid values")
    };
    assert!(verify(&claim(&password)), "the right password was refused");
    assert!(
        !verify(&claim(&format!("{password}!"))),
        "a wrong password passed"
    );
}
