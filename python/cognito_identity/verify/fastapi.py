"""A FastAPI dependency (also callable from a plain Starlette endpoint) that verifies the
request's ``Authorization: Bearer`` token and gives the route its claims.

    auth = CognitoAuth(CognitoJwtVerifier(pool_id, client_id, "access"))

    @app.get("/me")
    def me(claims: dict = Depends(auth)):
        return {"sub": claims["sub"]}

A refused token answers 401 (with ``WWW-Authenticate: Bearer``), 403 or 503: see
:func:`~cognito_identity.verify.bearer.http_status`. Needs ``starlette`` (FastAPI brings it).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from cognito_identity.errors import TokenError
from cognito_identity.verify.async_verifier import AsyncCognitoJwtVerifier
from cognito_identity.verify.bearer import WWW_AUTHENTICATE, http_status
from cognito_identity.verify.verifier import Claims, CognitoJwtVerifier

__all__ = ["CognitoAuth"]


class CognitoAuth:
    """``Depends(CognitoAuth(verifier))``: the verified claims, or an HTTP error."""

    def __init__(self, verifier: CognitoJwtVerifier | AsyncCognitoJwtVerifier) -> None:
        self.verifier = verifier

    async def __call__(self, request: Request) -> Claims:
        header = request.headers.get("authorization")
        try:
            if isinstance(self.verifier, AsyncCognitoJwtVerifier):
                return await self.verifier.verify_authorization_header(header)
            return self.verifier.verify_authorization_header(header)
        except TokenError as exc:
            status = http_status(exc)
            headers = WWW_AUTHENTICATE if status == 401 else None
            raise HTTPException(status, detail=exc.code, headers=headers) from exc
