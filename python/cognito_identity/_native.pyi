"""Type stubs for the Rust extension module ``cognito_identity._native``."""

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

# --- JWT (src/jwt.rs) ---
