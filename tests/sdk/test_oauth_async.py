"""AsyncCognitoOAuthClient: the sync client's logic (shared, not copied) awaited over
httpx, end to end against the local pool's hosted UI and with a mock transport."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from hosted_ui import CALLBACK, HostedUi

from cognito_identity import CognitoOAuthClient, OAuthInvalidGrantError, OAuthStateError
from cognito_identity.asyncio import AsyncCognitoOAuthClient, AsyncCognitoUserPool
from cognito_identity.local import LocalCognito
from cognito_identity.oauth_core import OAuthClientCore
from cognito_identity.transports import HttpResponse, MockRequest, MockTransport

from .conftest import admin_client
from .test_oauth_local import browse


def test_the_two_clients_share_everything_but_the_io() -> None:
    for name in ("authorize_url", "parse_redirect", "logout_url", "_token_flow"):
        assert getattr(AsyncCognitoOAuthClient, name) is getattr(OAuthClientCore, name)
        assert getattr(CognitoOAuthClient, name) is getattr(OAuthClientCore, name)
    for name in ("exchange_code", "refresh", "client_credentials", "revoke", "user_info"):
        assert inspect.iscoroutinefunction(getattr(AsyncCognitoOAuthClient, name))
        assert not inspect.iscoroutinefunction(getattr(CognitoOAuthClient, name))


def test_an_async_sign_in_through_the_local_hosted_ui(local: LocalCognito) -> None:
    ui = HostedUi(
        local, admin_client(local.endpoint), ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"]
    )

    async def scenario() -> None:
        oauth = AsyncCognitoOAuthClient(ui.endpoint, ui.client_id, CALLBACK)
        async with AsyncCognitoUserPool(ui.pool_id, ui.client_id, endpoint=ui.endpoint) as pool:
            redirect = await asyncio.to_thread(browse, oauth.authorize_url(login_hint="ann"))
            code = oauth.parse_redirect(redirect)
            user = await oauth.sign_in(pool, code)
            assert user.username == "ann"
            session = await user.get_session()
            assert session.is_valid()
            info = await oauth.user_info(session.access_token.jwt_token)
            assert info["email"] == "ann@example.com"
            refresh_token = session.refresh_token
            assert refresh_token is not None
            refreshed = await oauth.refresh(refresh_token.token)
            assert refreshed.id_token and refreshed.refresh_token == refresh_token.token
            await oauth.revoke(refresh_token.token)
            with pytest.raises(OAuthInvalidGrantError):
                await oauth.refresh(refresh_token.token)
            with pytest.raises(OAuthStateError):
                oauth.parse_redirect(redirect)
        await oauth.aclose()

    asyncio.run(scenario())


async def token_endpoint(request: MockRequest) -> Any:
    """The token endpoint: machine tokens, except for a scope the app may not have."""
    await asyncio.sleep(0)
    if request.params.get("scope") == "orders/write":
        return HttpResponse(400, {}, b'{"error": "invalid_grant"}')
    return {"access_token": "machine-token", "expires_in": 3600, "token_type": "Bearer"}


def test_async_client_credentials_are_cached_and_errors_typed() -> None:
    async def scenario() -> None:
        transport = MockTransport(token_endpoint)
        issued = transport.requests
        oauth = AsyncCognitoOAuthClient(
            "https://shop.auth.eu-west-1.amazoncognito.com",
            "client-1",
            CALLBACK,
            client_secret="client-secret",
            transport=transport,
        )
        assert await oauth.client_credentials(["orders/read"]) == "machine-token"
        assert await oauth.client_credentials(["orders/read"]) == "machine-token"
        assert len(issued) == 1
        assert issued[0].action == "oauth2/token"
        assert issued[0].params == {"grant_type": "client_credentials", "scope": "orders/read"}
        assert issued[0].http.headers["Authorization"].startswith("Basic ")
        with pytest.raises(OAuthInvalidGrantError):
            await oauth.client_credentials(["orders/write"])
        assert "client-secret" not in repr(oauth)

    asyncio.run(scenario())
