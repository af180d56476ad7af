//! AWS's published SigV4 test suite (converted to JSON under tests/vectors/sigv4 at the
//! repository root): every case's canonical request, string to sign and Authorization.

use cognito_sigv4::{AmzDate, Credentials, Payload, Signer};
use serde_json::Value;

fn suite() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/sigv4/aws4_testsuite.json"
    );
    let text = std::fs::read_to_string(path).expect("the converted suite is in the repository");
    serde_json::from_str(&text).expect("valid JSON")
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

#[test]
fn every_case_of_the_aws_suite_signs_as_published() {
    let suite = suite();
    let cases = suite["cases"].as_array().expect("a list of cases");
    assert_eq!(cases.len(), 34);
    for case in cases {
        let name = text(&case["name"]);
        let request = &case["request"];
        let credentials = &case["credentials"];
        let signer = Signer::new(
            Credentials::new(
                text(&credentials["access_key_id"]),
                text(&credentials["secret_access_key"]),
                credentials["session_token"].as_str(),
            )
            .unwrap(),
            text(&case["region"]),
            text(&case["service"]),
        )
        .unwrap();
        let headers: Vec<(&str, &str)> = request["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| (text(&pair[0]), text(&pair[1])))
            .collect();
        let host = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host"))
            .unwrap()
            .1;
        let mut url = format!("https://{host}{}", text(&request["path"]));
        if let Some(query) = request["query"].as_str() {
            url.push('?');
            url.push_str(query);
        }
        let date = AmzDate::parse(text(&case["date"])).unwrap();
        let body = text(&request["body"]).as_bytes();
        let method = text(&request["method"]);
        let (outgoing, signed) = signer
            .sign_url(method, &url, &headers, Payload::Bytes(body), &date)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = &case["expected"];
        assert_eq!(
            signed.steps.canonical_request,
            text(&expected["canonical_request"]),
            "{name}"
        );
        assert_eq!(
            signed.steps.string_to_sign,
            text(&expected["string_to_sign"]),
            "{name}"
        );
        let authorization = &signed.headers.last().unwrap().1;
        let sent = outgoing
            .headers
            .iter()
            .find(|(n, _)| n == "Authorization")
            .unwrap();
        assert_eq!(&sent.1, authorization, "{name}");
        assert_eq!(authorization, text(&expected["authorization"]), "{name}");
    }
}
