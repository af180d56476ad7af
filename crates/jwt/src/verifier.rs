//! Full verification of a Cognito token: a strict RS256 header, the signature by the
//! key the `kid` names, then the claims a service must check (`iss`, `token_use`, the
//! app client, `exp`, `iat`, `nbf`, groups).

use crate::claims::{Claims, Json};
use crate::jwk::check_rs256_header;
use crate::jws::Jws;
use crate::{Error, JwkSet, Result};

/// Longest header accepted, in bytes of JSON. A Cognito header is under 100 bytes.
pub const MAX_HEADER_LEN: usize = 8 * 1024;
/// Length of the base64url encoding of [`MAX_HEADER_LEN`] bytes, checked before decoding.
const MAX_HEADER_B64_LEN: usize = MAX_HEADER_LEN.div_ceil(3) * 4;

/// Header members that name or carry a key: a verifier that honoured them would let the
/// token pick the key that verifies it, so their presence alone refuses the token.
const KEY_CARRYING_HEADERS: [(&str, &str); 4] = [
    ("jku", "jku (a URL to fetch keys from) is not accepted"),
    (
        "x5u",
        "x5u (a URL to fetch certificates from) is not accepted",
    ),
    ("jwk", "an embedded jwk is not accepted"),
    ("x5c", "an embedded certificate chain (x5c) is not accepted"),
];

/// The two kinds of token a user pool issues to apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    Id,
    Access,
}

impl TokenUse {
    /// `"id"` or `"access"`, as in the `token_use` claim.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "id" => Some(TokenUse::Id),
            "access" => Some(TokenUse::Access),
            _ => None,
        }
    }
}

/// What a token must satisfy besides its signature.
#[derive(Debug, Clone)]
pub struct ClaimRules {
    /// The exact `iss` expected.
    pub issuer: String,
    /// Accepted app client ids; `None` accepts any client.
    pub client_ids: Option<Vec<String>>,
    /// The kind of token accepted; `None` accepts ID and access tokens.
    pub token_use: Option<TokenUse>,
    /// Seconds of clock skew allowed on `exp`, `iat` and `nbf` (finite, not negative).
    pub leeway: f64,
    /// The token must be in at least one of these groups; `None` checks no group.
    pub groups: Option<Vec<String>>,
}

/// A token whose signature and claims passed every check.
#[derive(Debug, Clone)]
pub struct Verified<'t> {
    pub jws: Jws<'t>,
    pub claims: Claims,
}

impl ClaimRules {
    /// Verifies `token` with the key of `keys` its `kid` names, then its claims at
    /// time `now` (seconds since the epoch).
    pub fn verify<'t>(&self, keys: &JwkSet, token: &'t str, now: f64) -> Result<Verified<'t>> {
        let header_b64 = token.split('.').next().unwrap_or_default();
        if header_b64.len() > MAX_HEADER_B64_LEN {
            return Err(Error::Malformed("header is longer than 8 KiB"));
        }
        let jws = Jws::parse(token)?;
        if jws.header_json().len() > MAX_HEADER_LEN {
            return Err(Error::Malformed("header is longer than 8 KiB"));
        }
        check_rs256_header(&jws)?;
        for (name, why) in KEY_CARRYING_HEADERS {
            if jws.header().contains_key(name) {
                return Err(Error::ForbiddenHeader(why));
            }
        }
        let kid = jws.kid()?.ok_or(Error::Malformed("header has no kid"))?;
        let key = keys
            .get(kid)
            .ok_or(Error::KeyNotFound("no key in the set has the token's kid"))?;
        key.verify_signature(&jws)?;
        let claims = Claims::parse(jws.claims_json())
            .map_err(|_| Error::Malformed("claims are not JSON"))?;
        self.check(&claims, now)?;
        Ok(Verified { jws, claims })
    }

    /// Checks the claims alone, in this order: `iss`, `token_use`, the client, `exp`,
    /// `iat`, `nbf`, groups. The first failure is reported.
    pub fn check(&self, claims: &Claims, now: f64) -> Result<()> {
        let iss = required_str(claims, "iss", "iss is missing or not a string")?;
        if iss != self.issuer {
            return Err(Error::WrongIssuer);
        }
        let token_use = required_str(claims, "token_use", "token_use is missing or not a string")?;
        let token_use = TokenUse::parse(token_use).ok_or(Error::WrongTokenUse)?;
        if self.token_use.is_some_and(|want| want != token_use) {
            return Err(Error::WrongTokenUse);
        }
        if let Some(client_ids) = &self.client_ids {
            let client = match token_use {
                TokenUse::Id => required_str(claims, "aud", "aud is missing or not a string")?,
                TokenUse::Access => {
                    required_str(claims, "client_id", "client_id is missing or not a string")?
                }
            };
            if !client_ids.iter().any(|id| id == client) {
                return Err(Error::WrongClient);
            }
        }
        let exp = claims
            .get("exp")
            .and_then(Json::as_number)
            .ok_or(Error::InvalidClaim("exp is missing or not a number"))?;
        if exp <= now - self.leeway {
            return Err(Error::Expired);
        }
        for (name, why) in [
            ("iat", "iat is not a number"),
            ("nbf", "nbf is not a number"),
        ] {
            if let Some(value) = claims.get(name) {
                let at = value.as_number().ok_or(Error::InvalidClaim(why))?;
                if at > now + self.leeway {
                    return Err(Error::NotYetValid);
                }
            }
        }
        if let Some(required) = &self.groups {
            self.check_groups(claims, required)?;
        }
        Ok(())
    }

    fn check_groups(&self, claims: &Claims, required: &[String]) -> Result<()> {
        let groups = match claims.get("cognito:groups") {
            None => return Err(Error::MissingGroup),
            Some(Json::Array(groups)) => groups,
            Some(_) => return Err(Error::InvalidClaim("cognito:groups is not a list")),
        };
        let mut found = false;
        for group in groups {
            let name = group.as_str().ok_or(Error::InvalidClaim(
                "cognito:groups holds something other than text",
            ))?;
            found |= required.iter().any(|r| r == name);
        }
        if found {
            Ok(())
        } else {
            Err(Error::MissingGroup)
        }
    }
}

fn required_str<'c>(claims: &'c Claims, name: &str, why: &'static str) -> Result<&'c str> {
    claims
        .get(name)
        .and_then(Json::as_str)
        .ok_or(Error::InvalidClaim(why))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISS: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool";
    const NOW: f64 = 1_800_000_000.0;

    fn rules() -> ClaimRules {
        ClaimRules {
            issuer: ISS.into(),
            client_ids: Some(vec!["app-a".into(), "app-b".into()]),
            token_use: None,
            leeway: 5.0,
            groups: None,
        }
    }

    fn claims(extra: &str) -> Claims {
        let text = format!(
            r#"{{"iss":"{ISS}","token_use":"access","client_id":"app-b","exp":{},"iat":{}{extra}}}"#,
            NOW + 60.0,
            NOW - 1.0
        );
        Claims::parse(&text).unwrap()
    }

    fn check(rules: &ClaimRules, extra: &str) -> Result<()> {
        rules.check(&claims(extra), NOW)
    }

    #[test]
    fn accepts_a_good_access_token() {
        check(&rules(), "").unwrap();
    }

    #[test]
    fn refuses_each_claim_failure() {
        let cases = [
            (r#","iss":"https://evil""#, Error::WrongIssuer),
            (
                r#","iss":7"#,
                Error::InvalidClaim("iss is missing or not a string"),
            ),
            (r#","token_use":"refresh""#, Error::WrongTokenUse),
            (
                r#","token_use":["access"]"#,
                Error::InvalidClaim("token_use is missing or not a string"),
            ),
            (r#","client_id":"other""#, Error::WrongClient),
            (
                r#","client_id":null"#,
                Error::InvalidClaim("client_id is missing or not a string"),
            ),
            (
                r#","exp":"1900000000""#,
                Error::InvalidClaim("exp is missing or not a number"),
            ),
            (
                r#","exp":true"#,
                Error::InvalidClaim("exp is missing or not a number"),
            ),
            (r#","exp":1799999995"#, Error::Expired),
            (r#","iat":1800000006"#, Error::NotYetValid),
            (r#","nbf":1800000005.5"#, Error::NotYetValid),
            (
                r#","iat":"now""#,
                Error::InvalidClaim("iat is not a number"),
            ),
        ];
        for (extra, want) in cases {
            assert_eq!(check(&rules(), extra), Err(want), "{extra}");
        }
        // Within the leeway.
        check(
            &rules(),
            r#","exp":1799999996,"iat":1800000005,"nbf":1800000005"#,
        )
        .unwrap();
    }

    #[test]
    fn exp_is_required() {
        let c = Claims::parse(&format!(
            r#"{{"iss":"{ISS}","token_use":"access","client_id":"app-a"}}"#
        ))
        .unwrap();
        assert_eq!(
            rules().check(&c, NOW),
            Err(Error::InvalidClaim("exp is missing or not a number"))
        );
    }

    #[test]
    fn id_tokens_name_their_client_in_aud() {
        let extra = r#","token_use":"id","aud":"app-a""#;
        check(&rules(), extra).unwrap();
        let r = ClaimRules {
            token_use: Some(TokenUse::Access),
            ..rules()
        };
        assert_eq!(check(&r, extra), Err(Error::WrongTokenUse));
        assert_eq!(
            check(&rules(), r#","token_use":"id","aud":"app-c""#),
            Err(Error::WrongClient)
        );
        let any_client = ClaimRules {
            client_ids: None,
            ..rules()
        };
        check(&any_client, r#","token_use":"id""#).unwrap();
    }

    #[test]
    fn groups_need_one_match() {
        let r = ClaimRules {
            groups: Some(vec!["admins".into(), "ops".into()]),
            ..rules()
        };
        check(&r, r#","cognito:groups":["users","ops"]"#).unwrap();
        assert_eq!(
            check(&r, r#","cognito:groups":["users"]"#),
            Err(Error::MissingGroup)
        );
        assert_eq!(check(&r, ""), Err(Error::MissingGroup));
        assert_eq!(
            check(&r, r#","cognito:groups":"admins""#),
            Err(Error::InvalidClaim("cognito:groups is not a list"))
        );
        assert_eq!(
            check(&r, r#","cognito:groups":[{"admins":1}]"#),
            Err(Error::InvalidClaim(
                "cognito:groups holds something other than text"
            ))
        );
    }
}
