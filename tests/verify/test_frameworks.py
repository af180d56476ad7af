"""The web-framework helpers, each driven through its framework's own test client."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cognito_identity import CognitoJwtVerifier
from cognito_identity.jwt import RsaSigningKey
from cognito_identity.verify import AsyncCognitoJwtVerifier

from .conftest import CLIENT, NOWHERE, POOL_ID, access_claims


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("verifier_class", [CognitoJwtVerifier, AsyncCognitoJwtVerifier])
def test_fastapi_dependency(
    jwks: dict[str, Any], signer: RsaSigningKey, verifier_class: Any
) -> None:
    fastapi = pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from cognito_identity.verify.fastapi import CognitoAuth

    verifier = verifier_class(POOL_ID, CLIENT, "access", jwks=jwks, jwks_uri=NOWHERE)
    admins = verifier_class(POOL_ID, CLIENT, jwks=jwks, jwks_uri=NOWHERE, groups="admins")
    app = fastapi.FastAPI()

    @app.get("/me")
    def me(claims: dict[str, Any] = fastapi.Depends(CognitoAuth(verifier))) -> dict[str, Any]:  # noqa: B008
        return {"username": claims["username"]}

    @app.get("/admin")
    def admin(claims: dict[str, Any] = fastapi.Depends(CognitoAuth(admins))) -> str:  # noqa: B008
        return "ok"

    client = TestClient(app)
    good = signer.sign(access_claims())
    assert client.get("/me", headers=bearer(good)).json() == {"username": "ann"}
    missing = client.get("/me")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert missing.json() == {"detail": "MissingToken"}
    expired = signer.sign(access_claims(exp=int(time.time()) - 60))
    refused = client.get("/me", headers=bearer(expired))
    assert (refused.status_code, refused.json()) == (401, {"detail": "TokenExpired"})
    assert client.get("/admin", headers=bearer(good)).status_code == 403


def test_starlette_endpoint_calls_the_dependency(
    jwks: dict[str, Any], signer: RsaSigningKey
) -> None:
    pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from cognito_identity.verify.fastapi import CognitoAuth

    auth = CognitoAuth(CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks, jwks_uri=NOWHERE))

    async def me(request: Request) -> JSONResponse:
        claims = await auth(request)
        return JSONResponse({"sub": claims["sub"]})

    client = TestClient(Starlette(routes=[Route("/me", me)]))
    good = signer.sign(access_claims())
    assert client.get("/me", headers=bearer(good)).json()["sub"].startswith("5f1c")
    assert client.get("/me", headers={"Authorization": "Basic x"}).status_code == 401


def test_flask_decorator(jwks: dict[str, Any], signer: RsaSigningKey) -> None:
    flask = pytest.importorskip("flask")

    from cognito_identity.verify.flask import cognito_auth_required

    verifier = CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks, jwks_uri=NOWHERE)
    require_token = cognito_auth_required(verifier)
    app = flask.Flask("service")

    @app.get("/me")
    @require_token
    def me() -> dict[str, Any]:
        return {"username": flask.g.cognito_claims["username"]}

    unreachable = CognitoJwtVerifier(POOL_ID, CLIENT, jwks_uri=NOWHERE)  # keys never load
    app.add_url_rule("/down", "down", cognito_auth_required(unreachable)(lambda: "never"))

    client = app.test_client()
    good = signer.sign(access_claims())
    assert client.get("/me", headers=bearer(good)).get_json() == {"username": "ann"}
    refused = client.get("/me", headers=bearer(signer.sign(access_claims(client_id="x"))))
    assert refused.status_code == 401
    assert refused.get_json() == {"error": "WrongClient"}
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/me").status_code == 401
    assert client.get("/down", headers=bearer(good)).status_code == 503
