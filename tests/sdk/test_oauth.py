"""The hosted UI's OAuth client against a fake token endpoint: PKCE, state, errors, the
token calls, the client-credentials cache, and tokens turned into a stored session."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from cognito_identity import AuthenticationDetails, CognitoOAuthClient
from cognito_identity._protocol import HttpRequest, HttpResponse
from cognito_identity.errors import CognitoError, CognitoResponseError, InvalidConfigurationError
from cognito_identity.local import ManualClock
from cognito_identity.oauth import OAuthTokens
from cognito_identity.oauth_errors import (
    OAuthAccessDeniedError,
    OAuthError,
    OAuthInvalidClientError,
    OAuthInvalidGrantError,
    OAuthInvalidRequestError,
    OAuthStateError,
)
from cognito_identity.transports import Timeouts

from .conftest import PASSWORD, PoolSetup
from .test_flows import jwt

DOMAIN = "https://example.auth.eu-west-1.amazoncognito.com"
REDIRECT = "http://localhost:8400/callback"
SECRET = "app-client-secret-value"


class FakeEndpoint:
    """A transport that answers like Cognito's OAuth endpoints, keeping what it was sent."""

    def __init__(self, answer: Callable[[HttpRequest], HttpResponse] | None = None) -> None:
        self.sent: list[HttpRequest] = []
        self.answer = answer or (lambda request: token_response())

    def send(self, request: HttpRequest, timeouts: Timeouts, deadline: float) -> HttpResponse:
        assert deadline > time.monotonic()
        self.sent.append(request)
        return self.answer(request)

    def close(self) -> None:
        pass

    def form(self, index: int = -1) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.sent[index].body.decode()).items()}


def token_response(status: int = 200, **document: Any) -> HttpResponse:
    if status == 200 and not document:
        document = {
            "access_token": jwt(token_use="access", username="ann"),
            "id_token": jwt(token_use="id"),
            "refresh_token": "opaque-refresh",
            "expires_in": 3600,
            "token_type": "Bearer",
        }
    return HttpResponse(status, {"Content-Type": "application/json"}, json.dumps(document).encode())


def client(endpoint: FakeEndpoint, secret: str | None = None) -> CognitoOAuthClient:
    return CognitoOAuthClient(DOMAIN, "client-1", REDIRECT, secret, transport=endpoint)


def redirect_for(url: str, **extra: str) -> str:
    state = parse_qs(urlsplit(url).query)["state"][0]
    query = "&".join(f"{k}={v}" for k, v in {"code": "the-code", "state": state, **extra}.items())
    return f"{REDIRECT}?{query}"


def test_authorize_url_carries_pkce_s256_and_a_random_state() -> None:
    oauth = client(FakeEndpoint())
    first, second = oauth.authorize_url(), oauth.authorize_url(login_hint="ann")
    parts = urlsplit(first)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{DOMAIN}/oauth2/authorize"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "client-1" and query["redirect_uri"] == REDIRECT
    assert query["scope"] == "openid email"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32
    assert "identity_provider" not in query and "login_hint" not in query
    other = parse_qs(urlsplit(second).query)
    assert other["state"][0] != query["state"]
    assert other["code_challenge"][0] != query["code_challenge"]
    assert other["login_hint"] == ["ann"]
    with_idp = parse_qs(urlsplit(oauth.authorize_url(identity_provider="Google")).query)
    assert with_idp["identity_provider"] == ["Google"]


def test_the_exchange_sends_the_verifier_of_the_challenge() -> None:
    endpoint = FakeEndpoint()
    oauth = client(endpoint)
    url = oauth.authorize_url(state="my-state")
    challenge = parse_qs(urlsplit(url).query)["code_challenge"][0]
    code = oauth.parse_redirect(f"{REDIRECT}?code=abc&state=my-state")
    assert code == "abc"
    tokens = oauth.exchange_code(code)
    form = endpoint.form()
    assert endpoint.sent[0].url == f"{DOMAIN}/oauth2/token"
    assert form["grant_type"] == "authorization_code" and form["code"] == "abc"
    assert form["redirect_uri"] == REDIRECT and form["client_id"] == "client-1"
    verifier = form["code_verifier"]
    # 64 random bytes, base64url without padding.
    assert len(base64.urlsafe_b64decode(verifier + "==")) == 64
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert digest.rstrip(b"=").decode() == challenge
    assert "Authorization" not in endpoint.sent[0].headers
    assert tokens.refresh_token == "opaque-refresh"
    assert "opaque-refresh" not in repr(tokens) and tokens.access_token not in repr(tokens)
    # A code is exchanged once.
    with pytest.raises(OAuthInvalidRequestError):
        oauth.exchange_code(code)


def test_a_client_secret_goes_as_http_basic_and_stays_out_of_reprs() -> None:
    endpoint = FakeEndpoint()
    oauth = client(endpoint, SECRET)
    oauth.parse_redirect(redirect_for(oauth.authorize_url()))
    oauth.exchange_code("the-code")
    header = endpoint.sent[0].headers["Authorization"]
    assert base64.b64decode(header.removeprefix("Basic ")) == f"client-1:{SECRET}".encode()
    assert "client_id" not in endpoint.form()
    assert SECRET not in repr(oauth) and "<hidden>" in repr(oauth)


@pytest.mark.parametrize(
    "redirect",
    [f"{REDIRECT}?code=abc&state=forged", f"{REDIRECT}?code=abc"],
    ids=["wrong state", "no state"],
)
def test_a_wrong_state_is_refused(redirect: str) -> None:
    oauth = client(FakeEndpoint())
    oauth.authorize_url()
    with pytest.raises(OAuthStateError):
        oauth.parse_redirect(redirect)


def test_a_replayed_redirect_is_refused() -> None:
    oauth = client(FakeEndpoint())
    redirect = redirect_for(oauth.authorize_url())
    oauth.parse_redirect(redirect)
    with pytest.raises(OAuthStateError):
        oauth.parse_redirect(redirect)


def test_an_error_redirect_raises_its_typed_error() -> None:
    oauth = client(FakeEndpoint())
    redirect = redirect_for(
        oauth.authorize_url(), error="access_denied", error_description="User+cancelled"
    )
    redirect = redirect.replace("code=the-code&", "")
    with pytest.raises(OAuthAccessDeniedError) as raised:
        oauth.parse_redirect(redirect)
    assert isinstance(raised.value, CognitoError)
    assert raised.value.code == "access_denied" and raised.value.message == "User cancelled"


@pytest.mark.parametrize(
    ("error", "cls"),
    [
        ("invalid_grant", OAuthInvalidGrantError),
        ("invalid_client", OAuthInvalidClientError),
        ("something_new", OAuthError),
    ],
)
def test_token_endpoint_errors_are_typed(error: str, cls: type[OAuthError]) -> None:
    endpoint = FakeEndpoint(lambda request: token_response(400, error=error))
    oauth = client(endpoint)
    with pytest.raises(cls) as raised:
        oauth.refresh("opaque-refresh")
    assert raised.value.code == error and raised.value.status_code == 400
    assert "opaque-refresh" not in str(raised.value)


def test_an_answer_that_is_not_oauth_is_a_response_error() -> None:
    oauth = client(FakeEndpoint(lambda request: HttpResponse(502, {}, b"<html>bad gateway")))
    with pytest.raises(CognitoResponseError):
        oauth.refresh("opaque-refresh")


def test_refresh_keeps_the_refresh_token_when_none_comes_back() -> None:
    answer = token_response(access_token=jwt(token_use="access"), id_token=jwt(), expires_in=60)
    endpoint = FakeEndpoint(lambda request: answer)
    tokens = client(endpoint).refresh("opaque-refresh")
    assert endpoint.form() == {
        "grant_type": "refresh_token",
        "refresh_token": "opaque-refresh",
        "client_id": "client-1",
    }
    assert tokens.refresh_token == "opaque-refresh" and tokens.expires_in == 60


def test_user_info_revoke_and_logout_url() -> None:
    def answer(request: HttpRequest) -> HttpResponse:
        if request.url.endswith("/oauth2/userInfo"):
            return token_response(sub="user-sub-1", email="ann@example.com", username="ann")
        return HttpResponse(200, {}, b"")

    endpoint = FakeEndpoint(answer)
    oauth = client(endpoint)
    info = oauth.user_info("the-access-token")
    assert info["email"] == "ann@example.com"
    assert endpoint.sent[0].method == "GET"
    assert endpoint.sent[0].headers["Authorization"] == "Bearer the-access-token"
    oauth.revoke("opaque-refresh")
    assert endpoint.sent[1].url == f"{DOMAIN}/oauth2/revoke"
    assert endpoint.form() == {"token": "opaque-refresh", "client_id": "client-1"}
    logout = urlsplit(oauth.logout_url("http://localhost:8400/bye"))
    assert logout.path == "/logout"
    assert parse_qs(logout.query) == {
        "client_id": ["client-1"],
        "logout_uri": ["http://localhost:8400/bye"],
    }


def test_client_credentials_are_cached_until_shortly_before_expiry() -> None:
    issued: list[str] = []

    def answer(request: HttpRequest) -> HttpResponse:
        issued.append(f"machine-token-{len(issued)}")
        return token_response(access_token=issued[-1], expires_in=3600, token_type="Bearer")

    endpoint = FakeEndpoint(answer)
    oauth = client(endpoint, SECRET)
    now = [1000.0]
    oauth._clock = lambda: now[0]
    first = oauth.client_credentials(["orders/read"])
    assert endpoint.form() == {"grant_type": "client_credentials", "scope": "orders/read"}
    now[0] += 3000
    assert oauth.client_credentials(["orders/read"]) == first
    assert len(endpoint.sent) == 1
    # Other scopes are another token.
    oauth.client_credentials(["orders/write"])
    assert len(endpoint.sent) == 2
    # Within the last minute of its life the token is renewed.
    now[0] += 560
    assert oauth.client_credentials(["orders/read"]) != first
    assert len(endpoint.sent) == 3


def test_bad_settings_are_refused() -> None:
    with pytest.raises(InvalidConfigurationError):
        CognitoOAuthClient("example.auth.eu-west-1.amazoncognito.com", "c", REDIRECT)
    with pytest.raises(InvalidConfigurationError):
        CognitoOAuthClient(DOMAIN, "", REDIRECT)


def test_tokens_without_an_id_token_make_no_session() -> None:
    with pytest.raises(CognitoResponseError):
        OAuthTokens(access_token=jwt(token_use="access"), expires_in=3600).session()


def test_nothing_secret_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    oauth = client(FakeEndpoint(), SECRET)
    oauth.parse_redirect(redirect_for(oauth.authorize_url()))
    tokens = oauth.exchange_code("the-code")
    assert SECRET not in caplog.text and tokens.access_token not in caplog.text


def test_exchanged_tokens_become_a_stored_session_the_pool_refreshes(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake token endpoint hands out tokens the local pool issued, as the hosted UI
    # of the same pool would; the session must then live on through the pool's API.
    pool = setup.pool()
    signed_up = pool.sign_up("ann", PASSWORD, {"email": "ann@example.com"}).user
    signed_up.confirm_registration(setup.code_for("ann"))
    issued = signed_up.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert issued.refresh_token is not None
    answer = token_response(
        access_token=issued.access_token.jwt_token,
        id_token=issued.id_token.jwt_token,
        refresh_token=issued.refresh_token.token,
        expires_in=3600,
    )
    signed_up.sign_out()
    oauth = CognitoOAuthClient(
        DOMAIN, pool.client_id, REDIRECT, transport=FakeEndpoint(lambda request: answer)
    )
    user = oauth.sign_in(pool, oauth.parse_redirect(redirect_for(oauth.authorize_url())))
    assert user.username == "ann"
    current = pool.get_current_user()
    assert current is not None and current.username == "ann"
    assert current.get_session().access_token == issued.access_token
    clock.advance(3601)
    later = time.time() + 3601
    monkeypatch.setattr("cognito_identity.session._now", lambda: later)
    refreshed = current.get_session()
    assert refreshed.is_valid() and refreshed.access_token != issued.access_token


def test_tokens_of_another_app_client_are_refused(setup: PoolSetup) -> None:
    oauth = client(FakeEndpoint())
    tokens = oauth.refresh("opaque-refresh")
    with pytest.raises(InvalidConfigurationError):
        oauth.user(setup.pool(), tokens)
