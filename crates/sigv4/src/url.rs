//! Just enough URL parsing for signing: scheme, host (with its port when it is not the
//! scheme's default), path and query.

use crate::error::{Error, Result};

/// An `http` or `https` URL split into the parts a signer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    /// `scheme://host[:port]`, lower-cased, without a default port.
    pub origin: String,
    /// The `Host` header value: host, plus `:port` when the port is not the default.
    pub authority: String,
    /// The path exactly as written (possibly empty).
    pub path: &'a str,
    /// The query string after `?`, without the fragment.
    pub query: Option<&'a str>,
}

impl<'a> HttpUrl<'a> {
    /// Parses an absolute `http://` or `https://` URL. User info, control characters and
    /// spaces in the host are refused; the fragment is dropped (it is never sent).
    pub fn parse(url: &'a str) -> Result<Self> {
        if url.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(Error::InvalidUrl("control characters are not allowed"));
        }
        let (scheme, rest) = url.split_once("://").ok_or(Error::InvalidUrl(
            "expected an absolute http:// or https:// URL",
        ))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return Err(Error::InvalidUrl("the scheme must be http or https")),
        };
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(authority_end);
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path_and_query, None),
        };
        let authority = parse_authority(authority, default_port)?;
        Ok(Self {
            origin: format!("{scheme}://{authority}"),
            authority,
            path,
            query,
        })
    }
}

/// Lower-cased `host[:port]`, the port left out when it is the default one.
fn parse_authority(authority: &str, default_port: u16) -> Result<String> {
    if authority.contains('@') {
        return Err(Error::InvalidUrl("user info in the URL is not supported"));
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (address, after) = bracketed
            .split_once(']')
            .ok_or(Error::InvalidUrl("unterminated IPv6 address"))?;
        let valid = !address.is_empty()
            && address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !valid {
            return Err(Error::InvalidUrl("invalid IPv6 address"));
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or(Error::InvalidUrl("unexpected text after the IPv6 address"))?,
            ),
        };
        (format!("[{}]", address.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let valid = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
        if !valid {
            return Err(Error::InvalidUrl(
                "the host must be a name (ASCII letters, digits, '-', '.', '_') or an IP address",
            ));
        }
        (host.to_ascii_lowercase(), port)
    };
    match port {
        None => Ok(host),
        Some(text) => {
            let number = (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<u16>().ok())
                .flatten()
                .filter(|&port| port != 0)
                .ok_or(Error::InvalidUrl(
                    "the port must be a number from 1 to 65535",
                ))?;
            if number == default_port {
                Ok(host)
            } else {
                Ok(format!("{host}:{number}"))
            }
        }
    }
}

/// The base URL requests are made against: an origin and an optional base path (an API
/// Gateway stage, say), parsed once per client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `scheme://host[:port]`.
    pub origin: String,
    /// The `Host` header value.
    pub authority: String,
    /// The base path in URL form, without a trailing `/` (empty for none).
    pub base_path: String,
}

impl Endpoint {
    /// Parses an endpoint such as `https://abc.execute-api.us-east-1.amazonaws.com/dev`.
    /// It may not carry a query or fragment, and its path must already be URL-encoded.
    pub fn parse(url: &str) -> Result<Self> {
        if url.contains(['?', '#']) {
            return Err(Error::InvalidUrl(
                "an endpoint cannot have a query or fragment",
            ));
        }
        let parsed = HttpUrl::parse(url)?;
        let path_is_encoded = parsed
            .path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b));
        if !path_is_encoded {
            return Err(Error::InvalidUrl(
                "the endpoint path must be percent-encoded (no spaces or non-ASCII characters)",
            ));
        }
        crate::percent::decode(parsed.path, false, "endpoint path")?;
        Ok(Self {
            base_path: parsed.path.trim_end_matches('/').to_owned(),
            origin: parsed.origin,
            authority: parsed.authority,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls_and_drops_default_ports() {
        let url = HttpUrl::parse("HTTPS://Example.COM:443/a%20b/?x=1&y#frag").unwrap();
        assert_eq!(url.origin, "https://example.com");
        assert_eq!(url.authority, "example.com");
        assert_eq!(url.path, "/a%20b/");
        assert_eq!(url.query, Some("x=1&y"));
        let url = HttpUrl::parse("http://localhost:8080").unwrap();
        assert_eq!(
            (url.authority.as_str(), url.path, url.query),
            ("localhost:8080", "", None)
        );
        let url = HttpUrl::parse("http://[::1]:80?q").unwrap();
        assert_eq!(
            (url.origin.as_str(), url.path, url.query),
            ("http://[::1]", "", Some("q"))
        );
        assert_eq!(
            HttpUrl::parse("https://h:8443/").unwrap().authority,
            "h:8443"
        );
    }

    #[test]
    fn rejects_urls_that_cannot_be_signed() {
        for bad in [
            "example.com/path",
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "https:///path",
            "https://exa mple.com/",
            "https://ex\u{e4}mple.com/",
            "https://example.com:0/",
            "https://example.com:65536/",
            "https://example.com:/",
            "https://example.com:8a/",
            "https://[::1/",
            "https://[zz]/",
            "https://[::1]x/",
            "https://example.com/\r\nX: y",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints_keep_their_base_path() {
        let endpoint = Endpoint::parse("https://api.example.com:8443/dev/").unwrap();
        assert_eq!(endpoint.origin, "https://api.example.com:8443");
        assert_eq!(endpoint.authority, "api.example.com:8443");
        assert_eq!(endpoint.base_path, "/dev");
        assert_eq!(Endpoint::parse("https://h").unwrap().base_path, "");
        for bad in [
            "https://h/a b",
            "https://h/?q=1",
            "https://h/#f",
            "https://h/%zz",
            "https://h/\u{e9}",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }
}
