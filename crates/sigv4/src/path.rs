//! The path part of a request: turning a plain path into its URL form, and the URL form
//! into SigV4's canonical URI.
//!
//! AWS's rules: for every service but S3 the path is normalised (dot segments removed,
//! runs of `/` collapsed) and then URI-encoded once more, so a path that travels as
//! `/a%20b` is signed as `/a%2520b`. S3 signs its object keys exactly as they are, encoded
//! once, without normalisation.

use crate::error::Result;
use crate::percent;

/// Appends the URL form of a plain (unencoded) `path` to `out`: each segment
/// percent-encoded, `/` kept as the separator, and a leading `/` added when missing.
pub(crate) fn encode_plain_path(out: &mut String, path: &str) {
    if !path.starts_with('/') {
        out.push('/');
    }
    percent::encode_into(out, path.as_bytes(), true);
}

/// The canonical URI of a path as it appears in the request URL.
pub(crate) fn canonical_uri(url_path: &str, s3: bool) -> Result<String> {
    if url_path.is_empty() {
        return Ok("/".to_owned());
    }
    if s3 {
        s3_canonical_uri(url_path)
    } else {
        let normalized = normalize(url_path);
        Ok(percent::encode(normalized.as_bytes(), true))
    }
}

/// S3: each segment decoded and encoded again, so the result is the strict encoding of
/// the object key whatever escaping the URL happened to use; nothing is normalised.
fn s3_canonical_uri(url_path: &str) -> Result<String> {
    let mut out = String::with_capacity(url_path.len() + 8);
    if !url_path.starts_with('/') {
        out.push('/');
    }
    for (i, segment) in url_path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let decoded = percent::decode(segment, false, "path")?;
        percent::encode_into(&mut out, &decoded, false);
    }
    Ok(out)
}

/// RFC 3986 section 5.2.4 dot-segment removal, then runs of `/` collapsed to one.
///
/// The order matters: `..` removes the segment before it even when that segment is
/// empty (`/a//../b` is `/a/b`), which is what HTTP clients such as urllib3 send, and a
/// trailing `.` or `..` leaves a trailing `/` (`/a/b/..` is `/a/`).
fn normalize(url_path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut ends_in_dot_segment = false;
    let segments = url_path.strip_prefix('/').unwrap_or(url_path).split('/');
    for segment in segments {
        ends_in_dot_segment = matches!(segment, "." | "..");
        match segment {
            "." => {}
            ".." => {
                kept.pop();
            }
            other => kept.push(other),
        }
    }
    let mut out = String::with_capacity(url_path.len() + 1);
    for segment in &kept {
        if !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(segment);
    }
    if (out.is_empty() || ends_in_dot_segment) && !out.ends_with('/') {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_encoded_per_segment() {
        let mut out = String::new();
        encode_plain_path(&mut out, "my folder/a+b=c/\u{1234}");
        assert_eq!(out, "/my%20folder/a%2Bb%3Dc/%E1%88%B4");
    }

    #[test]
    fn normalisation_matches_rfc_3986_and_collapses_slashes() {
        let cases = [
            ("/", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/./example", "/example"),
            ("//example//", "/example/"),
            ("/a/b/c/./../../g", "/a/g"),
            ("/a/b/..", "/a/"),
            ("/a/b/.", "/a/b/"),
            ("/a//../b", "/a/b"),
            ("/../a", "/a"),
            ("/a/.b/..c", "/a/.b/..c"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input}");
        }
    }

    #[test]
    fn non_s3_paths_are_encoded_again_and_s3_paths_are_not() {
        assert_eq!(canonical_uri("/a%20b/c", false).unwrap(), "/a%2520b/c");
        assert_eq!(canonical_uri("/a%20b//c", true).unwrap(), "/a%20b//c");
        assert_eq!(canonical_uri("/a$b/./c", true).unwrap(), "/a%24b/./c");
        assert_eq!(canonical_uri("", true).unwrap(), "/");
        assert_eq!(canonical_uri("", false).unwrap(), "/");
        assert!(canonical_uri("/a%zz", true).is_err());
    }
}
