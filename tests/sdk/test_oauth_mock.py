"""MockTransport standing in for the OAuth endpoints, as a user testing their own OAuth
code would use it: the posted forms and the GET decoded, JSON answers from a dict, and
error answers in HTML or text, for the sync and the asyncio clients."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from cognito_identity import CognitoOAuthClient, OAuthInvalidGrantError
from cognito_identity._protocol import USER_POOLS, HttpRequest, encode_call
from cognito_identity.asyncio import AsyncCognitoOAuthClient
from cognito_identity.errors import CognitoResponseError, InvalidArgumentTypeError
from cognito_identity.transports import (
    HttpResponse,
    MockRequest,
    MockTransport,
    Timeouts,
)

DOMAIN = "https://shop.auth.eu-west-1.amazoncognito.com"
CALLBACK = "http://localhost:8400/callback"
TOKENS = {"access_token": "t0ken", "expires_in": 3600, "token_type": "Bearer"}


def hosted_ui(request: MockRequest) -> Any:
    if request.action == "oauth2/token":
        if request.params["grant_type"] == "refresh_token":
            return HttpResponse(400, {}, b'{"error": "invalid_grant"}')
        return TOKENS
    if request.action == "oauth2/userInfo":
        assert request.http.headers["Authorization"] == "Bearer t0ken"
        return {"email": "ann@example.com"}
    return HttpResponse(503, {"Content-Type": "text/html"}, b"<h1>Unavailable</h1>")


def test_the_token_form_is_decoded_and_a_dict_answers_json() -> None:
    transport = MockTransport(hosted_ui)
    oauth = CognitoOAuthClient(DOMAIN, "client-1", CALLBACK, transport=transport)
    state = "my-state"
    oauth.authorize_url(state=state)
    tokens = oauth.exchange_code(oauth.parse_redirect(f"{CALLBACK}?code=c0de&state={state}"))
    assert tokens.access_token == "t0ken"
    (sent,) = transport.requests
    assert (sent.service, sent.action, sent.http.method) == ("", "oauth2/token", "POST")
    assert sent.params["grant_type"] == "authorization_code" and sent.params["code"] == "c0de"
    assert sent.params["client_id"] == "client-1" and sent.params["redirect_uri"] == CALLBACK
    assert len(sent.params["code_verifier"]) >= 43


def test_a_get_has_no_params_and_its_token_in_the_headers() -> None:
    transport = MockTransport(hosted_ui)
    oauth = CognitoOAuthClient(DOMAIN, "client-1", CALLBACK, transport=transport)
    assert oauth.user_info("t0ken") == {"email": "ann@example.com"}
    (sent,) = transport.requests
    assert (sent.action, sent.http.method, sent.params) == ("oauth2/userInfo", "GET", {})
    with pytest.raises(AssertionError):
        oauth.user_info("another-token")


def test_error_answers_in_json_or_html_reach_the_client() -> None:
    oauth = CognitoOAuthClient(DOMAIN, "client-1", CALLBACK, transport=MockTransport(hosted_ui))
    with pytest.raises(OAuthInvalidGrantError):
        oauth.refresh("expired")
    with pytest.raises(CognitoResponseError) as html:
        oauth.revoke("r")
    assert html.value.status_code == 503


def test_client_credentials_send_their_scope_and_basic_authentication() -> None:
    transport = MockTransport(lambda request: TOKENS)
    oauth = CognitoOAuthClient(DOMAIN, "client-1", CALLBACK, "s3cret", transport=transport)
    assert oauth.client_credentials(["orders/read"]) == "t0ken"
    (sent,) = transport.requests
    assert sent.params == {"grant_type": "client_credentials", "scope": "orders/read"}
    assert sent.http.headers["Authorization"].startswith("Basic ")


def test_a_dict_answers_with_the_content_type_of_its_endpoint() -> None:
    transport = MockTransport(lambda request: {"ok": True})
    deadline = time.monotonic() + 5
    oauth = HttpRequest(f"{DOMAIN}/oauth2/userInfo", {}, b"", "oauth2/userInfo", "GET")
    cognito = encode_call(DOMAIN, USER_POOLS, "GetUser", {"AccessToken": "t"}, "tests")
    for request, content_type in [
        (oauth, "application/json"),
        (cognito, "application/x-amz-json-1.1"),
    ]:
        answer = transport.send(request, Timeouts(), deadline)
        assert answer.status_code == 200 and json.loads(answer.body) == {"ok": True}
        assert answer.header("content-type") == content_type
    assert transport.requests[1].params == {"AccessToken": "t"}


@pytest.mark.parametrize("answer", [None, ["t0ken"], "t0ken", b"{}"])
def test_a_handler_answer_that_is_no_response_nor_object_is_a_clear_type_error(
    answer: Any,
) -> None:
    oauth = CognitoOAuthClient(
        DOMAIN, "client-1", CALLBACK, transport=MockTransport(lambda request: answer)
    )
    with pytest.raises(InvalidArgumentTypeError, match="returns an HttpResponse or a JSON object"):
        oauth.user_info("t0ken")


def test_the_asyncio_client_with_an_async_handler() -> None:
    async def endpoint(request: MockRequest) -> Any:
        await asyncio.sleep(0)
        return hosted_ui(request)

    async def scenario() -> None:
        transport = MockTransport(endpoint)
        oauth = AsyncCognitoOAuthClient(DOMAIN, "client-1", CALLBACK, transport=transport)
        assert await oauth.user_info("t0ken") == {"email": "ann@example.com"}
        with pytest.raises(OAuthInvalidGrantError):
            await oauth.refresh("expired")
        with pytest.raises(CognitoResponseError):
            await oauth.revoke("r")
        assert [sent.action for sent in transport.requests] == [
            "oauth2/userInfo",
            "oauth2/token",
            "oauth2/revoke",
        ]
        assert transport.requests[1].params == {
            "grant_type": "refresh_token",
            "refresh_token": "expired",
            "client_id": "client-1",
        }
        await oauth.aclose()

    asyncio.run(scenario())
