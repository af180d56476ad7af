//! The bodies of the fuzz targets, one function per target, each taking the raw bytes
//! libFuzzer generates. Each calls entry points of the crates with whatever it is given
//! and checks what must hold whatever the input: no panic, and the target's invariants
//! (round trips, agreement of the SRP halves, signing what is sent). A failed invariant
//! panics, which libFuzzer reports as a crash.
//!
//! Text inputs are split into fields at `\n` (see [`input`]), so seeds can be written by
//! hand.

pub mod input;
pub mod jwt;
pub mod otp;
pub mod sigv4;
pub mod srp;

/// A fuzz target: its name (the file name under `fuzz/fuzz_targets/`) and its body.
pub struct Target {
    pub name: &'static str,
    pub run: fn(&[u8]),
}

/// Every target, in the order `fuzz/run.sh` runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "base64url",
        run: jwt::base64url,
    },
    Target {
        name: "jwt_decode",
        run: jwt::decode,
    },
    Target {
        name: "jwt_signed",
        run: jwt::signed,
    },
    Target {
        name: "jwks",
        run: jwt::jwks,
    },
    Target {
        name: "srp_encoding",
        run: srp::encoding,
    },
    Target {
        name: "srp_client",
        run: srp::client,
    },
    Target {
        name: "srp_server",
        run: srp::server,
    },
    Target {
        name: "srp_round_trip",
        run: srp::round_trip,
    },
    Target {
        name: "sigv4_request",
        run: sigv4::request,
    },
    Target {
        name: "sigv4_url",
        run: sigv4::url,
    },
    Target {
        name: "totp",
        run: otp::totp,
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|target| target.name == name)
}
