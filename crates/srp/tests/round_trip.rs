//! Client and server halves agree, and every tampered input breaks the proof.

use cognito_srp::{
    generate_verifier, new_secret_block, salt_bytes_from_hex, Client, DeviceVerifier, Error,
    ServerSession, N_HEX,
};

const POOL: &str = "AbC123xyz";
const USER: &str = "6a1b2c3d-user";
const PASSWORD: &str = "Correct horse 1!";
const TIMESTAMP: &str = "Thu Nov 26 02:05:07 UTC 2026";

struct Login {
    salt_hex: String,
    server: ServerSession,
    client: Client,
    secret_block: String,
}

fn login() -> Login {
    let (salt_hex, verifier_hex) = generate_verifier(POOL, USER, PASSWORD).unwrap();
    Login {
        salt_hex,
        server: ServerSession::new(&verifier_hex).unwrap(),
        client: Client::new(POOL).unwrap(),
        secret_block: new_secret_block().unwrap(),
    }
}

impl Login {
    fn sign(&self, password: &str, salt_hex: &str, srp_b_hex: &str) -> String {
        self.client
            .password_claim_signature(
                USER,
                password,
                salt_hex,
                srp_b_hex,
                &self.secret_block,
                TIMESTAMP,
            )
            .unwrap()
    }

    fn verify(&self, signature: &str, secret_block: &str, timestamp: &str) -> bool {
        self.server
            .verify_claim(
                POOL,
                USER,
                &self.client.public_value_hex(),
                secret_block,
                timestamp,
                signature,
            )
            .unwrap()
    }
}

#[test]
fn an_honest_login_verifies() {
    for _ in 0..5 {
        let login = login();
        let b = login.server.public_value_hex();
        let signature = login.sign(PASSWORD, &login.salt_hex, &b);
        assert!(login.verify(&signature, &login.secret_block, TIMESTAMP));
        let key_client = login
            .client
            .session_key(USER, PASSWORD, &login.salt_hex, &b)
            .unwrap();
        let key_server = login
            .server
            .session_key(&login.client.public_value_hex())
            .unwrap();
        assert_eq!(*key_client, *key_server);
    }
}

#[test]
fn every_tampered_input_fails() {
    let login = login();
    let b = login.server.public_value_hex();
    let good = login.sign(PASSWORD, &login.salt_hex, &b);

    let wrong_password = login.sign("Correct horse 2!", &login.salt_hex, &b);
    let tampered_salt = login.sign(PASSWORD, &flip_last_digit(&login.salt_hex), &b);
    let tampered_b = login.sign(PASSWORD, &login.salt_hex, &flip_last_digit(&b));
    for bad in [&wrong_password, &tampered_salt, &tampered_b] {
        assert_ne!(bad, &good);
        assert!(!login.verify(bad, &login.secret_block, TIMESTAMP));
    }
    let other_block = new_secret_block().unwrap();
    assert!(!login.verify(&good, &other_block, TIMESTAMP));
    assert!(!login.verify(&good, &login.secret_block, "Thu Nov 26 02:05:08 UTC 2026"));
    // A truncated signature is simply wrong, not an error.
    assert!(!login.verify("AAAA", &login.secret_block, TIMESTAMP));
    // Another user or pool name gives another MAC.
    assert!(!login
        .server
        .verify_claim(
            POOL,
            "someone-else",
            &login.client.public_value_hex(),
            &login.secret_block,
            TIMESTAMP,
            &good
        )
        .unwrap());
}

#[test]
fn server_values_zero_mod_n_are_refused() {
    let client = Client::new(POOL).unwrap();
    let n_plus = |extra: &str| format!("{N_HEX}{extra}");
    for b in ["0", "000", N_HEX] {
        let err = client
            .password_claim_signature(USER, PASSWORD, "abcd", b, "", TIMESTAMP)
            .unwrap_err();
        assert_eq!(err, Error::ZeroModN("SRP_B"), "B = {b}");
    }
    // 2N has more than 3072 bits: refused as too large, like any such value.
    let err = client
        .password_claim_signature(USER, PASSWORD, "abcd", &n_plus("0"), "", TIMESTAMP)
        .unwrap_err();
    assert_eq!(err, Error::TooLarge("SRP_B"));

    let (_, verifier) = generate_verifier(POOL, USER, PASSWORD).unwrap();
    let server = ServerSession::new(&verifier).unwrap();
    for a in ["0", N_HEX] {
        let err = server
            .verify_claim(POOL, USER, a, "", TIMESTAMP, "AAAA")
            .unwrap_err();
        assert_eq!(err, Error::ZeroModN("SRP_A"));
    }
    assert_eq!(
        ServerSession::new("0").unwrap_err(),
        Error::ZeroModN("verifier")
    );
}

#[test]
fn malformed_input_is_refused_with_the_field_name() {
    let client = Client::new(POOL).unwrap();
    let sign = |salt: &str, b: &str, block: &str| {
        client
            .password_claim_signature(USER, PASSWORD, salt, b, block, TIMESTAMP)
            .unwrap_err()
    };
    assert_eq!(sign("xyz", "abc", ""), Error::InvalidHex("SALT"));
    assert_eq!(sign("", "abc", ""), Error::InvalidHex("SALT"));
    assert_eq!(sign("abc", "-abc", ""), Error::InvalidHex("SRP_B"));
    assert_eq!(sign("abc", "0xabc", ""), Error::InvalidHex("SRP_B"));
    assert_eq!(
        sign("abc", "abc", "%%%"),
        Error::InvalidBase64("SECRET_BLOCK")
    );

    let (_, verifier) = generate_verifier(POOL, USER, PASSWORD).unwrap();
    let server = ServerSession::new(&verifier).unwrap();
    let a = client.public_value_hex();
    let err = server
        .verify_claim(POOL, USER, &a, "", TIMESTAMP, "not base64!")
        .unwrap_err();
    assert_eq!(err, Error::InvalidBase64("PASSWORD_CLAIM_SIGNATURE"));
    assert_eq!(
        ServerSession::new("verifier").unwrap_err(),
        Error::InvalidHex("verifier")
    );
}

#[test]
fn private_values_outside_the_group_are_refused() {
    let n = hex::decode(N_HEX).unwrap();
    assert_eq!(
        Client::with_private_value(POOL, &n).unwrap_err(),
        Error::PrivateValueOutOfRange
    );
    assert_eq!(
        Client::with_private_value(POOL, &[0, 0]).unwrap_err(),
        Error::PrivateValueOutOfRange
    );
    assert_eq!(
        Client::with_private_value(POOL, &[1])
            .unwrap()
            .public_value_hex(),
        "2"
    );
}

#[test]
fn errors_and_debug_output_never_show_secrets() {
    let login = login();
    let shown = format!("{:?} {:?}", login.client, login.server);
    assert!(!shown.contains(PASSWORD));
    let device = DeviceVerifier::generate("group", "device").unwrap();
    assert!(!format!("{device:?}").contains(device.password()));
    let err = login
        .client
        .password_claim_signature(USER, PASSWORD, "zz", "ab", "", TIMESTAMP)
        .unwrap_err();
    assert!(!err.to_string().contains(PASSWORD));
}

#[test]
fn a_device_verifier_proves_its_password_through_device_srp() {
    let (group, device_key) = ("-abcDEF12", "us-east-1_0f3a9e8b-device");
    let device = DeviceVerifier::generate(group, device_key).unwrap();
    assert_eq!(device.password().len(), 56);
    assert_eq!(
        salt_bytes_from_hex(&device.salt_hex()).unwrap(),
        base64_decode(&device.salt_base64())
    );
    let server = ServerSession::new(&device.verifier_hex()).unwrap();
    let client = Client::new(group).unwrap();
    let block = new_secret_block().unwrap();
    let sign = |password: &str| {
        client
            .password_claim_signature(
                device_key,
                password,
                &device.salt_hex(),
                &server.public_value_hex(),
                &block,
                TIMESTAMP,
            )
            .unwrap()
    };
    let verify = |signature: &str| {
        server
            .verify_claim(
                group,
                device_key,
                &client.public_value_hex(),
                &block,
                TIMESTAMP,
                signature,
            )
            .unwrap()
    };
    assert!(verify(&sign(device.password())));
    assert!(!verify(&sign("not the device password")));
}

/// The same hex number with its last digit changed.
fn flip_last_digit(hex: &str) -> String {
    let (head, last) = hex.split_at(hex.len() - 1);
    format!("{head}{}", if last == "0" { "1" } else { "0" })
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}
