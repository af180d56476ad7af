"""cognito-identity: Amazon Cognito for Python, with a Rust core."""

from __future__ import annotations

from cognito_identity._native import __version__
from cognito_identity.errors import CognitoError

__all__ = ["CognitoError", "__version__"]
