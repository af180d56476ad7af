"""Verify Cognito tokens in a service: :class:`CognitoJwtVerifier` (threads) and
:class:`AsyncCognitoJwtVerifier` (asyncio, needs the ``async`` extra), with a JWKS cache.

    verifier = CognitoJwtVerifier("eu-west-1_AbCdEf123", client_id="...", token_use="access")
    claims = verifier.verify(token)      # raises a TokenError subclass naming the failure

Thin helpers for web frameworks live in :mod:`cognito_identity.verify.fastapi` and
:mod:`cognito_identity.verify.flask` (each needs its framework installed).
"""

from __future__ import annotations

from cognito_identity.verify.async_verifier import AsyncCognitoJwtVerifier, AsyncJwksCache
from cognito_identity.verify.bearer import bearer_token
from cognito_identity.verify.jwks_cache import JwksCache
from cognito_identity.verify.verifier import Claims, CognitoJwtVerifier, CustomCheck

__all__ = [
    "AsyncCognitoJwtVerifier",
    "AsyncJwksCache",
    "Claims",
    "CognitoJwtVerifier",
    "CustomCheck",
    "JwksCache",
    "bearer_token",
]
