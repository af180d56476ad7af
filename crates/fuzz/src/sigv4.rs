//! SigV4 targets: canonical paths, queries and headers of a request, and signing a
//! request given by its URL.

use cognito_sigv4::{
    AmzDate, Client, Credentials, HttpUrl, Payload, Query, Request, RequestParts, Signed, Signer,
};

use crate::input::fields;

const DATE: &str = "20261202T010203Z";

fn signer(service: &str) -> Signer {
    let credentials = Credentials::new("AKIDFUZZ", "fuzz/secret+key", Some("session-token"))
        .expect("fixed credentials");
    let service = if service.is_empty() {
        "execute-api"
    } else {
        service
    };
    Signer::new(credentials, "us-east-1", service).unwrap_or_else(|_| {
        let credentials =
            Credentials::new("AKIDFUZZ", "fuzz/secret+key", None).expect("fixed credentials");
        Signer::new(credentials, "us-east-1", "s3").expect("fixed scope")
    })
}

fn date(text: &str) -> AmzDate {
    AmzDate::parse(text).unwrap_or_else(|_| AmzDate::parse(DATE).expect("fixed date"))
}

/// `name:value` lines as headers (a line without `:` is a name with an empty value).
fn headers(block: &str) -> Vec<(&str, &str)> {
    block
        .split('\n')
        .filter(|line| !line.is_empty())
        .map(|line| line.split_once(':').unwrap_or((line, "")))
        .collect()
}

/// What holds for every signature: the canonical request's shape and a hex signature.
fn check_signed(signed: &Signed, method: &str) {
    let steps = &signed.steps;
    let lines: Vec<&str> = steps.canonical_request.split('\n').collect();
    assert!(lines.len() >= 6, "{:?}", steps.canonical_request);
    assert_eq!(lines[0], method.to_ascii_uppercase());
    assert_eq!(lines[lines.len() - 2], steps.signed_headers);
    assert!(!steps.canonical_request.contains('\r'));
    assert_eq!(steps.signature.len(), 64);
    assert!(steps
        .signature
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
}

/// Fields: method, host, URL path, query string, service, date, headers (`name:value`
/// lines), then the body. Signing is deterministic, the canonical query is a fixed point
/// of parsing, and presigning accepts what signing accepts (bar reserved parameters).
pub fn request(data: &[u8]) {
    let [method, authority, path, query, service, when, header_block]: [String; 7] =
        fields(data, 7).try_into().expect("seven fields");
    let (header_block, body) = header_block
        .split_once("\n\n")
        .unwrap_or((&header_block, ""));
    let Ok(parsed) = Query::parse(&query) else {
        return;
    };
    let canonical = parsed.clone().canonical();
    let reparsed = Query::parse(&canonical).expect("a canonical query parses");
    assert_eq!(reparsed.clone().canonical(), canonical);

    let signer = signer(&service);
    let date = date(&when);
    let headers = headers(header_block);
    let make = || Request {
        method: &method,
        authority: &authority,
        path: &path,
        query: parsed.clone(),
        headers: &headers,
        payload: Payload::Bytes(body.as_bytes()),
    };
    let signed = signer.sign(make(), &date);
    assert_eq!(
        signed,
        signer.sign(make(), &date),
        "signing is not deterministic"
    );
    if let Ok(signed) = &signed {
        check_signed(signed, &method);
        assert_eq!(signed.query, canonical);
    }
    let _ = signer.presign(make(), &date, 3600);
}

/// Fields: method, URL, endpoint, plain path, service, headers, then the body. What
/// `sign_url` sends is what it signed: signing the URL it returns gives the same
/// signature. The client's path and query encoding is checked the same way.
pub fn url(data: &[u8]) {
    let [method, url, endpoint, path, service, header_block]: [String; 6] =
        fields(data, 6).try_into().expect("six fields");
    let (header_block, body) = header_block
        .split_once("\n\n")
        .unwrap_or((&header_block, ""));
    let signer = signer(&service);
    let date = date(DATE);
    let headers = headers(header_block);
    let payload = Payload::Bytes(body.as_bytes());
    if let Ok((outgoing, signed)) = signer.sign_url(&method, &url, &headers, payload, &date) {
        check_signed(&signed, &method);
        let sent = HttpUrl::parse(&outgoing.url).expect("the URL sent parses");
        assert_eq!(sent.query.unwrap_or_default(), signed.query);
        let (_, again) = signer
            .sign_url(&method, &outgoing.url, &headers, payload, &date)
            .expect("the URL sent signs");
        assert_eq!(again.steps, signed.steps, "the URL sent signs differently");
    }

    let Ok(client) = Client::new(signer, &endpoint, Some("application/json"), None) else {
        return;
    };
    let query: Vec<(&str, &str)> = headers.iter().map(|&(n, v)| (v, n)).collect();
    let parts = RequestParts {
        method: &method,
        path: &path,
        query: &query,
        headers: &headers,
        body: Some(body.as_bytes()),
    };
    if let Ok((outgoing, signed)) = client.sign(&parts, &date, false) {
        check_signed(&signed, &method);
        let (_, again) = client
            .signer()
            .sign_url(
                &method,
                &outgoing.url,
                &headers_sent(&outgoing),
                payload,
                &date,
            )
            .expect("the client's URL signs");
        assert_eq!(again.steps.signature, signed.steps.signature);
    }
    let _ = client.presign(&parts, &date, 60);
    let _ = client.authorize(&parts, "Bearer token");
}

/// The headers of an outgoing request as `sign_url` takes them.
fn headers_sent<'a>(outgoing: &'a cognito_sigv4::Outgoing<'_>) -> Vec<(&'a str, &'a str)> {
    outgoing
        .headers
        .iter()
        .map(|(name, value)| (name.as_ref(), value.as_str()))
        .collect()
}
