"""Type stubs for the Rust extension module ``cognito_identity._native``."""

__version__: str

# --- SRP (src/srp.rs) ---

# --- SigV4 (src/sigv4.rs) ---

# --- JWT (src/jwt.rs) ---
