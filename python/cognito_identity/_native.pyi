"""Type stubs for the Rust extension module ``cognito_identity._native``."""

from typing import Any

from cognito_identity.errors import TokenError

__version__: str

# --- SRP (src/srp.rs) ---

class SrpClient:
    def __init__(self, pool_name: str, small_a: bytes | None = None) -> None: ...
    @property
    def pool_name(self) -> str: ...
    @property
    def large_a_hex(self) -> str: ...
    def password_claim_signature(
        self,
        user_id_for_srp: str,
        password: str,
        salt_hex: str,
        srp_b_hex: str,
        secret_block_b64: str,
        timestamp: str,
    ) -> str: ...

class SrpServerSession:
    def __init__(self, verifier_hex: str, small_b: bytes | None = None) -> None: ...
    @property
    def large_b_hex(self) -> str: ...
    def verify_claim(
        self,
        pool_name: str,
        user_id_for_srp: str,
        salt_hex: str,
        srp_a_hex: str,
        secret_block_b64: str,
        timestamp: str,
        signature_b64: str,
    ) -> bool: ...

def srp_generate_verifier(
    pool_name: str, user_id_for_srp: str, password: str
) -> tuple[str, str]: ...
def srp_generate_device_verifier(
    device_group_key: str, device_key: str
) -> tuple[str, str, str]: ...
def srp_new_secret_block() -> str: ...
def srp_secret_hash(username: str, client_id: str, client_secret: str) -> str: ...
def srp_format_timestamp(unix_seconds: int) -> str: ...
def srp_now_timestamp() -> str: ...

# --- SigV4 (src/sigv4.rs) ---

from collections.abc import Iterable, Mapping  # noqa: E402 (sections stay self-contained)

_StrPairs = Mapping[str, str] | Iterable[tuple[str, str]]

class SigningSteps:
    @property
    def canonical_request(self) -> str: ...
    @property
    def string_to_sign(self) -> str: ...
    @property
    def credential_scope(self) -> str: ...
    @property
    def signed_headers(self) -> str: ...
    @property
    def signature(self) -> str: ...

class SigV4Signer:
    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        endpoint: str,
        region: str,
        service: str,
        session_token: str | None = None,
        default_content_type: str | None = None,
        default_accept_type: str | None = None,
    ) -> None: ...
    @property
    def is_s3(self) -> bool: ...
    def sign(
        self,
        method: str,
        path: str,
        query: _StrPairs | None = None,
        headers: _StrPairs | None = None,
        body: bytes | None = None,
        datetime: str | None = None,
        unsigned_payload: bool = False,
    ) -> tuple[str, str, dict[str, str], SigningSteps]: ...
    def authorize(
        self,
        method: str,
        path: str,
        authorization: str,
        query: _StrPairs | None = None,
        headers: _StrPairs | None = None,
        body: bytes | None = None,
    ) -> tuple[str, str, dict[str, str]]: ...
    def sign_url(
        self,
        method: str,
        url: str,
        headers: _StrPairs | None = None,
        body: bytes | None = None,
        datetime: str | None = None,
        unsigned_payload: bool = False,
    ) -> tuple[str, str, dict[str, str], SigningSteps]: ...
    def presign(
        self,
        method: str,
        path: str,
        query: _StrPairs | None,
        headers: _StrPairs | None,
        expires_in: int,
        datetime: str | None = None,
    ) -> tuple[str, SigningSteps]: ...
    def sign_string(self, string_to_sign: str, datetime: str) -> str: ...
    def post_policy_fields(self, datetime: str) -> list[tuple[str, str]]: ...
    @staticmethod
    def now() -> str: ...

# --- JSON bodies (src/json.rs) ---

def compact_json(document: object) -> bytes | None: ...

# --- JWT (src/jwt.rs) ---

def jwt_decode(token: str) -> tuple[str, str]: ...

class JwtKeySet:
    @staticmethod
    def from_json(jwks: str) -> JwtKeySet: ...
    def verify(self, token: str) -> tuple[str, str]: ...
    @property
    def kids(self) -> list[str]: ...
    def __len__(self) -> int: ...

class JwtVerifier:
    def __init__(
        self,
        issuer: str,
        client_ids: list[str] | None = None,
        token_use: str | None = None,
        leeway: float = 0.0,
        groups: list[str] | None = None,
    ) -> None: ...
    def verify(
        self, keys: JwtKeySet, token: object, now: float | None = None
    ) -> dict[str, Any]: ...
    def verify_many(
        self, keys: JwtKeySet, tokens: list[Any], now: float | None = None
    ) -> list[dict[str, Any] | TokenError]: ...

class JwtRsaKey:
    @staticmethod
    def from_json(jwk: str) -> JwtRsaKey: ...
    def verify(self, token: str) -> tuple[str, str]: ...
    @property
    def kid(self) -> str | None: ...
    @property
    def bits(self) -> int: ...

class JwtSigningKey:
    @staticmethod
    def generate(kid: str | None = None) -> JwtSigningKey: ...
    @staticmethod
    def from_pkcs8_der(der: bytes, kid: str) -> JwtSigningKey: ...
    def to_pkcs8_der(self) -> bytes: ...
    @property
    def kid(self) -> str: ...
    def public_jwk(self) -> list[tuple[str, str]]: ...
    def sign(self, claims_json: str, extra_header_json: str | None = None) -> str: ...

# --- OTP (src/otp.rs) ---

def otp_hotp(secret: bytes, counter: int, digits: int = 6, algorithm: str = "SHA1") -> str: ...
def otp_totp(
    secret: bytes, unix_time: int, digits: int = 6, step: int = 30, algorithm: str = "SHA1"
) -> str: ...
def otp_totp_verify(
    secret: bytes,
    code: str,
    unix_time: int,
    window: int = 1,
    digits: int = 6,
    step: int = 30,
    algorithm: str = "SHA1",
) -> int | None: ...

# --- Panic probe (src/panic_probe.rs), for tests only ---

def _panic_probe(gil_released: bool = False, formatted: str | None = None) -> None: ...
