"""CognitoOAuthClient end to end against the local pool's hosted UI, without a browser:
authorize URL -> the sign-in form posted with requests -> redirect with a code ->
exchange -> a signed-in CognitoUser whose session the pool refreshes."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
import requests
from hosted_ui import CALLBACK, PASSWORD, SIGNED_OUT, HostedUi, parse_form

from cognito_identity import CognitoOAuthClient, CognitoUserPool
from cognito_identity.cli import main
from cognito_identity.cli_support import EXIT_UNREACHABLE
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.oauth_errors import OAuthInvalidGrantError, OAuthStateError

from .conftest import admin_client


@pytest.fixture
def ui(local: LocalCognito) -> HostedUi:
    return HostedUi(
        local, admin_client(local.endpoint), ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"]
    )


def browse(url: str, password: str = PASSWORD) -> str:
    """What a browser does: open the sign-in page, fill it in, follow to the callback."""
    with requests.Session() as browser:
        page = browser.get(url, timeout=10)
        assert page.status_code == 200, page.text
        form = parse_form(page.text)
        answer = browser.post(
            url.split("/oauth2/")[0] + form.action,
            data={**form.fields, "username": "ann", "password": password},
            allow_redirects=False,
            timeout=10,
        )
    assert answer.status_code == 302, answer.text
    return str(answer.headers["Location"])


def test_hosted_ui_sign_in_becomes_a_session_the_pool_refreshes(
    ui: HostedUi, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    oauth = CognitoOAuthClient(ui.endpoint, ui.client_id, CALLBACK)
    pool = CognitoUserPool(ui.pool_id, ui.client_id, endpoint=ui.endpoint)
    redirect = browse(oauth.authorize_url(login_hint="ann"))
    assert redirect.startswith(CALLBACK + "?")
    user = oauth.sign_in(pool, oauth.parse_redirect(redirect))
    assert user.username == "ann"
    session = user.get_session()
    assert session.is_valid() and session.id_token.payload["email"] == "ann@example.com"
    assert oauth.user_info(session.access_token.jwt_token)["username"] == "ann"
    # An hour later the stored session is refreshed through the pool's API.
    clock.advance(3601)
    later = time.time() + 3601
    monkeypatch.setattr("cognito_identity.session._now", lambda: later)
    current = pool.get_current_user()
    assert current is not None
    refreshed = current.get_session()
    assert refreshed.is_valid() and refreshed.access_token != session.access_token
    # Revoked, the refresh token buys nothing more.
    assert session.refresh_token is not None
    oauth.revoke(session.refresh_token.token)
    with pytest.raises(OAuthInvalidGrantError):
        oauth.refresh(session.refresh_token.token)
    logout = requests.get(oauth.logout_url(SIGNED_OUT), allow_redirects=False, timeout=10)
    assert logout.headers["Location"] == SIGNED_OUT


def test_a_redirect_is_accepted_once(ui: HostedUi) -> None:
    oauth = CognitoOAuthClient(ui.endpoint, ui.client_id, CALLBACK)
    redirect = browse(oauth.authorize_url())
    code = oauth.parse_redirect(redirect)
    with pytest.raises(OAuthStateError):
        oauth.parse_redirect(redirect)
    oauth.exchange_code(code)


def test_another_clients_verifier_does_not_redeem_the_code(ui: HostedUi) -> None:
    # A code intercepted on its way back is useless without its verifier (RFC 7636).
    victim = CognitoOAuthClient(ui.endpoint, ui.client_id, CALLBACK)
    thief = CognitoOAuthClient(ui.endpoint, ui.client_id, CALLBACK)
    stolen = browse(victim.authorize_url(state="victim-state"))
    thief.authorize_url(state="victim-state")
    code = thief.parse_redirect(stolen)
    with pytest.raises(OAuthInvalidGrantError):
        thief.exchange_code(code)


def test_client_credentials_against_the_local_pool(local: LocalCognito) -> None:
    idp: Any = admin_client(local.endpoint)
    pool_id = idp.create_user_pool(PoolName="machines")["UserPool"]["Id"]
    idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier="orders",
        Name="Orders API",
        Scopes=[
            {"ScopeName": "read", "ScopeDescription": "Read orders"},
            {"ScopeName": "write", "ScopeDescription": "Place orders"},
        ],
    )
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="worker",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["orders/read"],
    )["UserPoolClient"]
    oauth = CognitoOAuthClient(
        local.endpoint, client["ClientId"], CALLBACK, client["ClientSecret"], scopes=()
    )
    token = oauth.client_credentials(["orders/read"])
    assert oauth.client_credentials(["orders/read"]) == token


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_login_hosted_ui_without_a_browser_prints_the_url_and_times_out(
    local: LocalCognito, capsys: pytest.CaptureFixture[str]
) -> None:
    redirect_uri = f"http://127.0.0.1:{_free_port()}/callback"
    ui = HostedUi(local, admin_client(local.endpoint), CallbackURLs=[redirect_uri])
    started = time.monotonic()
    status = main(
        [
            "login",
            "--hosted-ui",
            "--no-browser",
            "--endpoint",
            local.endpoint,
            "--user-pool-id",
            ui.pool_id,
            "--client-id",
            ui.client_id,
            "--redirect-uri",
            redirect_uri,
            "--timeout",
            "1",
        ]
    )
    err = capsys.readouterr().err
    assert status == EXIT_UNREACHABLE
    assert time.monotonic() - started < 30
    assert f"{local.endpoint}/oauth2/authorize?" in err
    assert "no sign-in came back within 1 seconds" in err
    assert "Traceback" not in err


def test_login_hosted_ui_says_it_timed_out_waiting_for_the_redirect(
    local: LocalCognito, capsys: pytest.CaptureFixture[str]
) -> None:
    redirect_uri = f"http://127.0.0.1:{_free_port()}/callback"
    ui = HostedUi(local, admin_client(local.endpoint), CallbackURLs=[redirect_uri])
    arguments = ["login", "--hosted-ui", "--no-browser", "--endpoint", local.endpoint]
    arguments += ["--user-pool-id", ui.pool_id, "--client-id", ui.client_id]
    arguments += ["--redirect-uri", redirect_uri, "--timeout", "0.5"]
    assert main(arguments) == EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert f"timed out waiting for the browser's redirect to {redirect_uri}" in err
    assert "cannot reach" not in err
