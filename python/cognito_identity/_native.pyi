"""Type stubs for the Rust extension module ``cognito_identity._native``."""

__version__: str
