//! The client against logins computed by pycognito (tests/vectors/srp_pycognito.json,
//! whose values tests/test_srp_vectors.py recomputes with pycognito itself).

use cognito_srp::Client;
use serde_json::Value;

const VECTORS: &str = include_str!("../../../tests/vectors/srp_pycognito.json");

fn field<'a>(case: &'a Value, name: &str) -> &'a str {
    case[name]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {name}"))
}

#[test]
fn client_matches_pycognito_on_every_vector() {
    let cases: Vec<Value> = serde_json::from_str(VECTORS).expect("vector file is JSON");
    assert!(cases.len() >= 20);
    for case in &cases {
        let small_a = hex::decode(format!("{:0>768}", field(case, "small_a_hex"))).unwrap();
        let client = Client::with_private_value(field(case, "pool_name"), &small_a).unwrap();
        assert_eq!(client.public_value_hex(), field(case, "srp_a_hex"));
        let signature = client
            .password_claim_signature(
                field(case, "user_id_for_srp"),
                field(case, "password"),
                field(case, "salt_hex"),
                field(case, "srp_b_hex"),
                field(case, "secret_block_b64"),
                field(case, "timestamp"),
            )
            .unwrap();
        assert_eq!(signature, field(case, "signature_b64"), "{case}");
    }
}
